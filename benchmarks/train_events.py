"""Fit the event model on every development group and write it into the package.

    python benchmarks/train_events.py [--out geo/data/event_model.json] [--c 0.5] [--cache FILE]

Training data (../shared/data/eval, development sets only): dispatches-dev.jsonl and
dispatches-dev2.jsonl. Never monitor-reports-dev.jsonl (no licence: measuring only), nor
event_location.jsonl's RELABEL records, nor the held-back sets. Rows are made from the
geoparser's own names on the gold text (see ``event_training.py``); thresholds are chosen per
role on leave-one-group-out predictions. Deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from event_training import EVAL, all_rows, fit, load_corpora

from placemap.gazetteer import Gazetteer
from placemap.geo.events import EventExtractor
from placemap.geo.pipeline import Geoparser

OUT = Path(__file__).resolve().parents[1] / "geo" / "data" / "event_model.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--cache", type=Path, help="pickle of the geoparsed corpora (made if absent)")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"train_events: {EVAL} is absent; the development corpora are needed", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.open()
    corpora = load_corpora(Geoparser(gazetteer), args.cache)
    rows = all_rows(EventExtractor.from_model(gazetteer), corpora)
    model = fit(rows, c=args.c)
    args.out.write_text(model.to_json(), encoding="utf-8")
    positives = sum(bool(r.labels) for r in rows)
    print(f"{len(rows)} rows ({positives} with a role) from {len(corpora)} corpora -> {args.out}")
    for role in sorted(model.bias):
        top = sorted(model.weights[role].items(), key=lambda kv: -kv[1])[:6]
        print(f"  {role:22} threshold {model.thresholds[role]:.2f}  " + ", ".join(f for f, _ in top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
