"""How long Chromium takes to open a map of N events: placemap's offline page against plain folium.

    .venv/bin/python benchmarks/map_load.py [--events 10000] [--repeat 5] [--profile] [--page LABEL=PATH ...]

Writes two self-contained pages of the same synthetic events (``map_speed.synthetic_documents``):
placemap's offline map (``render_map(..., offline=True)``: layers, list, filters, slider,
labels) and plain folium drawing the same events' points as one ``GeoJson`` layer of
CircleMarkers (``map_speed.plain_folium``) with Leaflet inlined the same way. Each is opened
``--repeat`` times in Debian's Chromium (headless, through Playwright), the two alternating so
that a busy machine slows both alike; a load is timed from navigation to the page's ``load``
event (every script of the page has run) and two animation frames (the map is drawn). Prints a
table (median and best seconds, HTML size). Target: placemap under 3 s for 10,000 events.

``--page LABEL=PATH`` times a page saved elsewhere in the same run (say, the same events
drawn by an older checkout), alternating with the others. ``--profile`` adds, for one more
placemap load, the JavaScript functions that took the most time (Chromium's sampling
profiler, self time).
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from map_browser import VIEWPORT, launch
from map_speed import plain_folium, synthetic_documents


def pages(events: int, folder: Path) -> dict[str, Path]:
    """The placemap and plain folium pages of ``events`` synthetic events, written to ``folder``."""
    from placemap.maps import build_layers, render_map
    from placemap.maps.examples import ExampleAreas
    from placemap.maps.offline import inline_assets

    layers = build_layers(synthetic_documents(events), gazetteer=ExampleAreas())
    placemap_path = folder / "placemap.html"
    render_map(layers, title=f"{events} synthetic events", offline=True).save(str(placemap_path))
    plain = plain_folium(layers)
    inline_assets(plain)
    plain_path = folder / "plain-folium.html"
    plain.save(str(plain_path))
    return {"placemap offline": placemap_path, "plain folium": plain_path}


def timed_load(browser: Any, path: Path) -> tuple[float, list[str]]:
    """Seconds from navigation to the ``load`` event and two animation frames; errors seen."""
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    seconds = time.perf_counter() - started
    page.close()
    return seconds, errors


def profile(browser: Any, path: Path, top: int = 15) -> list[tuple[float, str]]:
    """The ``top`` functions by self time (ms) while ``path`` loads, from Chromium's profiler."""
    page = browser.new_page(viewport=VIEWPORT)
    session = page.context.new_cdp_session(page)
    session.send("Profiler.enable")
    session.send("Profiler.setSamplingInterval", {"interval": 200})
    session.send("Profiler.start")
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    result = session.send("Profiler.stop")["profile"]
    page.close()
    frames = {node["id"]: node["callFrame"] for node in result["nodes"]}
    self_time: collections.Counter[str] = collections.Counter()
    for node, delta in zip(result["samples"], result["timeDeltas"], strict=True):
        frame = frames[node]
        where = f"line {frame['lineNumber'] + 1}" if frame["url"] else "native"
        self_time[f"{frame['functionName'] or '(anonymous)'} ({where})"] += delta
    return [(micros / 1000, name) for name, micros in self_time.most_common(top)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also print the slowest JavaScript functions")
    parser.add_argument("--page", action="append", default=[], metavar="LABEL=PATH", help="also time this page")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        paths = pages(args.events, Path(scratch))
        paths.update((label, Path(path)) for label, path in (page.split("=", 1) for page in args.page))
        times: dict[str, list[float]] = {name: [] for name in paths}
        errors: list[str] = []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for _ in range(args.repeat):
                for name, path in paths.items():
                    seconds, seen = timed_load(browser, path)
                    times[name].append(seconds)
                    if name != "plain folium":  # plain folium's OpenStreetMap tiles fail offline
                        errors += seen
            hot = profile(browser, paths["placemap offline"]) if args.profile else []
            browser.close()
        sizes = {name: path.stat().st_size / 1e6 for name, path in paths.items()}

    plain = statistics.median(times["plain folium"])
    print(f"{args.events} synthetic events, Chromium headless, {args.repeat} loads each (alternating)")
    print(f"{'page':<28}{'median s':>10}{'best s':>9}{'HTML MB':>9}{'x plain':>9}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<28}{median:10.2f}{min(values):9.2f}{sizes[name]:9.2f}{median / plain:9.2f}")
    if hot:
        print("placemap page, JavaScript self time while loading (ms):")
        for ms, name in hot:
            print(f"{ms:10.1f}  {name}")
    if errors:
        print("errors:", *errors[:5], sep="\n  ")
    median = statistics.median(times["placemap offline"])
    print(f"target: placemap offline {median:.2f} s (< 3 s)")
    return 0 if median < 3 and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
