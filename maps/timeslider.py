"""A time slider: two handles over the events' days choose the range shown, and a play
button steps the end day forward.

It sets the page's date filter (``placemap.setFilter``), which every placemap layer, the
layer counts, the place labels and the event list follow: a feature stays while its days
(``date_first`` to ``date``) meet the range; undated features always stay. Beside an
event list (:class:`placemap.maps.eventlist.EventList`) the slider sits among its filters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from folium.elements import MacroElement
from folium.template import Template

from .style import ensure_style

__all__ = ["TimeSlider", "event_days"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def event_days(layers: Iterable[Any]) -> list[str]:
    """The distinct ISO days (``YYYY-MM-DD``) in the layers' ``date``/``date_first``, sorted."""
    days: set[str] = set()
    for layer in layers:
        for column in ("date", "date_first"):
            if column in layer:
                values = layer[column].dropna().astype(str)
                days.update(values[values.str.match(_ISO_DAY)])
    return sorted(days)


class TimeSlider(MacroElement):
    """A Leaflet control with a two-handled range over ``days`` and a play button.

    Parameters
    ----------
    days : list of str
        Sorted ISO days (see :func:`event_days`); anything else is refused.
    position : str
        A Leaflet control corner (when there is no event list to sit in).
    interval : int
        Milliseconds between steps while playing.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var days = {{ this.days|tojson }}, last = days.length - 1;
            var div = L.DomUtil.create("div", "pm-panel pm-slider");
            div.innerHTML = '<div class="pm-slider-head"><button type="button" class="pm-play" '
                + 'aria-label="Play: step the end day forward">\u25b6</button> '
                + '<span class="pm-when"><span class="pm-from"></span> \u2013 <span class="pm-to"></span></span> '
                + '<span class="pm-count"></span></div>'
                + '<div class="pm-range"><input type="range" class="pm-range-from" min="0" step="1" '
                + 'aria-label="First day shown"><input type="range" class="pm-range-to" min="0" step="1" '
                + 'aria-label="Last day shown"></div>';
            var from = div.querySelector(".pm-range-from"), to = div.querySelector(".pm-range-to");
            var play = div.querySelector(".pm-play"), timer = null;
            [from, to].forEach(function (input) { input.max = last; });
            from.value = 0;
            to.value = last;
            function apply(moved) {
                // The handles never cross: the one moved pushes the other along.
                if (+from.value > +to.value) {
                    if (moved === from) { to.value = from.value; } else { from.value = to.value; }
                }
                div.querySelector(".pm-from").textContent = days[+from.value];
                div.querySelector(".pm-to").textContent = days[+to.value];
                placemap.setFilter({from: days[+from.value], to: days[+to.value]});
                count();
            }
            function count() {
                var shown = 0;
                if (placemap.shown) {
                    Object.keys(placemap.shown).forEach(function (name) {
                        if (name !== "mentioned") { shown += placemap.shown[name]; }
                    });
                } else {  // nothing filtered yet: every event is shown
                    placemap.registry.forEach(function (entry) {
                        if (entry.name === "mentioned") { return; }
                        entry.layer.getLayers().forEach(function (layer) { shown += layer.pmTwin ? 0 : 1; });
                    });
                }
                div.querySelector(".pm-count").textContent = "(" + shown + " shown)";
            }
            function stop() { clearInterval(timer); timer = null; play.textContent = "\u25b6"; }
            play.addEventListener("click", function () {
                if (timer) { stop(); return; }
                if (+to.value >= last) { to.value = from.value; apply(to); }
                play.textContent = "\u275a\u275a";
                timer = setInterval(function () {
                    if (+to.value >= last) { stop(); return; }
                    to.value = +to.value + 1;
                    apply(to);
                }, {{ this.interval }});
            });
            from.addEventListener("input", function () { stop(); apply(from); });
            to.addEventListener("input", function () { stop(); apply(to); });
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            // Every day chosen filters nothing out: the range is set without redrawing the layers.
            placemap.filters.from = days[0];
            placemap.filters.to = days[last];
            div.querySelector(".pm-from").textContent = days[0];
            div.querySelector(".pm-to").textContent = days[last];
            count();
            // Beside an event list the slider joins its filters; on its own it sits on the map.
            var home = document.querySelector("[data-placemap-time]");
            if (home) { home.appendChild(div); return L.DomUtil.create("div", "pm-slider-moved"); }
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, days: list[str], *, position: str = "bottomleft", interval: int = 700) -> None:
        super().__init__()
        if not days or not all(isinstance(day, str) and _ISO_DAY.match(day) for day in days):
            raise ValueError("days must be a non-empty list of YYYY-MM-DD strings")
        self._name = "TimeSlider"
        self.days = sorted(set(days))
        self.position = position
        self.interval = int(interval)

    def render(self, **kwargs: Any) -> None:
        ensure_style(self.get_root())
        super().render(**kwargs)
