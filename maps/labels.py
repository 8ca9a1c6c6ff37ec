"""Names of the events' places, written on an offline map (tiles would show them online)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from folium.elements import MacroElement
from folium.template import Template

from .sanitize import escape
from .style import ensure_style

__all__ = ["PlaceLabels", "place_labels"]

#: At most this many labels (the most used places first): a page stays light and legible.
MAX_LABELS = 150


def place_labels(layers: Mapping[str, Any], *, skip: Iterable[str] = ()) -> list[tuple[str, float, float]]:
    """``(name, lat, lon)`` of the places events happen at or run between, most used first.

    Points give their place; flows their origin (line start) and destination (line end),
    except names in ``skip`` (say, countries the base map names already).
    """
    import pandas as pd
    import shapely

    skipped = set(skip)
    pieces = []
    for name, layer in layers.items():
        if name == "mentioned" or layer.empty:
            continue
        geometry = layer.geometry.to_numpy()
        points = shapely.get_type_id(geometry) == shapely.GeometryType.POINT
        lines = shapely.get_type_id(geometry) == shapely.GeometryType.LINESTRING
        for column, ends, index in (
            ("place", points, None),
            ("origin_name", lines, 0),
            ("destination_name", lines, -1),
        ):
            chosen = geometry[ends]
            where = chosen if index is None else shapely.get_point(chosen, index)
            pieces.append(
                pd.DataFrame(
                    {"name": layer[column].to_numpy()[ends], "lat": shapely.get_y(where), "lon": shapely.get_x(where)}
                )
            )
    if not pieces:
        return []
    table = pd.concat(pieces, ignore_index=True).dropna()
    table = table[~table["name"].isin(skipped)]
    counts = table.groupby("name", sort=False).size()
    first = table.groupby("name", sort=False).head(1).set_index("name")
    first["uses"] = counts
    first = first.sort_values("uses", ascending=False, kind="stable").head(MAX_LABELS)
    return [(str(n), float(la), float(lo)) for n, la, lo in zip(first.index, first["lat"], first["lon"], strict=True)]


class PlaceLabels(MacroElement):
    """Permanent, non-interactive labels beside the events' places.

    Parameters
    ----------
    labels : list of (name, lat, lon)
        As from :func:`place_labels`; names are escaped here.
    pane : str
        The Leaflet pane for the labels.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            // DivIcon markers, not tooltips: Leaflet positions them without reading the
            // layout, which matters beside thousands of features. Labels that would overlap
            // a more used place's label are hidden, again on every zoom.
            var group = L.layerGroup();
            var labels = {{ this.labels|tojson }}.map(function (l) {
                var marker = L.marker([l[1], l[2]], {
                    pane: {{ this.pane|tojson }}, interactive: false, keyboard: false,
                    icon: L.divIcon({className: "pm-place-label", iconSize: null, iconAnchor: [-8, 8],
                                     html: "<span>" + l[0] + "</span>"})
                });
                return {marker: marker, name: l[0], width: 7.2 * l[3] + 4};
            });
            function declutter() {
                var kept = [], shown = placemap.shownPlaces;  // set once a filter has applied
                labels.forEach(function (l) {
                    var p = map.latLngToContainerPoint(l.marker.getLatLng());
                    var box = [p.x + 8, p.y - 8, p.x + 8 + l.width, p.y + 8];
                    var free = (!shown || shown[l.name]) && kept.every(function (k) {
                        return box[0] > k[2] || box[2] < k[0] || box[1] > k[3] || box[3] < k[1];
                    });
                    if (free) { kept.push(box); }
                    if (free && !group.hasLayer(l.marker)) { group.addLayer(l.marker); }
                    else if (!free && group.hasLayer(l.marker)) { group.removeLayer(l.marker); }
                });
            }
            map.on("zoomend", declutter);
            placemap.onFilter(declutter);  // a place whose events are all filtered out loses its label
            map.whenReady(declutter);
            group.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[str, float, float]], *, pane: str = "pm-place-labels") -> None:
        super().__init__()
        self._name = "PlaceLabels"
        coordinates = np.array([(lat, lon) for _, lat, lon in labels], dtype=float).reshape(-1, 2)
        if not np.isfinite(coordinates).all():
            raise ValueError("label coordinates must be finite")
        self.labels = [[escape(name), round(lat, 5), round(lon, 5), len(name)] for name, lat, lon in labels]
        self.pane = pane

    def render(self, **kwargs: Any) -> None:
        ensure_style(self.get_root())
        super().render(**kwargs)
