"""Resolution with an extended store (the embedded default + GeoNames dumps) beside the default, in one run.

    placemap gazetteer download UA no-country.txt.gz --base-url file:///work/shared/data/gazetteer/ \\
        -o /tmp/extended.sqlite
    python benchmarks/gazetteer_extended.py --store /tmp/extended.sqlite [--corpora ...] [--limit N]

For each corpus (../shared/data/eval) and each store: recognition F1 (overlap), resolution
given the gold spans (acc@161, exact id) with why the rest missed (as in
``resolution_errors.py``: no candidate, candidates none near, right one ranked below), and
end-to-end acc@161. Resolution and end to end are also scored with countries and admin-1
units right by area (``acc@161+area``, ``placemap.evaluate``: the unit holds the gold point
or has its id), beside the plain 161 km figures. ``monitor-reports-dev`` has no spans, only the town a short report
names: its row is the share of reports with a place found within 25 km of that town.
Both stores run with the same spaCy model and settings as ``placemap geoparse``
(``--adjectives`` on GeoWebNews and GeoCorpora, as in ``geoparse_accuracy.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from gold_spans import is_near

from placemap.docformat import document_to_json
from placemap.evaluate import (
    corpus_policy,
    gazetteer_areas,
    haversine_km,
    score_end_to_end,
    score_recognition,
    score_resolution,
)
from placemap.gazetteer import Gazetteer
from placemap.geo.pipeline import RECOGNIZERS, Geoparser, GeoparserSettings, build_geoparser
from placemap.geo.recognize import load_model

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
CORPORA = (
    "dispatches-dev",
    "dispatches-dev2",
    "monitor-reports-dev",
    "geowebnews",
    "geovirus",
    "wotr-test",
    "geocorpora",
    "wiktor",
)
ADJECTIVES = {"geowebnews", "geocorpora"}
#: How near a monitor report's place must be to its town.
TOWN_KM = 25.0


def span_row(geoparser: Geoparser, gold: list[dict], policy) -> dict[str, float]:
    """Recognition, resolution on gold spans with its misses sorted, and end to end."""
    found = [document_to_json(d) for d in geoparser.pipe((doc["id"], doc["text"], None) for doc in gold)]
    outcomes: Counter[str] = Counter()
    resolved = []
    for doc in gold:
        spans = [(t["start"], t["end"]) for t in doc["toponyms"]]
        document = geoparser(doc["text"], doc_id=doc["id"], spans=spans)
        resolved.append(document_to_json(document))
        by_span = {(t.mention.start, t.mention.end): t for t in document.toponyms}
        for truth in doc["toponyms"]:
            toponym = by_span.get((truth["start"], truth["end"]))
            if truth.get("lat") is not None and toponym is not None and policy.is_gold(truth):
                outcomes[_outcome(geoparser, toponym, truth)] += 1
    total = max(sum(outcomes.values()), 1)
    area_of = gazetteer_areas(geoparser.gazetteer)
    resolution = score_resolution(gold, resolved, policy, area_of=area_of)
    end_to_end = score_end_to_end(gold, found, policy, area_of=area_of)
    return {
        "f1": score_recognition(gold, found, policy)["overlap"]["f1"],
        "acc@161": resolution["acc@161"],
        "area": resolution["acc@161+area"],
        "exact_id": resolution["exact_id"],
        **{name: outcomes[name] / total for name in ("no candidate", "none near", "ranked below")},
        "e2e@161": end_to_end["acc@161"],
        "e2e area": end_to_end["acc@161+area"],
    }


def _outcome(geoparser: Geoparser, toponym, truth: dict) -> str:
    if toponym.place is not None and is_near(truth, toponym.place):
        return "placed"
    candidates = geoparser.resolver.candidates_for(toponym.mention.text)
    if not candidates:
        return "no candidate"
    return "ranked below" if any(is_near(truth, c.place) for c in candidates) else "none near"


def town_row(geoparser: Geoparser, reports: list[dict]) -> dict[str, float]:
    """Share of short reports with a place found within ``TOWN_KM`` of the town they name."""
    hits = 0
    for report, document in zip(reports, geoparser.pipe((r["id"], r["text"], None) for r in reports), strict=True):
        places = [t.place for t in document.toponyms if t.place is not None]
        hits += any(haversine_km(report["lat"], report["lon"], p.lat, p.lon) <= TOWN_KM for p in places)
    return {"town@25": hits / max(len(reports), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="the extended store (placemap gazetteer download -o ...)")
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--limit", type=int, help="first N documents of each corpus")
    parser.add_argument("--recognizer", choices=RECOGNIZERS, default="spacy", help="recognition (default: the rules)")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"gazetteer_extended: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    stores = {"embedded default": Gazetteer.open(), "extended": Gazetteer.open(args.store)}
    for label, gazetteer in stores.items():
        print(f"{label}: {gazetteer.path} ({gazetteer.counts()['places']:,} places)")
    nlp = load_model()
    columns = ("f1", "acc@161", "area", "exact_id", "no candidate", "none near", "ranked below", "e2e@161", "e2e area")
    columns += ("town@25",)
    print(f"\n{'corpus':20} {'store':17} {'docs':>5} | " + " ".join(f"{c:>12}" for c in columns) + " |     s")
    for corpus in args.corpora:
        gold = [json.loads(line) for line in (EVAL / f"{corpus}.jsonl").open(encoding="utf-8")][: args.limit]
        policy = corpus_policy(gold[0].get("corpus", "dispatches"))
        settings = GeoparserSettings(adjectives=corpus in ADJECTIVES, events=False, recognizer=args.recognizer)
        for label, gazetteer in stores.items():
            started = time.perf_counter()
            geoparser = build_geoparser(settings, gazetteer=gazetteer, nlp=nlp)
            row = town_row(geoparser, gold) if "toponyms" not in gold[0] else span_row(geoparser, gold, policy)
            cells = " ".join(f"{row[c]:12.3f}" if row.get(c) is not None else f"{'':>12}" for c in columns)
            print(f"{corpus:20} {label:17} {len(gold):5d} | {cells} | {time.perf_counter() - started:5.0f}", flush=True)
    print(
        "\nf1: recognition (overlap); acc@161 and exact_id: resolution given the gold spans; no candidate / none near /"
    )
    print("ranked below: share of gold names with a point not placed within 161 km, and why; e2e@161: gold names found")
    print("and placed within 161 km; area, e2e area: the same with a country or admin-1 unit also right when it holds")
    print(f"the gold point; town@25: monitor reports with a place found within {TOWN_KM:.0f} km of their town.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
