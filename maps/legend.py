"""The legend and the title box, as folium elements (Leaflet controls)."""

from __future__ import annotations

from typing import Any

from folium.elements import MacroElement
from folium.template import Template

from .sanitize import escape
from .style import CATEGORY_STYLES, STATUS_STYLES, ensure_style

__all__ = ["Legend", "MapTitle"]


class Legend(MacroElement):
    """What the symbols mean: corridor statuses, shelling sizes, flow widths, hatching.

    Parameters
    ----------
    position : str
        A Leaflet control corner, ``"bottomright"`` by default.
    statuses : sequence of str, optional
        Corridor statuses to explain (all by default).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "pm-panel pm-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, position: str = "bottomright", statuses: Any = None) -> None:
        super().__init__()
        self._name = "Legend"
        self.position = position
        self.html = legend_html(statuses)

    def render(self, **kwargs: Any) -> None:
        ensure_style(self.get_root())
        super().render(**kwargs)


def _line(colour: str, dash: str, width: float = 3.5, arrow: bool = True) -> str:
    head = f"<path d='M27,1 L35,6 L27,11 z' fill='{colour}'/>" if arrow else ""
    dash_attr = f" stroke-dasharray='{dash}'" if dash else ""
    return (
        f"<svg width='36' height='12' viewBox='0 0 36 12'><line x1='1' y1='6' x2='28' y2='6' stroke='{colour}' "
        f"stroke-width='{width}'{dash_attr}/>{head}</svg>"
    )


def _circle(radius: float, colour: str, *, hollow: bool = False) -> str:
    size = int(2 * radius + 4)
    fill = (
        f"fill='{colour}' fill-opacity='0.35' stroke='{colour}' stroke-dasharray='3 3'"
        if hollow
        else (f"fill='{colour}' fill-opacity='0.8' stroke='#fff'")
    )
    return (
        f"<svg width='{size}' height='{size}'><circle cx='{size / 2}' cy='{size / 2}' r='{radius}' {fill} "
        "stroke-width='1.5'/></svg>"
    )


def legend_html(statuses: Any = None) -> str:
    """The legend's HTML, from the fixed palette only (nothing here comes from documents)."""
    wanted = [s for s in STATUS_STYLES if statuses is None or s in set(statuses)]
    parts = ["<details open><summary>Legend</summary><h2>Corridors</h2>"]
    for status in wanted:
        colour, dash, words = STATUS_STYLES[status]
        parts.append(f"<div>{_line(colour, dash)}{escape(words)}</div>")
    refugees = CATEGORY_STYLES["refugees"][1]
    parts.append("<h2>Refugee flows</h2>")
    parts.append(
        f"<div>{_line(refugees, '', 2.5, False)}10,000</div><div>{_line(refugees, '', 8, False)}1 million</div>"
    )
    shelling = CATEGORY_STYLES["shelling"][1]
    parts.append("<h2>Shelling reports per place</h2><div>")
    parts.extend(f"{_circle(r, shelling)}{n}&nbsp;" for r, n in ((6, 1), (10, 2), (14, 5)))
    parts.append("</div>")
    claim = CATEGORY_STYLES["claim"][1]
    parts.append(
        "<h2>Other</h2>"
        f"<div><span class='pm-swatch pm-swatch-area' style='--pm-c:{claim}'></span>claimed area</div>"
        f"<div>{_circle(6, CATEGORY_STYLES['ceasefire'][1], hollow=True)}proposed or demanded</div></details>"
    )
    return "".join(parts)


class MapTitle(MacroElement):
    """The map's title and "as of" date, centred at the top of the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var div = L.DomUtil.create("div", "pm-panel pm-title", {{ this._parent.get_name() }}.getContainer());
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, as_of: str | None = None) -> None:
        super().__init__()
        self._name = "MapTitle"
        self.title = title
        self.as_of = as_of
        self.html = f"<h1>{escape(title)}</h1>" + (f"<div class='pm-asof'>as of {escape(as_of)}</div>" if as_of else "")

    def render(self, **kwargs: Any) -> None:
        ensure_style(self.get_root())
        super().render(**kwargs)
