"""Map speed: 10,000 synthetic events in every category, rendered online and offline.

    .venv/bin/python benchmarks/map_speed.py [--events 10000] [--repeat 3] [--out out/bench]

Prints a table: building the layers, rendering the page (``render_map`` and the HTML
text), the HTML size, and the same for plain folium drawing the same events' points as one
``GeoJson`` layer of CircleMarkers, measured in the same run (targets: render < 10 s,
offline HTML < 8 MB). ``benchmarks/map_browser.py --events N`` times Chromium opening it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from placemap.types import CATEGORIES, Document, Event, Mention, Place, Toponym

#: Ukraine's extent (a box: the points fall on Ukraine and its near neighbours).
WEST, SOUTH, EAST, NORTH = 22.5, 45.0, 40.0, 52.0
CLAIM_AREAS = (709716, 702657)  # Donetsk, Luhansk oblasts (areas from ExampleAreas)


def synthetic_documents(events: int, *, places: int = 3000, seed: int = 7) -> list[Document]:
    """``events`` one-event documents: every category in turn, places drawn from a pool
    (so shelling aggregates), dates over a year, quotes of news-like length."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(WEST, EAST, places)
    lat = rng.uniform(SOUTH, NORTH, places)
    pool = [
        Place(100_000 + i, f"Place {i}", float(lat[i]), float(lon[i]), "P", "PPL", "UA", "", "Oblast", 1000)
        for i in range(places)
    ]
    oblasts = [
        Place(CLAIM_AREAS[0], "Donetsk Oblast", 48.1, 37.8, "A", "ADM1", "UA"),
        Place(CLAIM_AREAS[1], "Luhansk Oblast", 48.9, 39.0, "A", "ADM1", "UA"),
    ]
    statuses = ("reported", "proposed", "agreed", "rejected", "failed", "demanded")
    picks = rng.integers(0, places, size=(events, 2))
    days = rng.integers(0, 365, size=events)
    documents = []
    for i in range(events):
        category = CATEGORIES[i % len(CATEGORIES)]
        first, second = (pool[j] for j in picks[i])
        date = str(np.datetime64("2022-02-24") + np.timedelta64(int(days[i]), "D"))
        if category == "claim":
            names = [oblasts[0], oblasts[1]]
            text = f"Officials restated the claim to {names[0].name} and {names[1].name}, a spokesman said on state TV."
        elif category in ("corridor", "refugees"):
            names = [first, second]
            text = (
                f"People moved from {first.name} to {second.name} along the agreed route, local officials said today."
            )
        else:
            names = [first]
            text = (
                f"Residents of {first.name} reported {category} overnight near the railway station, the governor said."
            )
        toponyms = tuple(
            Toponym(Mention(text.index(p.name), text.index(p.name) + len(p.name), p.name), p, 0.9) for p in names
        )
        roles: dict[str, Any] = {"location": 0}
        if category in ("corridor", "refugees"):
            roles = {"origin": 0, "destination": 1}
        elif category == "claim":
            roles = {"areas": (0, 1)}
        event = Event(
            id=f"e{i}",
            doc_id=f"d{i}",
            category=category,
            status=statuses[i % len(statuses)] if category != "shelling" else "reported",
            date=date,
            time_precision=1,
            geo_precision=1,
            quote_start=0,
            quote_end=len(text),
            attribution="the governor",
            count=int(rng.integers(100, 100_000)) if category == "refugees" else None,
            **roles,
        )
        documents.append(Document(f"d{i}", text, date, "Synthetic Wire", toponyms, (event,)))
    return documents


def plain_folium(layers: dict[str, Any]) -> Any:
    """Plain folium: the same events' points as one GeoJson layer of CircleMarkers."""
    import folium
    import geopandas as gpd
    import pandas as pd

    frames = [layer[["id", "place", "geometry"]] for name, layer in layers.items() if name != "mentioned"]
    points = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    points["geometry"] = points.geometry.representative_point()
    m = folium.Map(location=[48.5, 31.0], zoom_start=6)
    folium.GeoJson(points, marker=folium.CircleMarker(radius=5)).add_to(m)
    return m


def _timed(function: Any, repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--out", type=Path, default=None, help="also save the pages here")
    args = parser.parse_args(argv)

    from placemap.maps import build_layers, render_map
    from placemap.maps.examples import ExampleAreas

    documents = synthetic_documents(args.events)
    build_s, layers = _timed(lambda: build_layers(documents, gazetteer=ExampleAreas()), args.repeat)
    rows = [("build_layers", build_s, None)]
    pages = {}
    for label, offline in (("placemap offline", True), ("placemap online", False)):
        seconds, html = _timed(
            lambda offline=offline: render_map(layers, title="Synthetic", offline=offline).get_root().render(),
            args.repeat,
        )
        rows.append((label, seconds, len(html.encode())))
        pages[label] = html
    seconds, html = _timed(lambda: plain_folium(layers).get_root().render(), args.repeat)
    rows.append(("plain folium GeoJson", seconds, len(html.encode())))
    pages["plain folium GeoJson"] = html

    features = sum(len(layer) for name, layer in layers.items() if name != "mentioned")
    print(f"{args.events} events -> {features} features in {len(layers)} layers (best of {args.repeat})")
    print(f"{'step':<24}{'seconds':>9}{'HTML MB':>10}{'x plain (time)':>16}{'x plain (size)':>16}")
    plain_s, plain_b = rows[-1][1], rows[-1][2]
    for label, seconds, size in rows:
        size_text = f"{size / 1e6:10.2f}" if size else f"{'':>10}"
        ratio_t = f"{seconds / plain_s:16.2f}" if size else f"{'':>16}"
        ratio_b = f"{size / plain_b:16.2f}" if size else f"{'':>16}"
        print(f"{label:<24}{seconds:9.2f}{size_text}{ratio_t}{ratio_b}")
    offline_s = rows[1][1] + build_s
    offline_mb = rows[1][2] / 1e6
    print(f"targets: layers + offline render {offline_s:.2f} s (< 10 s), offline HTML {offline_mb:.2f} MB (< 8 MB)")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for label, html in pages.items():
            (args.out / (label.replace(" ", "-") + ".html")).write_text(html, encoding="utf-8")
    return 0 if offline_s < 10 and offline_mb < 8 else 1


if __name__ == "__main__":
    sys.exit(main())
