"""A category of events as folium elements: ``CategoryLayer`` (a toggleable
``FeatureGroup``) holding one ``EventGeoJson`` (one Leaflet GeoJSON layer for all its
features, however many). Shelling points go into a Leaflet.markercluster group, so dense
sites merge into bubbles showing the number of reports and split apart on zoom.

Both are ordinary folium elements: ``CategoryLayer(layers["shelling"], "shelling").add_to(m)``
works on anyone's ``folium.Map``. Every string property is escaped here, on the way into
the page; the GeoDataFrame keeps the raw text for exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from folium import FeatureGroup, GeoJson
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from .offline import MARKERCLUSTER_CSS, MARKERCLUSTER_JS
from .sanitize import escape_series
from .style import CATEGORY_STYLES, RawHTML, ensure_style, layer_label

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "MAP_PROPERTIES",
    "CategoryLayer",
    "EventGeoJson",
    "MarkerClusterAssets",
    "feature_collection_js",
    "map_properties",
]

#: The properties a map page carries per feature (the exports carry every column).
MAP_PROPERTIES = (
    "id",
    "doc_id",
    "status",
    "date",
    "date_first",
    "reports",
    "count",
    "place",
    "label",
    "admin1",
    "country",
    "quote",
    "attribution",
    "source",
    "note",
    "here",
)
_NUMBERS = ("reports", "count", "here")
#: Map coordinates are rounded to 5 decimals (about a metre): enough for a page, and small.
MAP_DECIMALS = 5


def map_properties(layer: gpd.GeoDataFrame) -> pd.DataFrame:
    """The escaped properties a page shows, one row per feature (see :data:`MAP_PROPERTIES`).

    ``label`` is the tooltip: the place, or "origin → destination" for a flow. ``here`` is
    how many of the layer's points share this one's point (the map draws a place's shelling
    reports as one marker sized by their number); empty for lines and areas.
    """
    import pandas as pd

    out = pd.DataFrame(index=layer.index)
    for column in MAP_PROPERTIES:
        if column in ("label", "here"):
            continue
        if column in _NUMBERS:
            out[column] = layer[column] if column in layer else pd.array([pd.NA] * len(layer), dtype="Int64")
        else:
            out[column] = escape_series(layer[column]) if column in layer else ""
    flows = layer["origin_name"].notna() & layer["destination_name"].notna() if len(layer) else []
    out["label"] = out["place"]
    if len(layer) and flows.any():
        out.loc[flows, "label"] = (
            escape_series(layer.loc[flows, "origin_name"]) + " → " + escape_series(layer.loc[flows, "destination_name"])
        )
    out["here"] = _points_here(layer)
    return out[list(MAP_PROPERTIES)]


def _points_here(layer: gpd.GeoDataFrame) -> pd.Series:
    """For each point, how many points of ``layer`` fall on it (at the page's precision)."""
    import pandas as pd

    here = pd.Series(pd.array([pd.NA] * len(layer), dtype="Int64"), index=layer.index)
    if not len(layer):
        return here
    points = (layer.geom_type == "Point").to_numpy()
    if points.any():
        located = layer.geometry[points]
        x, y = located.x.round(MAP_DECIMALS), located.y.round(MAP_DECIMALS)
        here[points] = pd.DataFrame({"x": x, "y": y}).groupby(["x", "y"])["x"].transform("size").to_numpy()
    return here


def feature_collection_js(properties: pd.DataFrame, geometry: Any) -> str:
    """A GeoJSON FeatureCollection as JSON text safe inside ``<script>``.

    Geometry is written by ``shapely.to_geojson`` and properties by pandas, both over
    whole arrays; the pieces are joined as strings.
    """
    import pandas as pd
    import shapely

    if not len(properties):
        return '{"type":"FeatureCollection","features":[]}'
    geometry = shapely.transform(np.asarray(geometry, dtype=object), lambda c: np.round(c, MAP_DECIMALS))
    geometries = pd.Series(shapely.to_geojson(geometry), dtype=object)
    # One JSON object a line; split on "\n" only (JSON escapes it inside strings, but not
    # U+0085 or U+2028, which str.splitlines would also split on).
    lines = properties.to_json(orient="records", lines=True, force_ascii=False).rstrip("\n").split("\n")
    records = pd.Series(lines, dtype=object)
    features = '{"type":"Feature","geometry":' + geometries + ',"properties":' + records + "}"
    text = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    # The strings were escaped already (no "<" left); this guards the JSON itself.
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


class MarkerClusterAssets(JSCSSMixin, MacroElement):
    """Leaflet.markercluster's JS and CSS: linked from the CDN online, inlined offline
    (:func:`placemap.maps.offline.inline_assets` swaps the links for the vendored copies)."""

    default_js = MARKERCLUSTER_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self) -> None:
        super().__init__()
        self._name = "MarkerClusterAssets"


class EventGeoJson(GeoJson):
    """One Leaflet GeoJSON layer with all of a category's features.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        A layer from :func:`placemap.maps.build_layers`.
    category : str
        Its name (one of ``CATEGORY_STYLES``): picks colours, markers and labels.
    cluster : bool, optional
        Put the points into one ``L.markerClusterGroup`` (bubbles counting the reports,
        no clustering from zoom 9); default True for shelling only. Point layers only. The
        map needs a maximum zoom (a tile layer gives one; with ``tiles=None`` set
        ``m.options["max_zoom"]``).
    **kwargs
        Leaflet GeoJSON options (such as ``pane``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = JSON.parse(document.getElementById("{{ this.get_name() }}_data").textContent);
        var {{ this.get_name() }} = L.geoJson(null, {
            style: placemap.style({{ this.category|tojson }}),
            pointToLayer: placemap.pointToLayer({{ this.category|tojson }}, {{ this.pane|tojson }}),
            ...{{ this.options|tojavascript }}
        });
        {{ this.get_name() }}.addData({{ this.get_name() }}_data);
        {%- if this.kind == "line" %}
        placemap.widen({{ this.get_name() }});
        {%- endif %}
        {%- if this.cluster %}
        {{ this.get_name() }} = placemap.cluster({{ this.category|tojson }}, {{ this.get_name() }});
        {%- endif %}
        placemap.bind({{ this.category|tojson }}, {{ this.get_name() }});
        placemap.register({{ this.category|tojson }}, {{ this.get_name() }}, {{ this.get_name() }}_data);
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, layer: gpd.GeoDataFrame, category: str, *, cluster: bool | None = None, **kwargs: Any) -> None:
        if category not in CATEGORY_STYLES:
            raise ValueError(f"unknown layer {category!r}; expected one of {', '.join(CATEGORY_STYLES)}")
        if not hasattr(layer, "geometry"):
            raise TypeError(f"layer must be a GeoDataFrame, not {type(layer).__name__}")
        cluster = category == "shelling" if cluster is None else cluster
        if cluster and CATEGORY_STYLES[category][2] != "point":
            raise ValueError(f"only point layers cluster, not {category!r}")
        super().__init__({"type": "FeatureCollection", "features": []}, name=category, control=False, **kwargs)
        self._name = "EventGeoJson"
        self.category = category
        self.pane = kwargs.get("pane", "overlayPane")
        self.size = len(layer)
        self.features_js = feature_collection_js(map_properties(layer), layer.geometry.to_numpy())
        self.bounds = None if layer.empty else [float(v) for v in layer.total_bounds]
        self.cluster = cluster
        self.kind = CATEGORY_STYLES[category][2]
        if cluster:
            self.add_child(MarkerClusterAssets())

    def _get_self_bounds(self) -> list[list[float | None]]:
        if self.bounds is None:
            return [[None, None], [None, None]]
        west, south, east, north = self.bounds
        return [[south, west], [north, east]]

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        ensure_style(figure)
        # The data travels as a JSON island (parsed by JSON.parse, quicker than a literal
        # in a script); the text is script-safe (no "<"), see feature_collection_js.
        figure.html.add_child(
            RawHTML(f'<script type="application/json" id="{self.get_name()}_data">{self.features_js}</script>'),
            name=f"{self.get_name()}_data",
        )
        super().render(**kwargs)


class CategoryLayer(FeatureGroup):
    """A toggleable layer with one category's events (one ``EventGeoJson`` inside).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        A layer from :func:`placemap.maps.build_layers`.
    category : str
        Its name; the layer control shows its label, a swatch and the feature count.
    show : bool, optional
        Shown when the page opens; default True except for ``mentioned``.
    pane : str, optional
        The Leaflet pane to draw in.
    cluster : bool, optional
        Cluster dense points (see :class:`EventGeoJson`); default for shelling only.
    """

    def __init__(
        self,
        layer: gpd.GeoDataFrame,
        category: str,
        *,
        show: bool | None = None,
        pane: str | None = None,
        cluster: bool | None = None,
    ):
        if category not in CATEGORY_STYLES:
            raise ValueError(f"unknown layer {category!r}; expected one of {', '.join(CATEGORY_STYLES)}")
        show = category != "mentioned" if show is None else show
        super().__init__(name=layer_label(category, len(layer)), overlay=True, control=True, show=show)
        self._name = "CategoryLayer"
        self.category = category
        options = {"pane": pane} if pane else {}
        self.geojson = EventGeoJson(layer, category, cluster=cluster, **options)
        self.add_child(self.geojson)
