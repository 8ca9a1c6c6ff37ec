"""Open offline maps in headless Chromium (Debian's, driven by Playwright) and check them.

    .venv/bin/python benchmarks/map_browser.py [--out out/browser] [--events 10000]

Loads the offline map of the example dispatches (``placemap.maps.examples``): no console
errors, no request leaving the page, every category in the layer control, the legend
shown, a popup that opens on a click with the right text; saves a screenshot. With
``--events N`` it also times Chromium showing an offline map of N synthetic events.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``) and the ``playwright`` Python
package (``pip install playwright``; no ``playwright install``: Debian's browser is used).
``tests/maps/test_browser.py`` runs the same checks.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def example_map(out: Path, *, gazetteer: Any = None) -> Path:
    """Write the offline map of the example documents to ``out/examples.html``."""
    from placemap.maps import build_layers, render_map
    from placemap.maps.examples import ExampleAreas, example_basemap, example_documents

    documents = example_documents()
    areas = gazetteer if gazetteer is not None else ExampleAreas()
    layers = build_layers(documents, gazetteer=areas)
    basemap = example_basemap() if gazetteer is None else None
    page = render_map(
        layers,
        title="War in Ukraine: talks, shelling, corridors",
        offline=True,
        basemap=basemap,
        gazetteer=gazetteer,
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / "examples.html"
    page.save(str(path))
    return path


def open_gazetteer() -> Any:
    """The embedded gazetteer when it is built already, else ``None`` (example boxes)."""
    from placemap.exc import PlacemapError
    from placemap.gazetteer import Gazetteer

    try:
        return Gazetteer.open(build_if_missing=False)
    except PlacemapError:  # no store yet, or a stale one: the check runs on example areas
        return None


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def guarded_page(context: Any, allowed: tuple[str, ...], problems: list[str]) -> Any:
    """A new page of ``context`` that refuses every request not starting with one of ``allowed``
    and records refused requests, console errors and page errors in ``problems``."""

    def local_only(route: Any) -> None:
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            problems.append(f"request: {route.request.url}")
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return page


def load(browser: Any, path: Path) -> tuple[Any, dict[str, Any]]:
    """Open ``path``; return the page and what happened while loading."""
    page = browser.new_page(viewport=VIEWPORT)
    report: dict[str, Any] = {"console_errors": [], "page_errors": [], "requests": []}
    page.on("console", lambda m: report["console_errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
    page.on("request", lambda r: report["requests"].append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    started = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-control-layers")
    # Two animation frames: Leaflet has drawn the SVG by then.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    report["load_seconds"] = time.perf_counter() - started
    return page, report


_FIND_FEATURE = """
([name, place]) => {
    const map = window[document.querySelector('.folium-map').id];
    const entry = placemap.registry.find(e => e.name === name);
    const layer = entry.layer.getLayers().find(l => l.feature.properties.place === place);
    const p = map.latLngToContainerPoint(layer.getLatLng());
    const box = map.getContainer().getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y};
}
"""


_SHAPE_PIXELS = """
() => {
    // The middle of every line and the centre of every area, in page pixels, with its label.
    const map = window[document.querySelector('.folium-map').id];
    const box = map.getContainer().getBoundingClientRect();
    const out = [];
    placemap.registry.forEach(entry => entry.layer.getLayers().forEach(layer => {
        if (layer.pmTwin) { return; }
        let latlng = null;
        if (layer instanceof L.Polygon) {
            latlng = layer.getCenter();
        } else if (layer instanceof L.Polyline) {
            const ends = layer.getLatLngs().map(ll => map.latLngToContainerPoint(ll));
            const a = ends[0], b = ends[ends.length - 1], p = a.add(b).divideBy(2);
            const length = Math.max(a.distanceTo(b), 1e-9);  // the unit normal, for near misses
            out.push({name: entry.name, label: layer.feature.properties.label, x: box.left + p.x, y: box.top + p.y,
                      nx: (a.y - b.y) / length, ny: (b.x - a.x) / length});
            return;
        }
        if (latlng) {
            const p = map.latLngToContainerPoint(latlng);
            out.push({name: entry.name, label: layer.feature.properties.label, x: box.left + p.x, y: box.top + p.y});
        }
    }));
    return out;
}
"""


def click_shapes(page: Any, *, miss: float = 0) -> list[str]:
    """Click the middle of every line and area with the mouse; return what went wrong.

    ``miss``: click that many pixels beside each line's middle (square to it) instead, and
    only the lines.
    """
    problems = []
    for index in range(len(page.evaluate(_SHAPE_PIXELS))):
        # Measured again each time: an opened popup may have panned the map.
        shape = page.evaluate(_SHAPE_PIXELS)[index]
        if miss and "nx" not in shape:
            continue
        if miss:
            shape["x"] += miss * shape["nx"]
            shape["y"] += miss * shape["ny"]
        page.mouse.move(shape["x"], shape["y"])
        try:
            page.wait_for_selector(".leaflet-tooltip", timeout=2000)
        except Exception:  # playwright's TimeoutError: reported, not raised
            problems.append(f"no tooltip on hovering {shape['name']} {shape['label']}")
        page.mouse.click(shape["x"], shape["y"])
        try:
            page.wait_for_selector(".leaflet-popup-content", timeout=2000)
        except Exception:
            problems.append(f"no popup on clicking {shape['name']} {shape['label']}")
            continue
        popup = page.inner_text(".leaflet-popup-content")
        label = shape["label"].replace("&#x27;", "'")
        if label not in popup:
            problems.append(f"clicking {shape['name']} {label} opened {popup!r}")
        page.evaluate("() => { window[document.querySelector('.folium-map').id].closePopup(); }")
        page.wait_for_selector(".leaflet-popup", state="detached")  # it fades out first
    return problems


def check_examples(browser: Any, path: Path, screenshot: Path) -> dict[str, Any]:
    """Run the checks on the example map; return a report (``problems`` lists failures)."""
    from placemap.maps.style import CATEGORY_STYLES

    page, report = load(browser, path)
    problems = [f"console error: {e}" for e in report["console_errors"]]
    problems += [f"page error: {e}" for e in report["page_errors"]]
    problems += [f"request left the page: {u}" for u in report["requests"]]
    control = page.inner_text(".leaflet-control-layers")
    report["layer_control"] = control
    problems += [
        f"{label!r} missing from the layer control" for label, _, _ in CATEGORY_STYLES.values() if label not in control
    ]
    unchecked = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
        ".filter(l => !l.querySelector('input').checked).map(l => l.textContent.trim())"
    )
    if unchecked != [f"{CATEGORY_STYLES['mentioned'][0]} (2)"]:
        problems.append(f"layers off at start should be only the mentioned places, got {unchecked}")
    if not page.is_visible(".pm-legend"):
        problems.append("legend not shown")
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot))
    report["screenshot"] = str(screenshot)
    point = page.evaluate(_FIND_FEATURE, ["shelling", "Kharkiv"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    page.wait_for_timeout(500)  # the popup's fade-in and the map's pan
    popup = page.inner_text(".leaflet-popup-content")
    report["popup"] = popup
    for expected in ("Kharkiv", "3 events here", "2022-03-07", "Artillery shelled residential districts", "governor"):
        if expected not in popup:
            problems.append(f"popup lacks {expected!r}: {popup!r}")
    popup_shot = screenshot.with_name(screenshot.stem + "-popup.png")
    page.screenshot(path=str(popup_shot))
    report["popup_screenshot"] = str(popup_shot)
    report["problems"] = problems
    page.close()
    return report


def time_large(browser: Any, events: int, out: Path) -> dict[str, Any]:
    """Time Chromium opening an offline map of ``events`` synthetic events."""
    sys.path.insert(0, str(Path(__file__).parent))
    from map_speed import synthetic_documents

    from placemap.maps import build_layers, render_map

    layers = build_layers(synthetic_documents(events))
    path = out / f"synthetic-{events}.html"
    render_map(layers, title=f"{events} synthetic events", offline=True).save(str(path))
    page, report = load(browser, path)
    page.screenshot(path=str(out / f"synthetic-{events}.png"))
    page.close()
    return {
        "events": events,
        "html_mb": path.stat().st_size / 1e6,
        "load_seconds": report["load_seconds"],
        "errors": report["console_errors"] + report["page_errors"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/browser"))
    parser.add_argument("--events", type=int, default=0, help="also time a synthetic map of this many events")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    path = example_map(args.out, gazetteer=open_gazetteer())
    with sync_playwright() as playwright:
        browser = launch(playwright)
        report = check_examples(browser, path, args.out / "examples.png")
        if args.events:
            report["large"] = time_large(browser, args.events, args.out)
        browser.close()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
