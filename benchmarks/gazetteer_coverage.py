"""How many news place names the gazetteer resolves to the right place.

    python benchmarks/gazetteer_coverage.py [--extended]

Reads benchmarks/data/news_places.csv (our own list of news place names with the place
meant) and looks each up with ``Gazetteer.lookup`` (qualifiers and all). A settlement,
facility or island is right within 30 km; an area is right when it is the same GeoNames
id, or its polygon contains the reference point, or it lies within the kind's tolerance
(admin-2 50 km, admin-1 100 km, region 150 km, water 250 km, country 500 km). The
population-only baseline (most populous candidate) runs in the same pass.

With ``--extended`` the same list is also run against a store that adds the GeoNames
UA.zip and no-country dumps from ../shared/data/gazetteer (built into a temporary file).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import shapely

from placemap.evaluate import haversine_km
from placemap.gazetteer import Gazetteer
from placemap.gazetteer.build import build_with_geonames

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "benchmarks" / "data" / "news_places.csv"
DUMPS = ROOT.parent / "shared" / "data" / "gazetteer"
TOLERANCE_KM = {
    "settlement": 30,
    "facility": 30,
    "island": 30,
    "admin2": 50,
    "admin1": 100,
    "region": 150,
    "water": 250,
    "country": 500,
}


def is_right(gazetteer: Gazetteer, row: dict, place) -> bool:
    if place is None:
        return False
    if row["geonameid"] and place.geonameid == int(row["geonameid"]):
        return True
    lat, lon = float(row["lat"]), float(row["lon"])
    if row["kind"] not in ("settlement", "facility", "island"):
        area = gazetteer.area(place)
        if area is not None and shapely.contains_xy(area, lon, lat):
            return True
    return float(haversine_km(lat, lon, place.lat, place.lon)) <= TOLERANCE_KM[row["kind"]]


def measure(gazetteer: Gazetteer, rows: list[dict], *, show_misses: bool) -> tuple[Counter, Counter, Counter]:
    total, ours, baseline = Counter(), Counter(), Counter()
    for row in rows:
        candidates = gazetteer.lookup(row["query"], country=row["country_hint"] or None, limit=20)
        best = candidates[0].place if candidates else None
        biggest = max(candidates, key=lambda c: c.place.population).place if candidates else None
        total[row["kind"]] += 1
        ours[row["kind"]] += is_right(gazetteer, row, best)
        baseline[row["kind"]] += is_right(gazetteer, row, biggest)
        if show_misses and not is_right(gazetteer, row, best):
            got = f"{best.name} ({best.country_code}, {best.feature_code})" if best else "nothing"
            print(f"  miss: {row['query']!r} -> {got}; expected {row['expected_name']}", file=sys.stderr)
    return total, ours, baseline


def table(title: str, total: Counter, ours: Counter, baseline: Counter) -> None:
    print(f"\n{title}")
    print(f"{'kind':12} {'names':>5} {'placemap':>9} {'population':>11}")
    for kind in sorted(total):
        print(f"{kind:12} {total[kind]:5d} {ours[kind] / total[kind]:9.1%} {baseline[kind] / total[kind]:11.1%}")
    n = sum(total.values())
    print(f"{'all':12} {n:5d} {sum(ours.values()) / n:9.1%} {sum(baseline.values()) / n:11.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--extended", action="store_true", help="also measure with the GeoNames UA and no-country dumps"
    )
    parser.add_argument("--misses", action="store_true", help="list the names resolved wrongly (stderr)")
    args = parser.parse_args()
    rows = list(csv.DictReader(LIST.open(encoding="utf-8")))
    gazetteer = Gazetteer.open()
    table(f"embedded default ({gazetteer.path.name})", *measure(gazetteer, rows, show_misses=args.misses))
    if args.extended:
        dumps = [DUMPS / "UA.zip", DUMPS / "no-country.txt.gz"]
        if not all(dump.is_file() for dump in dumps):
            print(f"\n--extended: {DUMPS} is absent; skipped", file=sys.stderr)
            return 0
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            store = build_with_geonames(Path(folder) / "extended.sqlite", dumps)
            seconds = time.perf_counter() - started
            with Gazetteer.open(store) as extended:
                measured = measure(extended, rows, show_misses=args.misses)
                table(f"embedded + GeoNames UA.zip + no-country (built in {seconds:.0f} s)", *measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
