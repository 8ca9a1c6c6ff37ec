"""The page around the map: its ``<title>``, a hint when the map cannot load, and the
controls folded away on narrow screens.

- ``<title>`` carries the map's title (escaped), so tabs and bookmarks name the map.
- An online page needs Leaflet from a CDN and tiles from OpenStreetMap; without a
  network it would stay blank. A hint says so (and names ``--offline``) when Leaflet did
  not load or tiles fail.
- Below 700 px wide the layer control starts folded into its button and the legend into
  its summary line, so neither covers the title or the slider; a tap opens either.
- ``FitView`` fits the opening view to the events with room for the controls, which take
  much of a desktop map's edges but only thin strips of a folded phone one.
"""

from __future__ import annotations

from typing import Any

from folium.elements import MacroElement
from folium.template import Template

from .sanitize import escape
from .style import RawHTML, ensure_style

__all__ = ["NARROW", "FitView", "PageLayout"]

#: The media query for a phone-sized screen (the event list moves below the map too).
NARROW = "(max-width: 700px)"

_HINT = (
    '<div class="pm-nonet" role="alert" hidden><strong>The map could not load.</strong> This page fetches '
    "Leaflet and map tiles from the internet, and there seems to be no connection. Draw the map with "
    "<code>placemap map --offline</code> for a page that works without a network.</div>"
)
# A script of its own, outside the map's: that one stops at its first line without Leaflet.
_CHECK = (
    '<script>document.addEventListener("DOMContentLoaded", function () {'
    'if (typeof L === "undefined") { document.querySelector(".pm-nonet").hidden = false; }});</script>'
)


class PageLayout(MacroElement):
    """Page title, the no-network hint and folding controls on narrow screens.

    Parameters
    ----------
    title : str
        The page's ``<title>`` (escaped here).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            map.eachLayer(function (layer) {
                if (layer instanceof L.TileLayer) {
                    layer.once("tileerror", function () {
                        document.querySelector(".pm-nonet").hidden = false;
                    });
                }
            });
            if (!window.matchMedia({{ this.narrow|tojson }}).matches) { return; }
            var container = map.getContainer();
            var layers = container.querySelector(".leaflet-control-layers");
            if (layers) {
                layers.classList.remove("leaflet-control-layers-expanded");
                layers.querySelector(".leaflet-control-layers-toggle").addEventListener("click", function () {
                    layers.classList.add("leaflet-control-layers-expanded");
                });
                map.on("click", function () { layers.classList.remove("leaflet-control-layers-expanded"); });
            }
            container.querySelectorAll(".pm-legend details").forEach(function (details) { details.open = false; });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str) -> None:
        super().__init__()
        self._name = "PageLayout"
        self.title = title
        self.narrow = NARROW

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        ensure_style(figure)
        figure.header.add_child(RawHTML(f"<title>{escape(self.title)}</title>"), name="pm_title")
        figure.header.add_child(RawHTML(_CHECK), name="pm_nonet_check")
        figure.html.add_child(RawHTML(_HINT), name="pm_nonet")
        super().render(**kwargs)


class FitView(MacroElement):
    """The opening view: ``bounds`` fitted into the map, clear of its controls.

    Padding is chosen in the page, from the map's own size: on a wide map the title (top),
    the zoom buttons (left), the layer control and legend (right) and the scale (bottom)
    take their room; on a narrow one (:data:`NARROW`, controls folded) only a strip for the
    title and the folded buttons at the top and one for the scale at the bottom, so a phone
    is not zoomed out to a continent. No side's padding takes more than a third of the map.
    Add it before the layers: they are then drawn once, at the view they open with.

    Parameters
    ----------
    bounds : list
        ``[[south, west], [north, east]]``.
    max_zoom : int
        No closer than this (one event would otherwise fill the screen).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var size = map.getSize(), narrow = window.matchMedia({{ this.narrow|tojson }}).matches;
            var topLeft = narrow ? [12, 64] : [50, 70], bottomRight = narrow ? [12, 40] : [250, 60];
            function cap(pad, length) { return Math.min(pad, Math.round(length / 3)); }
            map.fitBounds({{ this.bounds|tojson }}, {
                paddingTopLeft: [cap(topLeft[0], size.x), cap(topLeft[1], size.y)],
                paddingBottomRight: [cap(bottomRight[0], size.x), cap(bottomRight[1], size.y)],
                maxZoom: {{ this.max_zoom|tojson }}, animate: false});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], *, max_zoom: int = 9) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.max_zoom = int(max_zoom)
        self.narrow = NARROW
