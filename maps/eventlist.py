"""The event list beside the map: one item per event, with filters by category and status.

Each item shows the category, status, date, place(s), the quoted sentence and its source;
clicking it (or Enter on it) pans the map to the event and opens its popup. The panel sits
to the right of the map, below it on narrow screens, and folds away with one button.

The items are built in the page from the features the layers carry already (their text
was escaped in Python by :mod:`placemap.maps.sanitize`), so the page holds each event once.
Every event is its own feature and item, the shelling reports at one place too (the map
draws them as one marker): an item's popup opens with its event first, then the others there.
"""

from __future__ import annotations

from typing import Any

from folium.elements import MacroElement
from folium.template import Template

from .style import RawHTML, ensure_style

__all__ = ["EventList"]


class EventList(MacroElement):
    """A collapsible panel listing the map's events, with category and status filters.

    The panel carries ``data-placemap-events`` and each item ``data-event`` (the event's
    id). A :class:`placemap.maps.TimeSlider` on the same map moves into the panel.

    Parameters
    ----------
    collapsed : bool
        Start folded away.
    page_size : int
        Items shown at first and added by each "Show more".
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var panel = document.getElementById({{ this.get_name()|tojson }});
            var list = panel.querySelector(".pm-event-items"), count = panel.querySelector(".pm-events-count");
            var toggle = panel.querySelector(".pm-events-toggle");
            // CSS lays the page out with :has(); the class and a new map size only where it cannot
            // (a forced layout of thousands of features otherwise, for nothing).
            var laidOut = window.CSS && CSS.supports && CSS.supports("selector(body:has(> aside))");
            if (!laidOut) { document.body.classList.add("pm-with-events"); }
            var items = [];
            placemap.registry.forEach(function (entry) {
                if (entry.name === "mentioned") { return; }
                (entry.all || entry.layer.getLayers()).forEach(function (layer) {
                    if (!layer.pmTwin) { items.push({entry: entry, layer: layer, p: layer.feature.properties}); }
                });
            });
            // Oldest first (undated last): the order a reader follows a story in.
            items.forEach(function (item) { item.day = item.p.date_first || item.p.date || "\\uffff"; });
            items.sort(function (a, b) { return a.day < b.day ? -1 : a.day > b.day ? 1 : 0; });
            function row(cls, text) { return text ? '<div class="' + cls + '">' + text + "</div>" : ""; }
            // Every property was escaped in Python; only fixed markup is added here.
            function itemHTML(item, index) {
                var p = item.p, c = placemap.categories[item.entry.name];
                var when = p.date || "undated";
                if (p.date_first && p.date_first !== p.date) { when = p.date_first + " \\u2013 " + p.date; }
                if (p.reports > 1) { when += " \\u00b7 " + p.reports + " reports"; }
                var where = [p.admin1, p.country].filter(Boolean).join(", ");
                var kind = placemap.swatch(item.entry.name) + c[0] + (p.status ? " \\u00b7 " + p.status : "");
                where = where ? ' <span class="pm-where">' + where + "</span>" : "";
                return '<li data-event="' + p.id + '" data-index="' + index + '" tabindex="0">'
                    + row("pm-item-kind", kind)
                    + row("pm-item-when", when)
                    + row("pm-item-place", (p.label || p.place || "") + where)
                    + (p.quote ? "<blockquote>" + p.quote + "</blockquote>" : "")
                    + row("pm-src", [p.attribution ? "according to " + p.attribution : "", p.source]
                          .filter(Boolean).join(" \\u00b7 "))
                    + "</li>";
            }
            // The list shows a page of items at a time: 10,000 items in the page at once would
            // double the time the map takes to open.
            var page = {{ this.page_size }}, limit = page;
            var more = panel.querySelector(".pm-events-more");
            function render() {
                var shown = items.filter(function (item) { return item.entry.layer.hasLayer(item.layer); });
                var html = [];
                for (var i = 0; i < shown.length && i < limit; i += 1) {
                    html.push(itemHTML(shown[i], shown[i].index));
                }
                list.innerHTML = html.join("");
                more.hidden = shown.length <= limit;
                more.textContent = "Show more (" + (shown.length - limit) + " left)";
                count.textContent = shown.length === items.length ? items.length + " events"
                    : shown.length + " of " + items.length + " events";
            }
            items.forEach(function (item, index) { item.index = index; });
            more.addEventListener("click", function () { limit += page; render(); });
            function choose(li) {
                var item = items[+li.getAttribute("data-index")];
                list.querySelectorAll(".pm-active").forEach(function (el) { el.classList.remove("pm-active"); });
                li.classList.add("pm-active");
                // Below the map (a phone), the list may have scrolled the map away: bring it back.
                var box = map.getContainer().getBoundingClientRect();
                if (box.top < 0 || box.bottom > window.innerHeight) { map.getContainer().scrollIntoView(); }
                placemap.reveal(item.entry, item.layer, map);
            }
            list.addEventListener("click", function (e) {
                var li = e.target.closest("li[data-event]");
                if (li) { choose(li); }
            });
            list.addEventListener("keydown", function (e) {
                var li = e.target.closest("li[data-event]");
                if (li && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); choose(li); }
            });
            // Filter boxes for the categories and statuses the map holds, in the fixed orders.
            function boxes(cls, names, label) {
                var field = panel.querySelector(cls);
                field.innerHTML += names.map(function (name) {
                    return '<label><input type="checkbox" checked value="' + name + '">' + label(name) + "</label>";
                }).join("");
                field.addEventListener("change", function () {
                    var chosen = {};
                    field.querySelectorAll("input:checked").forEach(function (box) { chosen[box.value] = true; });
                    var change = {};
                    change[field.getAttribute("data-filter")] = chosen;
                    placemap.setFilter(change);
                });
            }
            var present = {}, statuses = {};
            items.forEach(function (item) {
                present[item.entry.name] = true;
                statuses[item.p.status || "reported"] = true;
            });
            boxes(".pm-filter-categories", Object.keys(placemap.categories).filter(function (n) { return present[n]; }),
                  function (name) { return placemap.swatch(name) + placemap.categories[name][0]; });
            boxes(".pm-filter-statuses", Object.keys(placemap.statuses).filter(function (s) { return statuses[s]; }),
                  function (status) { return placemap.statuses[status][2]; });
            placemap.onFilter(function () { limit = page; render(); });
            render();
            toggle.addEventListener("click", function () {
                var folded = panel.classList.toggle("pm-collapsed");
                toggle.setAttribute("aria-expanded", folded ? "false" : "true");
                map.invalidateSize();
            });
            if (!laidOut) { map.invalidateSize(); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, collapsed: bool = False, page_size: int = 200) -> None:
        super().__init__()
        self._name = "EventList"
        self.collapsed = bool(collapsed)
        self.page_size = int(page_size)

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        ensure_style(figure)
        folded = " pm-collapsed" if self.collapsed else ""
        # Fixed markup only: the items are filled in by the script from escaped properties.
        figure.html.add_child(
            RawHTML(
                f'<aside class="pm-events{folded}" id="{self.get_name()}" data-placemap-events aria-label="Events">'
                '<div class="pm-events-head"><button type="button" class="pm-events-toggle" '
                f'aria-expanded="{"false" if self.collapsed else "true"}" aria-label="Show or hide the event list">'
                '<span class="pm-events-title">Events</span></button> <span class="pm-events-count"></span></div>'
                '<div class="pm-events-body"><details class="pm-filters" open><summary>Filters</summary>'
                '<fieldset class="pm-filter-categories" data-filter="categories"><legend>Category</legend></fieldset>'
                '<fieldset class="pm-filter-statuses" data-filter="statuses"><legend>Status</legend></fieldset>'
                "<div data-placemap-time></div></details>"
                '<ol class="pm-event-items"></ol><button type="button" class="pm-events-more" hidden></button>'
                "</div></aside>"
            ),
            name=f"{self.get_name()}_panel",
        )
        super().render(**kwargs)
