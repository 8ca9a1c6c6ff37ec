"""The served page in a real browser: Debian's Chromium, driven by Playwright.

Paste a story, submit, wait for the map's event list, open a popup; drop a file onto the
page. Skips unless ``/usr/bin/chromium`` and the ``playwright`` package are present (as
``tests/maps/test_browser.py``). Every request that leaves the server is refused and fails
the test: the page and the map load nothing from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "out" / "browser"
ITEMS = "[data-placemap-events] [data-event]"


pytestmark = pytest.mark.browser  # skipped without Chromium or Playwright (tests/conftest.py)


@pytest.fixture(scope="module")
def base(embedded_gazetteer, serve_workers):
    from placemap.serve import create_app, serve_in_thread

    with serve_in_thread(create_app(embedded_gazetteer, serve_workers)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from map_browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, base):
    from map_browser import guarded_page  # on sys.path since the browser fixture

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    problems: list[str] = []
    tab = guarded_page(context, (base, "data:", "about:"), problems)
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.problems = problems
    yield tab
    context.close()


def _submit_and_wait(page):
    page.click("button[type=submit]")
    page.wait_for_url("**/results/*", timeout=60_000)
    frame = page.frame_locator("iframe.pm-map")
    frame.locator(ITEMS).first.wait_for(timeout=30_000)
    return frame


def test_paste_submit_and_open_a_popup(page, base) -> None:
    story = (ROOT / "examples" / "dispatches" / "01-istanbul-talks.txt").read_text(encoding="utf-8")
    page.goto(base + "/", wait_until="load")
    page.fill("textarea[name=text]", story + "\n---\nShelling hit Kharkiv <img src=x onerror=alert(1)> on Sunday.")
    page.fill("input[name=published]", "2022-03-29")
    frame = _submit_and_wait(page)
    assert "2</strong> documents" in page.content()
    items = frame.locator(ITEMS)
    assert items.count() >= 2
    talks = frame.locator(f"{ITEMS}", has_text="Istanbul").first
    talks.click()
    frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
    assert "Istanbul" in frame.locator(".leaflet-popup-content").inner_text()
    for name in ("Map (HTML)", "GeoJSON", "CSV", "Geoparse (JSON lines)"):
        assert page.get_by_role("link", name=name).count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="GeoJSON").click()
    assert download.value.suggested_filename == "placemap-events.geojson"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "serve.png"))
    assert page.problems == []


def test_drop_an_event_table(page, base) -> None:
    table = (ROOT / "examples" / "tables" / "events.csv").read_text(encoding="utf-8")
    page.goto(base + "/", wait_until="load")
    # A real drop: a DataTransfer holding the file, dropped on the zone (what a mouse drag does).
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "events.csv", {type: "text/csv"}));
            const zone = document.querySelector("[data-pm-drop]");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        table,
    )
    assert "events.csv" in page.inner_text(".pm-file-list")
    assert page.evaluate("() => document.querySelector('input[type=file]').files.length") == 1
    frame = _submit_and_wait(page)
    assert frame.locator(ITEMS).count() >= 5
    assert "Atlantis" in page.inner_text(".pm-warnings")  # the table's bad row, reported
    assert page.problems == []


def test_a_refused_link_is_said_on_the_page(page, base) -> None:
    page.goto(base + "/", wait_until="load")
    page.fill("input[name=url]", "http://127.0.0.1:9/secret")
    page.click("button[type=submit]")
    page.wait_for_selector(".pm-error")
    assert "--allow-private-urls" in page.inner_text(".pm-error")
    assert page.input_value("input[name=url]") == "http://127.0.0.1:9/secret"  # kept for another try
    page.problems[:] = [p for p in page.problems if "400" not in p]  # the page's own status is not a fault
    assert page.problems == []
