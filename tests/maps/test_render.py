from __future__ import annotations

import re

import folium
import pytest

from placemap.maps import render_map
from placemap.maps.layers import LAYER_NAMES, build_layers
from placemap.maps.style import CATEGORY_STYLES


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def test_one_geojson_layer_per_category(layers) -> None:
    html = _html(render_map(layers, title="T", as_of="2022-04-09"))
    assert html.count("= L.geoJson(null") == len(LAYER_NAMES)
    assert html.count('type="application/json"') == len(LAYER_NAMES)
    for name in LAYER_NAMES:
        assert CATEGORY_STYLES[name][0] in html  # in the layer control's labels


def test_mentioned_layer_is_hidden_by_default(layers) -> None:
    m = render_map(layers, title="T")
    groups = {child.category: child for child in m._children.values() if type(child).__name__ == "CategoryLayer"}
    assert set(groups) == set(LAYER_NAMES)
    assert [name for name, group in groups.items() if not group.show] == ["mentioned"]
    html = _html(m)
    for name, group in groups.items():
        added = f"{group.get_name()}.addTo({m.get_name()})" in html
        assert added == (name != "mentioned"), name


def test_controls_title_and_bounds(layers) -> None:
    html = _html(render_map(layers, title="Front line", as_of="2022-04-09"))
    assert "L.control.layers(" in html and '"collapsed": false' in html
    assert "pm-legend" in html and "Front line" in html and "as of 2022-04-09" in html
    match = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", html)
    south, west, north, east = map(float, match.groups())
    bounds = [layer.total_bounds for name, layer in layers.items() if name != "mentioned"]
    assert west == pytest.approx(min(b[0] for b in bounds)) and east == pytest.approx(max(b[2] for b in bounds))
    assert south == pytest.approx(min(b[1] for b in bounds)) and north == pytest.approx(max(b[3] for b in bounds))


def test_as_of_defaults_to_latest_event_day(layers) -> None:
    assert "as of 2022-04-09" in _html(render_map(layers, title="T"))


def test_time_slider_only_when_events_span_days(layers, areas) -> None:
    assert "pm-panel pm-slider" in _html(render_map(layers, title="T"))
    from placemap.maps.examples import example_documents

    one_day = [d for d in example_documents() if d.id == "istanbul-talks"]
    assert "pm-panel pm-slider" not in _html(render_map(build_layers(one_day, gazetteer=areas), title="T"))


def test_online_uses_osm_tiles_and_only_leaflet_assets(layers) -> None:
    html = _html(render_map(layers, title="T"))
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html and "contributors" in html
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    pinned = ("/npm/leaflet@1.9.3/dist/", "/npm/leaflet.markercluster@1.5.3/dist/")
    assert links and all(link.startswith("https://cdn.jsdelivr.net") and link.count("@") == 1 for link in links)
    assert all(any(p in link for p in pinned) for link in links)
    for unwanted in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert unwanted not in html.lower()


def test_offline_page_references_nothing_outside(layers) -> None:
    html = _html(render_map(layers, title="T", offline=True))
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "url(http" not in html and "@import" not in html
    assert "openstreetmap" not in html.lower()
    # What is left are names, not fetches: SVG's namespace and Leaflet's credit link.
    assert set(re.findall(r"https?://[^\s\"'<>)\\]+", html)) <= {"http://www.w3.org/2000/svg", "https://leafletjs.com"}
    assert "Leaflet 1.9.3" in html  # inlined, with its licence header


def test_hostile_strings_never_reach_the_page_raw(hostile_layers, payloads) -> None:
    for offline in (False, True):
        html = _html(render_map(hostile_layers, title=payloads[0], as_of=payloads[3], offline=offline))
        for payload in payloads:
            assert payload not in html, payload
        assert "&#x24;{alert(1)}" in html and "C:&#x5C;users&#x5C;new" in html
        assert html.count("</script>") == html.count("<script")


def test_unknown_layer_names_are_refused(layers) -> None:
    with pytest.raises(ValueError, match="unknown layers"):
        render_map({"bombing": layers["shelling"]}, title="T")


def test_empty_layers_render(areas) -> None:
    html = _html(render_map(build_layers([]), title="Nothing yet", offline=True))
    assert "Nothing yet" in html and "pm-panel pm-slider" not in html


def test_basemap_drawn_offline(layers, areas) -> None:
    import geopandas as gpd

    from placemap.maps.examples import PLACES

    basemap = gpd.GeoDataFrame(
        {"name": ["Poland", "Ukraine"], "kind": ["country", "country"], "country_code": ["PL", "UA"]},
        geometry=[areas.area(PLACES["Poland"]), areas.area(PLACES["Mariupol"].__class__(690791, "Ukraine", 49, 32))],
        crs="EPSG:4326",
    )
    html = _html(render_map(layers, title="T", offline=True, basemap=basemap))
    assert "pm-base" in html and "Poland" in html and "interactive: false" in html
