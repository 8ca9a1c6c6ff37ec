"""Gazetteer speed and size: open time, lookups per second, memory, build time.

    python benchmarks/gazetteer_speed.py [--build]

Lookups use the 399 queries of benchmarks/data/news_places.csv, cycled. "uncached" runs
every lookup through SQLite (the in-process cache disabled); "warm" is the same stream
with the cache on, as a long geoparsing run sees it (news repeats its names). Open time
and memory are measured in a fresh interpreter. ``--build`` also times the embedded build.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from placemap.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [row["query"] for row in csv.DictReader((ROOT / "benchmarks" / "data" / "news_places.csv").open())]
PROBE = """
import resource, sys, time
started = time.perf_counter()
from placemap.gazetteer import Gazetteer
imported = time.perf_counter()
gazetteer = Gazetteer.open(sys.argv[1])
opened = time.perf_counter()
gazetteer.lookup("Kyiv")
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{imported - started:.3f} {opened - imported:.3f} {rss:.0f}")
"""


def lookups_per_second(gazetteer: Gazetteer, count: int) -> float:
    started = time.perf_counter()
    for index in range(count):
        gazetteer.lookup(QUERIES[index % len(QUERIES)])
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="also time the embedded build")
    parser.add_argument("--lookups", type=int, default=100_000)
    args = parser.parse_args()
    path = Gazetteer.open().path
    print(f"store: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    probe = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True)
    imported, opened, rss = probe.stdout.split()
    print(
        f"import placemap.gazetteer: {float(imported):.3f} s; Gazetteer.open: {float(opened):.3f} s; "
        f"peak RSS after open and one lookup: {rss} MB"
    )
    uncached = Gazetteer(Gazetteer.open(path)._db, path, cache_size=0)
    print(f"lookups/s, uncached (SQLite every time): {lookups_per_second(uncached, args.lookups // 4):10,.0f}")
    warm = Gazetteer.open(path)
    lookups_per_second(warm, len(QUERIES))
    print(f"lookups/s, warm (in-process cache):      {lookups_per_second(warm, args.lookups):10,.0f}")
    if args.build:
        from placemap.gazetteer.build import build_embedded

        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            build_embedded(Path(folder) / "embedded.sqlite")
            print(f"embedded build: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
