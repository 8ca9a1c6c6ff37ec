"""A screenshot of ``placemap serve`` for the README, in Debian's Chromium through Playwright.

    .venv/bin/python benchmarks/serve_screenshot.py [--out docs]

Starts the app on 127.0.0.1 (a free port, in this process: the embedded gazetteer and the
spaCy model), pastes two example dispatches into the page, submits, waits for the map's
event list, opens the first event's popup and writes ``serve-1400.png`` (the answer page)
and ``serve-form-1400.png`` (the filled form). Every request that leaves 127.0.0.1 is refused
and counted as a problem; a console or page error, or such a request, makes the run fail
(exit 1) and leaves the pictures as they were.

Needs ``/usr/bin/chromium`` and the ``playwright`` package, as ``map_browser.py`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from map_browser import guarded_page, launch

from placemap.atomic import atomic_path

ROOT = Path(__file__).resolve().parents[1]
STORIES = ("01-istanbul-talks.txt", "03-mariupol-convoy.txt")
PUBLISHED = "2022-04-01"
VIEWPORT = {"width": 1400, "height": 900}


def example_text() -> str:
    """Two example dispatches, separated as the page says (a line of dashes)."""
    folder = ROOT / "examples" / "dispatches"
    return "\n---\n".join((folder / name).read_text(encoding="utf-8").strip() for name in STORIES)


def start_app() -> Any:
    """The app on the embedded gazetteer with the default geoparser (what ``placemap serve`` runs)."""
    from placemap.gazetteer import Gazetteer
    from placemap.geo.pipeline import GeoparserSettings
    from placemap.serve import GeoparseWorkers, create_app

    gazetteer = Gazetteer.open()
    workers = GeoparseWorkers.start(GeoparserSettings(gazetteer=str(gazetteer.path)), gazetteer=gazetteer)
    return create_app(gazetteer, workers), workers


def submit_story(page: Any, base: str, text: str, published: str) -> Any:
    """Fill the form at ``base``, submit it and wait for the map's event list; return the map's frame."""
    page.goto(base + "/", wait_until="load")
    page.fill("textarea[name=text]", text)
    page.fill("input[name=published]", published)
    page.click("button[type=submit]")
    page.wait_for_url("**/results/*", timeout=60_000)
    frame = page.frame_locator("iframe.pm-map")
    frame.locator("[data-placemap-events] [data-event]").first.wait_for(timeout=30_000)
    return frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="directory for the PNGs")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from placemap.serve import serve_in_thread

    app, workers = start_app()
    problems: list[str] = []
    written: list[str] = []
    try:
        with serve_in_thread(app) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport=VIEWPORT)

            page = guarded_page(context, (base, "data:", "about:"), problems)
            page.goto(base + "/", wait_until="load")
            page.fill("textarea[name=text]", example_text())
            page.fill("input[name=published]", PUBLISHED)
            form_shot = args.out / "serve-form-1400.png"
            if not problems:
                with atomic_path(form_shot) as temporary:
                    page.screenshot(path=str(temporary))
                written.append(str(form_shot))
            frame = submit_story(page, base, example_text(), PUBLISHED)
            frame.locator("[data-placemap-events] [data-event]").first.click()
            frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
            page.wait_for_timeout(500)  # the popup's fade-in
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            result_shot = args.out / "serve-1400.png"
            if not problems:
                with atomic_path(result_shot) as temporary:
                    page.screenshot(path=str(temporary))
                written.append(str(result_shot))
            browser.close()
    finally:
        workers.close()
    print(json.dumps({"screenshots": written, "problems": problems}, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
