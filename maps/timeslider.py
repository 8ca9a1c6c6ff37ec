"""A time slider: a range input over the events' dates that shows events up to a day.

It filters every placemap layer on the page (``placemap.registry``): a feature stays
while its first date (``date_first``, else ``date``) is on or before the chosen day;
undated features always stay. A cluster group (shelling) gets the changes in one batch.
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
    """A Leaflet control with a range input stepping through ``days``.

    Parameters
    ----------
    days : list of str
        Sorted ISO days (see :func:`event_days`); anything else is refused.
    position : str
        A Leaflet control corner.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var days = {{ this.days|tojson }};
            var div = L.DomUtil.create("div", "pm-panel pm-slider");
            div.innerHTML = '<div>Events up to <span class="pm-when"></span> <span class="pm-count"></span></div>'
                + '<input type="range" min="0" step="1" aria-label="Show events up to this day">';
            var input = div.querySelector("input");
            input.max = days.length - 1;
            input.value = days.length - 1;
            var when = div.querySelector(".pm-when"), count = div.querySelector(".pm-count");
            function apply() {
                var cutoff = days[+input.value], shown = 0;
                when.textContent = cutoff;
                placemap.registry.forEach(function (entry) {
                    if (!entry.all) { entry.all = entry.layer.getLayers(); }
                    var add = [], drop = [];
                    entry.all.forEach(function (layer) {
                        var p = layer.feature.properties, day = p.date_first || p.date;
                        var keep = !day || day <= cutoff, has = entry.layer.hasLayer(layer);
                        if (keep && entry.name !== "mentioned" && !layer.pmTwin) { shown += 1; }
                        if (keep && !has) { add.push(layer); }
                        else if (!keep && has) { drop.push(layer); }
                    });
                    if (entry.layer.addLayers) {  // a cluster group: re-cluster once, not per point
                        entry.layer.removeLayers(drop);
                        entry.layer.addLayers(add);
                    } else {
                        drop.forEach(function (layer) { entry.layer.removeLayer(layer); });
                        add.forEach(function (layer) { entry.layer.addLayer(layer); });
                    }
                });
                count.textContent = "(" + shown + " shown)";
            }
            input.addEventListener("input", apply);
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            apply();
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, days: list[str], *, position: str = "bottomleft") -> None:
        super().__init__()
        if not days or not all(isinstance(day, str) and _ISO_DAY.match(day) for day in days):
            raise ValueError("days must be a non-empty list of YYYY-MM-DD strings")
        self._name = "TimeSlider"
        self.days = sorted(set(days))
        self.position = position

    def render(self, **kwargs: Any) -> None:
        ensure_style(self.get_root())
        super().render(**kwargs)
