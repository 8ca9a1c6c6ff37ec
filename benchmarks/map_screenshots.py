"""Screenshots of the demo map for the documentation, in Debian's Chromium through Playwright.

    .venv/bin/placemap demo --output-dir out
    .venv/bin/python benchmarks/map_screenshots.py [--map out/demo.html] [--out docs]

Opens the offline demo map at 1400 x 900 (a desktop) and 390 x 844 (a phone, touch) and
writes ``map-1400.png`` and ``map-390.png``. Every request that leaves the page is refused,
so a picture never depends on the network; a console or page error, or a request that was
attempted, makes the run fail (exit 1) and leaves that picture as it was.

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

#: name -> Playwright context options. The phone is 1x: its picture is meant to be seen at
#: 390 px wide, and a 3x one would triple the repository's weight for nothing.
VIEWPORTS: dict[str, dict[str, Any]] = {
    "map-1400": {"viewport": {"width": 1400, "height": 900}},
    "map-390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def screenshot(browser: Any, page_path: Path, target: Path, options: dict[str, Any]) -> dict[str, Any]:
    """Open ``page_path`` with ``options`` and write its visible part to ``target``.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        A launched Chromium.
    page_path : Path
        The map's HTML file.
    target : Path
        The PNG to write (atomically, and only when the page showed no problem).
    options : dict
        ``browser.new_context`` options: viewport, touch.

    Returns
    -------
    dict
        ``screenshot`` (the path) and ``problems`` (console and page errors, refused requests).
    """
    context = browser.new_context(**options)
    problems: list[str] = []

    # Anything but the file itself is a dependency the offline page must not have.
    page = guarded_page(context, ("file:", "data:"), problems)
    page.goto(page_path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-control-layers")
    page.wait_for_selector("[data-placemap-events] [data-event]")
    # Two animation frames: Leaflet has drawn its canvas and SVG by then.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    if not problems:  # a page that went wrong leaves the previous picture in place
        with atomic_path(target) as temporary:
            page.screenshot(path=str(temporary))
    context.close()
    return {"screenshot": None if problems else str(target), "problems": problems}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", type=Path, default=Path("out/demo.html"), help="the map page (placemap demo's)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="directory for the PNGs")
    args = parser.parse_args(argv)
    if not args.map.is_file():
        print(f"no map at {args.map}: run 'placemap demo --output-dir out' first", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    reports = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for name, options in VIEWPORTS.items():
                reports[name] = screenshot(browser, args.map, args.out / f"{name}.png", options)
        finally:
            browser.close()
    print(json.dumps(reports, indent=2))
    return 1 if any(report["problems"] for report in reports.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
