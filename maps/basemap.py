"""An offline base map: Natural Earth country (and admin-1) polygons from the gazetteer,
drawn as one GeoJSON layer under the events, with country names that appear by zoom.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from folium import GeoJson
from folium.template import Template

from .category import feature_collection_js
from .sanitize import escape_series
from .style import ensure_style

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["BaseMap", "basemap_from_gazetteer"]

#: Simplification tolerance (degrees) and rounding of the base map: ~1 km is plenty for a
#: backdrop, and keeps the world's countries to a few hundred kilobytes.
SIMPLIFY = 0.02
DECIMALS = 3


def basemap_from_gazetteer(gazetteer: Any, *, admin1_countries: Iterable[str] = ()) -> gpd.GeoDataFrame:
    """Country polygons (and the admin-1 units of ``admin1_countries``) from a gazetteer.

    Parameters
    ----------
    gazetteer : placemap.gazetteer.Gazetteer
        An open store with area polygons (the embedded default has Natural Earth's).
    admin1_countries : iterable of str
        ISO-2 codes of countries whose admin-1 units to draw too (say, those in the data).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``kind`` (``country`` / ``admin1``), ``country_code``, geometry.
    """
    import geopandas as gpd

    from placemap.gazetteer.sources import read_admin1, read_countries

    wanted = {code.upper() for code in admin1_countries}
    records = [(r, "country") for r in read_countries()]
    if wanted:
        records += [(r, "admin1") for r in read_admin1() if r.country_code in wanted]
    rows, geometries = [], []
    for record, kind in records:
        place = gazetteer.get(record.geonameid) if record.geonameid is not None else None
        area = gazetteer.area(place) if place is not None else None
        if area is not None:
            rows.append({"name": record.name, "kind": kind, "country_code": record.country_code})
            geometries.append(area)
    return gpd.GeoDataFrame(rows, geometry=geometries, crs="EPSG:4326", columns=["name", "kind", "country_code"])


def _label_zoom(area: Any) -> Any:
    """The zoom from which a unit's name is shown: big countries early, small ones late."""
    return np.select([area > 150, area > 25, area > 4, area > 0.8], [3, 4, 5, 6], 7)


class BaseMap(GeoJson):
    """Polygons drawn as a quiet backdrop with names by zoom; not interactive.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons with ``name`` and ``kind`` columns (see :func:`basemap_from_gazetteer`).
    pane : str
        The Leaflet pane (one below the events).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.features_js }}, {
            pane: {{ this.pane|tojson }},
            interactive: false,
            style: function (feature) {
                return feature.properties.kind === "admin1"
                    ? {color: "#a8a296", weight: 0.6, fill: false, dashArray: "3 3"}
                    : {color: "#9d978b", weight: 0.9, fillColor: "#f3f0e8", fillOpacity: 1};
            }
        });
        (function (map, base) {
            var labels = [];
            base.eachLayer(function (layer) {
                var p = layer.feature.properties;
                labels.push({zoom: p.label_zoom, marker: L.marker([p.label_lat, p.label_lon], {
                    pane: {{ this.label_pane|tojson }}, interactive: false, keyboard: false,
                    icon: L.divIcon({className: "pm-area-label pm-area-label-" + p.kind, iconSize: null,
                                     iconAnchor: [0, 0], html: "<span>" + p.name + "</span>"})
                })});
            });
            function update() {
                var z = map.getZoom();
                labels.forEach(function (l) {
                    var on = z >= l.zoom, has = map.hasLayer(l.marker);
                    if (on && !has) { l.marker.addTo(map); } else if (!on && has) { map.removeLayer(l.marker); }
                });
            }
            map.on("zoomend", update);
            map.whenReady(update);
        })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, areas: gpd.GeoDataFrame, *, pane: str = "pm-base", label_pane: str = "pm-labels") -> None:
        import pandas as pd
        import shapely

        super().__init__({"type": "FeatureCollection", "features": []}, name="Base map", control=False)
        self._name = "BaseMap"
        self.pane = pane
        self.label_pane = label_pane
        geometry = shapely.simplify(areas.geometry.to_numpy(), SIMPLIFY, preserve_topology=True)
        geometry = shapely.transform(geometry, lambda c: np.round(c, DECIMALS))
        keep = ~shapely.is_empty(geometry)
        labels = shapely.point_on_surface(areas.geometry.to_numpy()[keep])
        kinds = areas["kind"].to_numpy()[keep]
        properties = pd.DataFrame(
            {
                "name": escape_series(areas["name"][keep]).to_numpy(),
                "kind": escape_series(pd.Series(kinds)).to_numpy(),
                "label_lat": np.round(shapely.get_y(labels), 3),
                "label_lon": np.round(shapely.get_x(labels), 3),
                "label_zoom": np.where(kinds == "admin1", 7, _label_zoom(shapely.area(geometry[keep]))),
            }
        )
        self.size = int(keep.sum())
        self.features_js = feature_collection_js(properties, geometry[keep])

    def _get_self_bounds(self) -> list[list[float | None]]:
        return [[None, None], [None, None]]

    def render(self, **kwargs: Any) -> None:
        ensure_style(self.get_root())
        super().render(**kwargs)
