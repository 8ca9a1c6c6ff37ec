"""The map's look: one palette, the page's CSS, the JavaScript that styles features and
builds popups, and the SVG arrowheads and hatching, as one folium element.

``PlacemapStyle`` is put into a page once (by name), whoever asks first: a category layer
added to a user's own ``folium.Map`` brings it along.

Popups are built in JavaScript from feature properties that :mod:`placemap.maps.sanitize`
has already escaped; the HTML around them is fixed text from this module.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure
from folium.elements import MacroElement
from folium.template import Template

from placemap.types import CATEGORIES, STATUSES

__all__ = ["CATEGORY_STYLES", "STATUS_STYLES", "PlacemapStyle", "RawHTML", "layer_label"]

#: layer -> (label, colour, geometry kind)
CATEGORY_STYLES: dict[str, tuple[str, str, str]] = {
    "talks": ("Talks venues", "#2b5fcc", "point"),
    "shelling": ("Shelling", "#d7301f", "point"),
    "corridor": ("Evacuation corridors", "#1a9850", "line"),
    "claim": ("Territorial claims", "#7b3294", "area"),
    "refugees": ("Refugee flows", "#0092a8", "line"),
    "ceasefire": ("Ceasefires", "#e8a202", "point"),
    "military": ("Military presence", "#3d3d3d", "point"),
    "mentioned": ("Places only mentioned", "#8c8c8c", "point"),
}
#: status -> (corridor colour, SVG dash array, legend wording)
STATUS_STYLES: dict[str, tuple[str, str, str]] = {
    "agreed": ("#1a9850", "", "agreed"),
    "reported": ("#4d7f3a", "", "reported"),
    "proposed": ("#e07b00", "9 6", "proposed"),
    "demanded": ("#e07b00", "2 5 9 5", "demanded"),
    "rejected": ("#707070", "1 6", "rejected"),
    "failed": ("#b2182b", "12 5 2 5", "failed"),
}
assert set(CATEGORY_STYLES) == {*CATEGORIES, "mentioned"} and set(STATUS_STYLES) == set(STATUSES)


def layer_label(name: str, count: int | None = None) -> str:
    """The layer control's label: a swatch, the layer's name and how many features it has.

    Only fixed text and an integer go in, so the HTML needs no escaping.
    """
    label, colour, kind = CATEGORY_STYLES[name]
    shape = {"point": "pm-swatch-point", "line": "pm-swatch-line", "area": "pm-swatch-area"}[kind]
    suffix = f" <span class='pm-count' data-pm-layer='{name}'>({int(count)})</span>" if count is not None else ""
    return f"<span class='pm-swatch {shape}' style='--pm-c:{colour}'></span>{label}{suffix}"


class RawHTML(Element):
    """Text put into the page as it is (no Jinja), for assets and fixed markup."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "RawHTML"
        self.html = html

    def render(self, **kwargs: Any) -> str:
        return self.html


def _js_table(table: dict[str, tuple[str, ...]]) -> str:
    # Fixed strings from this module: quotes never appear in them.
    return "{" + ",".join(f"{key}:{list(value)!r}" for key, value in table.items()) + "}"


class PlacemapStyle(MacroElement):
    """CSS, JavaScript helpers and SVG definitions shared by every placemap layer."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container { background: #cfe0ee; font: 13px/1.4 system-ui, -apple-system, "Segoe UI",
            Roboto, "DejaVu Sans", sans-serif; }
        .pm-swatch { display: inline-block; width: 12px; height: 12px; margin: 0 6px -1px 0;
            box-sizing: border-box; }
        .pm-swatch-point { border-radius: 50%; background: var(--pm-c); border: 1.5px solid #fff;
            box-shadow: 0 0 0 1px var(--pm-c); }
        .pm-swatch-line { height: 4px; margin-bottom: 3px; background: var(--pm-c); width: 16px; }
        .pm-swatch-area { background: repeating-linear-gradient(45deg, var(--pm-c) 0 2px, transparent 2px 5px);
            border: 1.5px solid var(--pm-c); }
        .pm-count { color: #666; }
        .leaflet-control-layers-expanded { padding: 8px 10px; }
        .leaflet-control-layers label { margin: 2px 0; }
        .pm-panel { background: rgba(255,255,255,.94); border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,.35);
            padding: 8px 10px; color: #222; }
        .pm-title { position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 1000;
            text-align: center; max-width: 60%; }
        .pm-title h1 { font-size: 17px; margin: 0; font-weight: 650; }
        .pm-title .pm-asof { font-size: 12px; color: #555; }
        .pm-legend { min-width: 190px; }
        .pm-legend h2 { font-size: 12px; margin: 6px 0 3px; text-transform: uppercase; letter-spacing: .04em;
            color: #555; }
        .pm-legend h2:first-child { margin-top: 0; }
        .pm-legend div { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
        .pm-legend svg { flex: none; }
        .pm-slider { min-width: 260px; }
        .pm-slider .pm-when { font-weight: 600; }
        .pm-play { border: 1px solid #999; background: #fff; border-radius: 4px; cursor: pointer; min-width: 30px;
            padding: 1px 6px; }
        /* Two range inputs on one track: only their thumbs take the mouse. */
        .pm-range { position: relative; height: 24px; margin-top: 4px; }
        .pm-range::before { content: ""; position: absolute; left: 2px; right: 2px; top: 10px; height: 4px;
            background: #bbb; border-radius: 2px; }
        .pm-range input { position: absolute; left: 0; top: 0; width: 100%; height: 24px; margin: 0;
            background: none; pointer-events: none; -webkit-appearance: none; appearance: none; }
        .pm-range input::-webkit-slider-thumb { pointer-events: auto; -webkit-appearance: none; width: 16px;
            height: 16px; border-radius: 50%; background: #2b5fcc; border: 2px solid #fff;
            box-shadow: 0 0 0 1px #2b5fcc; cursor: pointer; }
        .pm-range input::-moz-range-thumb { pointer-events: auto; width: 14px; height: 14px; border-radius: 50%;
            background: #2b5fcc; border: 2px solid #fff; cursor: pointer; }
        .pm-slider-moved { display: none; }
        /* The event list: right of the map, below it on narrow screens. */
        html, body { height: 100%; margin: 0; }
        /* :has() lays the page out before any script runs, so the map opens at its final size
           (the class is for browsers without it). */
        body.pm-with-events, body:has(> .pm-events) { display: flex; }
        body.pm-with-events > .folium-map, body:has(> .pm-events) > .folium-map { flex: 1 1 auto; min-width: 0;
            width: auto !important; }
        .pm-events { flex: 0 0 340px; height: 100%; display: flex; flex-direction: column; box-sizing: border-box;
            border-left: 1px solid #bbb; background: #fafafa; color: #222;
            font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        .pm-events.pm-collapsed { flex-basis: 44px; }
        .pm-events.pm-collapsed .pm-events-body, .pm-events.pm-collapsed .pm-events-count { display: none; }
        .pm-events-head { padding: 6px 8px; border-bottom: 1px solid #ddd; display: flex; gap: 8px;
            align-items: center; }
        .pm-events-toggle { border: 1px solid #999; background: #fff; border-radius: 4px; cursor: pointer;
            font-weight: 650; padding: 2px 8px; }
        .pm-events.pm-collapsed .pm-events-toggle { writing-mode: vertical-rl; padding: 8px 2px; }
        .pm-events-count { color: #555; }
        .pm-events-body { overflow-y: auto; flex: 1 1 auto; }
        .pm-filters { padding: 4px 8px; border-bottom: 1px solid #ddd; }
        .pm-filters summary { cursor: pointer; font-weight: 600; }
        .pm-filters fieldset { border: 0; margin: 2px 0; padding: 0; }
        .pm-filters legend { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #555;
            padding: 0; }
        .pm-filters label { display: inline-flex; align-items: center; margin: 1px 8px 1px 0; white-space: nowrap; }
        .pm-filters .pm-slider { box-shadow: none; padding: 4px 0; background: none; min-width: 0; }
        .pm-event-items { list-style: none; margin: 0; padding: 0; }
        .pm-event-items li { padding: 6px 10px; border-bottom: 1px solid #e4e4e4; cursor: pointer; }
        .pm-events-more { margin: 8px 10px; border: 1px solid #999; background: #fff; border-radius: 4px;
            cursor: pointer; padding: 3px 10px; }
        .pm-event-items li:hover, .pm-event-items li:focus { background: #eef3fb; outline: none; }
        .pm-event-items li.pm-active { background: #dde8f8; }
        .pm-event-items .pm-item-kind { font-size: 11px; text-transform: uppercase; letter-spacing: .04em;
            color: #555; }
        .pm-event-items .pm-item-place { font-weight: 650; }
        .pm-event-items .pm-where { font-weight: 400; color: #555; }
        .pm-event-items .pm-item-when { color: #444; font-size: 12px; }
        .pm-event-items blockquote { margin: 3px 0; padding: 0 0 0 8px; border-left: 3px solid #bbb;
            font-style: italic; }
        .pm-event-items .pm-src { font-size: 11px; color: #666; }
        .pm-legend summary { cursor: pointer; font-weight: 650; }
        .pm-legend details[open] summary { margin-bottom: 4px; }
        .pm-nonet { position: fixed; top: 30%; left: 50%; transform: translateX(-50%); z-index: 2000;
            max-width: 420px; background: #fff8e1; border: 1px solid #e0b000; border-radius: 6px;
            padding: 12px 16px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        @media (max-width: 700px) {
            .pm-title { max-width: 52%; padding: 4px 8px; }
            .pm-title h1 { font-size: 14px; }
            .pm-legend { min-width: 0; }
            .pm-slider { min-width: 200px; }
            body.pm-with-events, body:has(> .pm-events) { flex-direction: column; height: auto; min-height: 100%; }
            body.pm-with-events > .folium-map, body:has(> .pm-events) > .folium-map { flex: 0 0 auto;
                height: 70vh !important; width: 100% !important; }
            .pm-events { flex: 0 0 auto; height: auto; border-left: 0; border-top: 1px solid #bbb; }
            .pm-events.pm-collapsed .pm-events-toggle { writing-mode: horizontal-tb; padding: 2px 8px; }
            .pm-events-body { overflow: visible; }
        }
        .pm-area-label span, .pm-place-label span { position: absolute; white-space: nowrap; pointer-events: none;
            text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
        .pm-area-label span { transform: translate(-50%, -50%); color: #7a7163; font-size: 11px; font-weight: 600;
            letter-spacing: .06em; text-transform: uppercase; text-shadow: 0 0 3px #f3f0e8, 0 0 3px #f3f0e8; }
        .pm-area-label-admin1 span { font-size: 10px; font-weight: 500; text-transform: none; letter-spacing: 0;
            color: #948b7c; }
        .pm-place-label span { color: #1d1d1d; font-size: 12px; font-weight: 600; line-height: 16px; }
        .leaflet-interactive:focus { outline: none; }
        /* Each pane's SVG covers the whole map: only its paths take the mouse, so the panes
           below stay reachable. */
        .leaflet-pane > svg { pointer-events: none; }
        .pm-stack { max-height: 320px; overflow-y: auto; }
        .pm-stack-head { font-weight: 650; margin-bottom: 4px; }
        .pm-stack .pm-popup + .pm-popup { border-top: 1px solid #ddd; margin-top: 6px; padding-top: 6px; }
        .pm-popup { min-width: 200px; max-width: 300px; }
        .pm-popup .pm-kind { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
        .pm-popup .pm-kind .pm-swatch { margin-bottom: -2px; }
        .pm-popup .pm-place { font-size: 15px; font-weight: 650; margin-top: 2px; }
        .pm-popup .pm-where, .pm-popup .pm-date { color: #444; }
        .pm-popup blockquote { margin: 6px 0; padding: 2px 0 2px 8px; border-left: 3px solid #bbb;
            font-style: italic; color: #222; }
        .pm-popup .pm-src { font-size: 11px; color: #666; }
        .pm-popup .pm-note { font-size: 12px; color: #8a5a00; }
        .marker-cluster.pm-cluster { background: none; }
        .marker-cluster.pm-cluster div { position: absolute; inset: 0; width: auto; height: auto; margin: 0;
            box-sizing: border-box; border-radius: 50%; display: flex; align-items: center; justify-content: center;
            background: var(--pm-c); border: 2px solid #fff;
            box-shadow: 0 0 0 1px var(--pm-c), 0 1px 4px rgba(0,0,0,.4);
            color: #fff; font: 650 12px/1 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        .marker-cluster.pm-cluster span { line-height: 1; }
        {% for status in this.statuses %}
        .pm-arrow-{{ status }} { marker-end: url(#pm-arrow-{{ status }}); }
        {% endfor %}
        .pm-arrow-refugees { marker-end: url(#pm-arrow-refugees); }
        </style>
        <script>
        window.placemap = (function () {
            "use strict";
            var categories = {{ this.categories_js }};
            var statuses = {{ this.statuses_js }};
            var registry = [];
            function swatch(name) {
                var c = categories[name];
                var kind = c ? c[2] : "point";
                return '<span class="pm-swatch pm-swatch-' + kind + '" style="--pm-c:' + (c ? c[1] : "#888")
                    + '"></span>';
            }
            function row(cls, text) { return text ? '<div class="' + cls + '">' + text + "</div>" : ""; }
            // Every property was escaped in Python (placemap.maps.sanitize); only fixed
            // markup is added here.
            function popup(name, p) {
                var c = categories[name] || [name];
                var when = p.date || "";
                if (p.date_first && p.date_first !== p.date) { when = p.date_first + " – " + p.date; }
                if (p.reports > 1) { when += " · " + p.reports + " reports"; }
                if (p.count && name !== "mentioned") { when += " · count " + p.count; }
                var where = [p.admin1, p.country].filter(Boolean).join(", ");
                return '<div class="pm-popup">'
                    + row("pm-kind", swatch(name) + c[0] + (p.status ? " · " + p.status : ""))
                    + row("pm-place", p.label || p.place)
                    + row("pm-where", where)
                    + row("pm-date", when)
                    + (p.quote ? "<blockquote>" + p.quote + "</blockquote>" : "")
                    + row("pm-attr", p.attribution ? "According to " + p.attribution : "")
                    + row("pm-note", p.note)
                    + row("pm-src", [p.source, p.doc_id].filter(Boolean).join(" · "))
                    + "</div>";
            }
            function faint(status) { return status === "proposed" || status === "demanded"; }
            function dead(status) { return status === "rejected" || status === "failed"; }
            function point(name, p) {
                var c = categories[name][1];
                var style = {radius: 8, color: "#ffffff", weight: 2, fillColor: c, fillOpacity: 0.9, opacity: 1};
                if (name === "shelling") {
                    // The reports at one place are drawn on top of each other: one marker sized
                    // by their number, each so faint that the stack shows the opacity of one.
                    var here = Math.max(p.here || 1, p.reports || 1);
                    style.radius = Math.min(6 + 4 * Math.sqrt(here - 1), 26);
                    style.fillOpacity = 1 - Math.pow(0.25, 1 / (p.here || 1));
                } else if (name === "mentioned") {
                    style = {radius: 4, color: c, weight: 1.5, fillColor: "#ffffff", fillOpacity: 0.8};
                }
                if (faint(p.status)) { style.fillOpacity = 0.35; style.color = c; style.dashArray = "3 3"; }
                if (dead(p.status)) { style.fillOpacity = 0.2; style.color = c; style.dashArray = "1 4"; }
                return style;
            }
            function line(name, p) {
                if (name === "refugees") {
                    var w = p.count ? 2 + 1.6 * Math.log10(Math.max(p.count, 1000) / 1000) : 3;
                    return {color: categories.refugees[1], weight: Math.min(w, 11), opacity: 0.8,
                            lineCap: "butt", className: "pm-arrow-refugees"};
                }
                var s = statuses[p.status] || statuses.reported;
                return {color: s[0], weight: 4, opacity: 0.95, dashArray: s[1] || null, lineCap: "butt",
                        className: "pm-arrow-" + (p.status || "reported")};
            }
            function area(name, p) {
                var c = categories[name][1];
                return {color: c, weight: 2, opacity: 0.9, fillColor: "url(#pm-hatch-" + name + ")",
                        fillOpacity: 1, dashArray: faint(p.status) ? "6 4" : null};
            }
            function style(name) {
                return function (feature) {
                    var p = feature.properties, t = feature.geometry.type;
                    if (t.indexOf("Polygon") >= 0) { return area(name, p); }
                    if (t.indexOf("LineString") >= 0) { return line(name, p); }
                    return point(name, p);
                };
            }
            // Points are drawn on a canvas per pane: thousands of circles stay quick, where
            // SVG would add a DOM node each. Lines and areas stay SVG for arrows and hatching.
            var canvases = {};
            // The DOM event a placemap feature has handled already (set in bind()).
            var claimed = null;
            function pointToLayer(name, pane) {
                return function (feature, latlng) {
                    var options = point(name, feature.properties);
                    options.pane = pane;
                    options.renderer = canvases[pane] || (canvases[pane] = canvas(pane));
                    return L.circleMarker(latlng, options);
                };
            }
            function canvas(pane) {
                var renderer = L.canvas({pane: pane, padding: 0.3});
                renderer.on("add", function () { forward(renderer.getPane().querySelector("canvas")); });
                return renderer;
            }
            // A canvas is one element over the whole map: it would take every click and hover
            // meant for the lines and areas drawn under it. What no point on it claims is sent
            // on to the feature underneath (an SVG path, or the next pane's canvas), with the
            // mouseover and mouseout Leaflet needs for tooltips.
            function forward(el) {
                if (!el || el.pmForwarding) { return; }
                el.pmForwarding = true;
                var below = null;
                function underneath(e) {
                    var target = document.elementFromPoint(e.clientX, e.clientY);
                    var usable = target && (target.tagName === "CANVAS"
                        || (target.classList && target.classList.contains("leaflet-interactive")));
                    return usable ? target : null;
                }
                // The canvas stays out of the way until the event has been handed on, so what lies
                // beneath (another canvas forwarding in turn) never hands it back.
                function handOn(e, act) {
                    el.style.pointerEvents = "none";
                    try { act(underneath(e)); } finally { el.style.pointerEvents = ""; }
                }
                function send(target, type, e, related) {
                    target.dispatchEvent(new MouseEvent(type, {
                        bubbles: true, cancelable: true, view: window, clientX: e.clientX, clientY: e.clientY,
                        screenX: e.screenX, screenY: e.screenY, button: e.button, buttons: e.buttons,
                        ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey,
                        relatedTarget: related || null}));
                }
                function leave(e, next) {
                    if (below && below !== next) {
                        send(below, "mouseout", e, next || el);
                        below = null;
                        el.style.cursor = "";
                    }
                }
                el.addEventListener("mousemove", function (e) {
                    // Over one of its own features (Leaflet marks the canvas so; its hover test
                    // runs at most every 32 ms, so this move may not have claimed it): keep it.
                    if (e === claimed || el.classList.contains("leaflet-interactive")) { leave(e, null); return; }
                    handOn(e, function (target) {
                        leave(e, target);
                        if (!target) { return; }
                        if (target !== below) { send(target, "mouseover", e, el); below = target; }
                        el.style.cursor = "pointer";
                        send(target, "mousemove", e);
                    });
                });
                el.addEventListener("mouseout", function (e) { leave(e, e.relatedTarget); });
                // Not mousedown/mouseup: the map drags on the canvas's own, and twice would not do.
                ["click", "dblclick", "contextmenu"].forEach(function (type) {
                    el.addEventListener(type, function (e) {
                        if (e === claimed) { return; }
                        handOn(e, function (target) { if (target) { send(target, type, e); } });
                    });
                });
            }
            // A thin or dotted line is hard to hit (its gaps take no clicks): each line gets a
            // twin carrying the same feature, so popups, tooltips and filters treat the two as
            // one. The twins are never drawn: they live on a canvas of their own, which finds the
            // line within a few pixels of the mouse from the geometry (no SVG element each: they
            // would double the lines' share of the page). That canvas lies under the pane's SVG,
            // so a line hit squarely is always that line.
            var hitCanvases = {};
            function hitCanvas(pane) {
                if (hitCanvases[pane]) { return hitCanvases[pane]; }
                var renderer = L.canvas({pane: pane, padding: 0.3, tolerance: 7});
                renderer.on("add", function () {
                    var host = renderer.getPane(), el = renderer.getContainer ? renderer.getContainer()
                        : renderer._container;
                    host.insertBefore(el, host.firstChild);
                    forward(el);
                });
                hitCanvases[pane] = renderer;
                return renderer;
            }
            function widen(group) {
                group.getLayers().forEach(function (layer) {
                    if (!(layer instanceof L.Polyline) || layer instanceof L.Polygon) { return; }
                    var twin = L.polyline(layer.getLatLngs(), {
                        pane: layer.options.pane, renderer: hitCanvas(layer.options.pane), stroke: false,
                        fill: false});
                    twin.feature = layer.feature;
                    twin.pmTwin = true;
                    group.addLayer(twin);
                });
            }
            // Points drawn within a few pixels of this one (on any shown layer): events at one
            // place would hide each other, so one popup lists them all.
            function colocated(name, layer, map) {
                map = layer._map || map;
                if (!map || !layer.getLatLng) { return [[name, layer.feature.properties]]; }
                var here = map.latLngToContainerPoint(layer.getLatLng()), found = [];
                registry.forEach(function (entry) {
                    if (!map.hasLayer(entry.layer)) { return; }
                    (entry.all || entry.layer.getLayers()).forEach(function (other) {
                        if (!other.getLatLng || !entry.layer.hasLayer(other)) { return; }
                        var there = map.latLngToContainerPoint(other.getLatLng());
                        if (other === layer) { found.unshift([entry.name, other.feature.properties]); }
                        else if (here.distanceTo(there) < 4) { found.push([entry.name, other.feature.properties]); }
                    });
                });
                return found.length ? found : [[name, layer.feature.properties]];
            }
            function popupFor(name, layer, map) {
                var here = colocated(name, layer, map);
                if (here.length < 2) { return popup(name, layer.feature.properties); }
                return '<div class="pm-stack"><div class="pm-stack-head">' + here.length + " events here</div>"
                    + here.map(function (h) { return popup(h[0], h[1]); }).join("") + "</div>";
            }
            // One popup and one tooltip per layer, not per feature: Leaflet opens them on
            // the feature clicked or hovered, and 10,000 features cost no extra objects. The
            // tooltip, which follows the mouse, is opened from the layer's own mouse events:
            // Leaflet's bindTooltip would also hang focus listeners on each of thousands of SVG
            // paths, none of which can take the focus.
            function bind(name, group) {
                var tip = L.tooltip({direction: "auto", offset: [12, 0]}), shownOn = null;
                group.on("mouseover mousemove", function (e) {
                    var map = group._map, p = e.layer && e.layer.feature && e.layer.feature.properties;
                    if (!map || !p) { return; }
                    tip.setLatLng(e.latlng);
                    if (e.type === "mouseover" || !map.hasLayer(tip)) {
                        tip.setContent(p.label || p.place || "");
                        map.openTooltip(tip);
                        shownOn = map;
                    }
                });
                group.on("mouseout remove", function () {
                    if (shownOn) { shownOn.closeTooltip(tip); shownOn = null; }
                });
                group.bindPopup(function (layer) { return popupFor(name, layer); },
                                {maxWidth: 320, autoPanPaddingTopLeft: [60, 110]});
                group.on("click dblclick contextmenu mousemove", function (e) { claimed = e.originalEvent; });
            }
            // Dense points merge into one bubble per cluster (Leaflet.markercluster) showing the
            // number of reports; they split apart on zoom, and from zoom 9 every place shows.
            // Only numbers and fixed markup go into the icon. No animation: bubbles would fly
            // out from the middle after the opening fitBounds, and 10,000 points redraw faster.
            // A bubble whose reports are all at one place opens their popup: zooming in would
            // never split it.
            function cluster(name, layer) {
                var group = L.markerClusterGroup({
                    disableClusteringAtZoom: 9, maxClusterRadius: 45, showCoverageOnHover: false,
                    spiderfyOnMaxZoom: false, animate: false, zoomToBoundsOnClick: false,
                    iconCreateFunction: function (c) {
                        var markers = c.getAllChildMarkers(), n = 0, places = {};
                        markers.forEach(function (m) {
                            n += m.feature.properties.reports || 1;
                            places[m.getLatLng().toString()] = true;
                        });
                        var size = Math.round(Math.min(28 + 7 * Math.log10(n), 50));
                        return L.divIcon({
                            html: '<div style="--pm-c:' + categories[name][1] + '" title="' + n + " reports, "
                                + Object.keys(places).length + ' places"><span>' + n + "</span></div>",
                            className: "marker-cluster pm-cluster", iconSize: L.point(size, size)});
                    }
                });
                group.addLayers(layer.getLayers());
                group.on("clusterclick", function (e) {
                    if (!onePlace(e.layer)) { e.layer.zoomToBounds(); return; }
                    openPopup(group._map, name, e.layer.getAllChildMarkers()[0]);
                });
                return group;
            }
            function register(name, layer, data) { registry.push({name: name, layer: layer, data: data}); }
            // What the filters let through: categories and statuses (null: all) and a range of
            // ISO days (null: open). The layers, their counts in the layer control, the place
            // labels and the event list all follow this one state; apply() redraws them.
            var filters = {categories: null, statuses: null, from: null, to: null};
            var watchers = [];
            var isoDay = /^\\d{4}-\\d{2}-\\d{2}$/;
            function passes(name, p) {
                if (name !== "mentioned") {
                    if (filters.categories && !filters.categories[name]) { return false; }
                    if (filters.statuses && !filters.statuses[p.status || "reported"]) { return false; }
                }
                var first = p.date_first || p.date, last = p.date || p.date_first;
                if (!isoDay.test(first || "") || !isoDay.test(last || "")) { return true; }  // undated
                return !((filters.from && last < filters.from) || (filters.to && first > filters.to));
            }
            function apply() {
                var shown = {}, places = {};
                registry.forEach(function (entry) {
                    if (!entry.all) { entry.all = entry.layer.getLayers(); }
                    var add = [], drop = [], n = 0;
                    entry.all.forEach(function (layer) {
                        var p = layer.feature.properties, keep = passes(entry.name, p);
                        var has = entry.layer.hasLayer(layer);
                        if (keep && !layer.pmTwin && entry.name !== "mentioned") {
                            n += 1;
                            // A flow's label is "origin → destination" (escaped names joined here).
                            (p.label || p.place || "").split(" → ").forEach(function (s) { places[s] = true; });
                        }
                        if (keep && !has) { add.push(layer); } else if (!keep && has) { drop.push(layer); }
                    });
                    if (entry.layer.addLayers) {  // a cluster group: re-cluster once, not per point
                        entry.layer.removeLayers(drop);
                        entry.layer.addLayers(add);
                    } else {
                        drop.forEach(function (layer) { entry.layer.removeLayer(layer); });
                        add.forEach(function (layer) { entry.layer.addLayer(layer); });
                    }
                    if (entry.name === "mentioned") { n = entry.all.length - drop.length; }
                    shown[entry.name] = (shown[entry.name] || 0) + n;
                });
                Object.keys(shown).forEach(function (name) {
                    document.querySelectorAll('.pm-count[data-pm-layer="' + name + '"]').forEach(function (el) {
                        el.textContent = "(" + shown[name] + ")";
                    });
                });
                api.shown = shown;
                api.shownPlaces = places;
                watchers.forEach(function (watch) { watch(); });
            }
            function setFilter(changes) {
                Object.keys(changes).forEach(function (key) { filters[key] = changes[key]; });
                apply();
            }
            function onFilter(watch) { watchers.push(watch); }
            function onePlace(bubble) {
                var bounds = bubble.getBounds();
                return bounds.getNorthEast().equals(bounds.getSouthWest());
            }
            function openPopup(map, name, layer) {
                var at = layer.getLatLng ? layer.getLatLng() : layer.getCenter();
                L.popup({maxWidth: 320, autoPanPaddingTopLeft: [60, 110]}).setLatLng(at)
                    .setContent(popupFor(name, layer, map)).openOn(map);
            }
            // Show a feature: pan (or zoom a cluster apart) and open its popup, which lists the
            // feature first and then the events at the same spot.
            function reveal(entry, layer, map) {
                function open() { openPopup(map, entry.name, layer); }
                if (layer.getLatLng && entry.layer.zoomToShowLayer) {
                    map.setView(layer.getLatLng(), map.getZoom(), {animate: false});
                    var shown = entry.layer.getVisibleParent(layer);
                    if (shown === layer || (shown && shown.getBounds && onePlace(shown))) { open(); }
                    else { entry.layer.zoomToShowLayer(layer, open); }
                } else if (layer.getLatLng) {
                    map.setView(layer.getLatLng(), Math.max(map.getZoom(), 7), {animate: false});
                    open();
                } else {
                    map.fitBounds(layer.getBounds(), {maxZoom: 8, animate: false});
                    open();
                }
            }
            var api = {categories: categories, statuses: statuses, popup: popup, style: style,
                       pointToLayer: pointToLayer, cluster: cluster, bind: bind, register: register, widen: widen,
                       registry: registry, filters: filters, passes: passes, apply: apply, setFilter: setFilter,
                       onFilter: onFilter, reveal: reveal, popupFor: popupFor, swatch: swatch};
            return api;
        })();
        </script>
        {% endmacro %}

        {% macro html(this, kwargs) %}
        <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">
          <defs>
          {% for status, colour in this.status_colours %}
            <marker id="pm-arrow-{{ status }}" viewBox="0 0 10 10" refX="7" refY="5" markerWidth="4"
                markerHeight="4" orient="auto" markerUnits="strokeWidth">
              <path d="M0,0 L10,5 L0,10 z" fill="{{ colour }}"/>
            </marker>
          {% endfor %}
            <marker id="pm-arrow-refugees" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="16"
                markerHeight="16" orient="auto" markerUnits="userSpaceOnUse">
              <path d="M0,0 L10,5 L0,10 z" fill="{{ this.refugee_colour }}"/>
            </marker>
          {% for name, colour in this.area_colours %}
            <pattern id="pm-hatch-{{ name }}" width="8" height="8" patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)">
              <rect width="8" height="8" fill="{{ colour }}" fill-opacity="0.12"/>
              <line x1="0" y1="0" x2="0" y2="8" stroke="{{ colour }}" stroke-width="3" stroke-opacity="0.55"/>
            </pattern>
          {% endfor %}
          </defs>
        </svg>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PlacemapStyle"
        self.statuses = list(STATUS_STYLES)
        self.categories_js = _js_table(CATEGORY_STYLES)
        self.statuses_js = _js_table(STATUS_STYLES)
        self.status_colours = [(status, colour) for status, (colour, _, _) in STATUS_STYLES.items()]
        self.refugee_colour = CATEGORY_STYLES["refugees"][1]
        self.area_colours = [(n, colour) for n, (_, colour, kind) in CATEGORY_STYLES.items() if kind == "area"]

    def render(self, **kwargs: Any) -> None:
        """Put the CSS/JS into the page's head and the SVG definitions into its body, once."""
        ensure_style(self.get_root())

    @classmethod
    def ensure(cls, figure: Figure) -> None:
        ensure_style(figure)


def ensure_style(figure: Any) -> None:
    """Add the placemap CSS, JavaScript and SVG definitions to ``figure`` unless present."""
    if not isinstance(figure, Figure) or "placemap_style" in figure.header._children:
        return
    style = PlacemapStyle()
    module = style._template.module
    figure.header.add_child(RawHTML(module.header(style, {})), name="placemap_style")
    figure.html.add_child(RawHTML(module.html(style, {})), name="placemap_defs")
