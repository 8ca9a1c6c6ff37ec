"""The offline map in a real browser: Debian's Chromium, driven by Playwright.

Skips unless ``/usr/bin/chromium`` (``apt-get install chromium``) and the ``playwright``
package (``pip install playwright``; Debian's browser is used, no ``playwright install``)
are present. Screenshots go to ``out/browser/`` for people to look at.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "out" / "browser"


pytestmark = pytest.mark.browser  # skipped without Chromium or Playwright (tests/conftest.py)


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("map_browser", ROOT / "benchmarks" / "map_browser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load_benchmark()


@pytest.fixture(scope="module")
def browser(bench):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = bench.launch(playwright)
        yield browser
        browser.close()


def test_example_map_in_chromium(bench, browser, tmp_path) -> None:
    path = bench.example_map(tmp_path, gazetteer=bench.open_gazetteer())
    report = bench.check_examples(browser, path, SCREENSHOTS / "examples.png")
    assert report["problems"] == [], report
    assert Path(report["screenshot"]).stat().st_size > 10_000


_SET = "([selector, value]) => { const el = document.querySelector(selector); el.value = value; "
_SET += "el.dispatchEvent(new Event('input')); }"


def test_time_slider_filters_the_layers(bench, browser, tmp_path) -> None:
    path = bench.example_map(tmp_path)
    page, _ = bench.load(browser, path)
    assert "(14 shown)" in page.inner_text(".pm-slider")
    page.evaluate(_SET, [".pm-range-to", 0])
    assert page.inner_text(".pm-slider .pm-when") == "2022-02-20 – 2022-02-20"
    assert "(1 shown)" in page.inner_text(".pm-slider")  # Belgorod only
    assert page.inner_text(".pm-count[data-pm-layer='military']") == "(1)"
    assert page.inner_text(".pm-count[data-pm-layer='shelling']") == "(0)"
    page.evaluate(_SET, [".pm-range-to", 100])
    page.evaluate(_SET, [".pm-range-from", 100])  # the last day: the proposed corridor only
    assert page.inner_text(".pm-slider .pm-when") == "2022-04-09 – 2022-04-09"
    assert "(1 shown)" in page.inner_text(".pm-slider")
    assert page.inner_text(".pm-count[data-pm-layer='corridor']") == "(1)"
    page.close()


def test_play_steps_the_end_day(bench, browser, tmp_path) -> None:
    path = bench.example_map(tmp_path)
    page, _ = bench.load(browser, path)
    page.click(".pm-play")  # at the end already: starts over from the first day
    assert page.inner_text(".pm-slider .pm-to") == "2022-02-20"
    page.wait_for_function("() => document.querySelector('.pm-slider .pm-to').textContent > '2022-02-22'")
    page.click(".pm-play")  # pause
    paused = page.inner_text(".pm-slider .pm-to")
    page.wait_for_timeout(900)
    assert page.inner_text(".pm-slider .pm-to") == paused
    page.close()


def test_hostile_text_stays_text(bench, browser, hostile_layers, hostile, tmp_path) -> None:
    from placemap.maps import escape, render_map

    path = tmp_path / "hostile.html"
    render_map(hostile_layers, title=hostile["img"], as_of=hostile["template"], offline=True).save(str(path))
    dialogs: list[str] = []
    page = browser.new_page(viewport=bench.VIEWPORT)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-control-layers")
    assert page.inner_text(".pm-title h1") == hostile["img"]
    assert "as of " + hostile["template"] in page.inner_text(".pm-title")
    name = "Evil<img src=x onerror=alert(1)>ville"
    point = page.evaluate(bench._FIND_FEATURE, ["shelling", escape(name)])  # properties hold escaped text
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content")
    popup = page.inner_text(".leaflet-popup-content")
    assert name in popup and hostile["path"] in popup and hostile["script"] in popup
    assert "According to " + hostile["img"] in popup
    assert page.evaluate("() => document.querySelectorAll('.leaflet-popup-content img, body > img').length") == 0
    page.mouse.move(point["x"] + 1, point["y"] + 1)
    assert dialogs == [] and errors == []
    page.close()


_CLUSTERS = """
() => {
    const entry = placemap.registry.find(e => e.name === "shelling");
    const shown = [];
    entry.layer._featureGroup.eachLayer(l => {
        if (l instanceof L.MarkerCluster) {
            const reports = l.getAllChildMarkers().reduce((n, m) => n + (m.feature.properties.reports || 1), 0);
            shown.push([reports, Number(l._icon.textContent)]);
        }
    });
    return shown;
}
"""


def test_dense_shelling_clusters(bench, browser, tmp_path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from map_speed import synthetic_documents

    from placemap.maps import build_layers, render_map

    layers = build_layers(synthetic_documents(1400))  # 200 shelling events over Ukraine
    path = tmp_path / "dense.html"
    render_map(layers, title="Dense", offline=True).save(str(path))
    page, report = bench.load(browser, path)
    assert report["console_errors"] == report["page_errors"] == report["requests"] == []
    assert page.locator(".marker-cluster").count() > 0
    clusters = page.evaluate(_CLUSTERS)
    assert clusters and all(reports == label for reports, label in clusters)  # bubbles count the reports
    page.eval_on_selector(".pm-slider input", "el => { el.value = 30; el.dispatchEvent(new Event('input')); }")
    earlier = page.evaluate(_CLUSTERS)
    assert sum(n for n, _ in earlier) < sum(n for n, _ in clusters)  # the slider filters the clusters
    assert all(reports == label for reports, label in earlier)
    page.evaluate("() => { window[document.querySelector('.folium-map').id].setZoom(9, {animate: false}); }")
    page.wait_for_timeout(300)
    assert page.locator(".marker-cluster").count() == 0  # every town on its own from zoom 9
    assert report["console_errors"] == report["page_errors"] == []
    page.close()


def test_real_mouse_reaches_every_line_and_area(bench, browser, tmp_path) -> None:
    path = bench.example_map(tmp_path)
    page, report = bench.load(browser, path)
    shapes = page.evaluate(bench._SHAPE_PIXELS)
    assert {s["name"] for s in shapes} == {"corridor", "refugees", "claim"}
    assert bench.click_shapes(page) == []
    assert report["console_errors"] == report["page_errors"] == []
    page.close()
    page, report = bench.load(browser, path)  # the opening view again: popups have panned the map
    assert bench.click_shapes(page, miss=5) == []  # 5 px beside a line (a dotted one's gap) is that line
    assert report["console_errors"] == report["page_errors"] == []
    page.close()


def test_events_at_one_place_share_one_popup(bench, browser, tmp_path) -> None:
    from placemap.maps import build_layers, render_map
    from placemap.maps.examples import make_document

    text = "The IAEA proposed a ceasefire at Enerhodar, where Russian troops hold the nuclear plant."
    document = make_document(
        "plant",
        text,
        [
            {"category": "ceasefire", "status": "proposed", "location": "Enerhodar"},
            {"category": "military", "status": "reported", "location": "Enerhodar"},
        ],
        published="2022-09-07",
    )
    path = tmp_path / "plant.html"
    render_map(build_layers([document]), title="Plant", offline=True).save(str(path))
    page, report = bench.load(browser, path)
    point = page.evaluate(bench._FIND_FEATURE, ["military", "Enerhodar"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content")
    popup = page.inner_text(".leaflet-popup-content")
    assert "2 events here" in popup and "CEASEFIRES" in popup.upper() and "MILITARY PRESENCE" in popup.upper()
    assert report["console_errors"] == report["page_errors"] == []
    page.close()


# -- the event list, its filters and the page layout ----------------------------------------
_ITEMS = "[data-placemap-events] [data-event]"
_SHOWN = "[data-placemap-events] [data-event]:not([hidden])"


def test_one_item_per_event_with_its_fields(bench, browser, tmp_path) -> None:
    page, report = bench.load(browser, bench.example_map(tmp_path))
    assert page.locator(_ITEMS).count() == 14  # every event, Kharkiv's three shelling reports too
    belgorod = page.inner_text(f"{_ITEMS}[data-event='belgorod-military#0']")
    for expected in ("MILITARY PRESENCE", "reported", "2022-02-20", "Belgorod", "troops massing", "Open-source"):
        assert expected.lower() in belgorod.lower()
    assert report["console_errors"] == report["page_errors"] == report["requests"] == []
    page.close()


def test_clicking_an_item_opens_its_popup(bench, browser, tmp_path) -> None:
    page, _ = bench.load(browser, bench.example_map(tmp_path))
    for event, expected in (("donbas-claim#0", "separatist claims"), ("refugees#1", "Odesa → Moldova")):
        page.click(f"{_ITEMS}[data-event='{event}']")
        page.wait_for_function(
            "text => (document.querySelector('.leaflet-popup-content') || {}).textContent?.includes(text)",
            arg=expected,
            timeout=5000,
        )
        assert page.get_attribute(f"{_ITEMS}.pm-active", "data-event") == event
    page.close()


def test_each_report_at_one_place_has_its_item_and_popup(bench, browser, tmp_path) -> None:
    page, report = bench.load(browser, bench.example_map(tmp_path))
    for day in ("1", "2", "7"):
        event = f"kharkiv-shelling-{day}#0"
        assert "2022-03-0" + day in page.inner_text(f"{_ITEMS}[data-event='{event}']")
        page.click(f"{_ITEMS}[data-event='{event}']")
        # The popup opens with this report first, then the others at Kharkiv.
        page.wait_for_function(
            "doc => { const first = document.querySelector('.leaflet-popup-content .pm-popup');"
            " return first && first.textContent.includes(doc); }",
            arg=f"kharkiv-shelling-{day}",
            timeout=5000,
        )
        assert "3 events here" in page.inner_text(".leaflet-popup-content")
    # The map's one marker at Kharkiv opens all three as well.
    page.evaluate("() => { window[document.querySelector('.folium-map').id].closePopup(); }")
    page.wait_for_selector(".leaflet-popup", state="detached")  # it fades out first
    point = page.evaluate(bench._FIND_FEATURE, ["shelling", "Kharkiv"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content")
    assert page.locator(".leaflet-popup-content .pm-popup").count() == 3
    assert report["console_errors"] == report["page_errors"] == []
    page.close()


def test_category_and_status_filters_follow_everywhere(bench, browser, tmp_path) -> None:
    page, _ = bench.load(browser, bench.example_map(tmp_path))
    page.uncheck(".pm-filter-categories input[value='corridor']")
    assert page.locator(_SHOWN).count() == 10
    assert page.inner_text(".pm-count[data-pm-layer='corridor']") == "(0)"
    assert "10 of 14 events" in page.inner_text(".pm-events-count")
    page.check(".pm-filter-categories input[value='corridor']")
    page.uncheck(".pm-filter-statuses input[value='reported']")
    shown = page.locator(_SHOWN).all_inner_texts()
    assert shown and not any("· reported" in text.lower() for text in shown)
    assert page.inner_text(".pm-count[data-pm-layer='shelling']") == "(0)"
    page.close()


def test_list_folds_away_and_the_map_grows(bench, browser, tmp_path) -> None:
    page, _ = bench.load(browser, bench.example_map(tmp_path))
    width = page.evaluate("() => document.querySelector('.folium-map').clientWidth")
    page.click(".pm-events-toggle")
    assert page.get_attribute(".pm-events-toggle", "aria-expanded") == "false"
    assert page.evaluate("() => document.querySelector('.folium-map').clientWidth") > width + 200
    page.close()


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


_EVENT_SPAN = """
() => {
    // The box of every event feature in map pixels, and the map's size.
    const map = window[document.querySelector('.folium-map').id];
    let bounds = null;
    placemap.registry.forEach(entry => {
        if (entry.name === "mentioned") { return; }
        (entry.all || entry.layer.getLayers()).forEach(layer => {
            const b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
            bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        });
    });
    const nw = map.latLngToContainerPoint(bounds.getNorthWest());
    const se = map.latLngToContainerPoint(bounds.getSouthEast());
    const size = map.getSize();
    return {left: nw.x, top: nw.y, right: se.x, bottom: se.y, width: size.x, height: size.y};
}
"""


def test_phone_layout(bench, browser, tmp_path) -> None:
    path = bench.example_map(tmp_path)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-control-layers")
    boxes = {
        name: page.locator(selector).bounding_box()
        for name, selector in (
            ("title", ".pm-title"),
            ("layers", ".leaflet-control-layers"),
            ("legend", ".pm-legend"),
            ("zoom", ".leaflet-control-zoom"),
        )
    }
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not _overlap(boxes[a], boxes[b]), (a, b, boxes)
    map_box = page.locator(".folium-map").bounding_box()
    assert page.locator(".pm-events").bounding_box()["y"] >= map_box["y"] + map_box["height"] - 1  # below the map
    # The opening view fits the events to the phone's map: all inside, and filling it in one direction.
    span = page.evaluate(_EVENT_SPAN)
    assert span["left"] >= 0 and span["top"] >= 0
    assert span["right"] <= span["width"] and span["bottom"] <= span["height"]
    assert max((span["right"] - span["left"]) / span["width"], (span["bottom"] - span["top"]) / span["height"]) > 0.6
    assert not page.is_visible(".leaflet-control-layers-list")  # folded
    last = page.locator(_ITEMS).last
    last.scroll_into_view_if_needed()
    assert page.locator(".folium-map").bounding_box()["y"] < 0  # scrolled away
    last.click()  # a tap on an item below the map brings the map back, its popup open
    page.wait_for_selector(".leaflet-popup-content")
    assert page.locator(".folium-map").bounding_box()["y"] >= -1
    page.evaluate("() => { window[document.querySelector('.folium-map').id].closePopup(); }")
    page.wait_for_selector(".leaflet-popup", state="detached")
    page.click(".leaflet-control-layers-toggle")
    assert page.is_visible(".leaflet-control-layers-list")
    page.click(".pm-legend summary")
    assert page.is_visible(".pm-legend h2")
    page.close()


def test_online_page_without_network_says_so(bench, browser, layers, tmp_path) -> None:
    from placemap.maps import render_map

    path = tmp_path / "online.html"
    render_map(layers, title="Online").save(str(path))
    page = browser.new_page()
    page.route("http*://**", lambda route: route.abort())
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector(".pm-nonet", state="visible")
    assert "--offline" in page.inner_text(".pm-nonet")
    assert page.title() == "Online"
    page.close()


def test_place_labels_follow_the_filters(bench, browser, tmp_path) -> None:
    page, _ = bench.load(browser, bench.example_map(tmp_path))
    assert page.locator(".pm-place-label", has_text="Belgorod").count() == 1
    page.uncheck(".pm-filter-categories input[value='military']")
    assert page.locator(".pm-place-label", has_text="Belgorod").count() == 0
    page.close()
