"""Learn the context resolver's feature weights on the development corpora.

    python benchmarks/train_resolver.py [--out geo/data/resolver_weights.json]

Training data: GeoCorpora, WoTR-test and our dispatches-dev (../shared/data/eval); never
GeoWebNews, GeoVirus or WikToR, which are the held-out sets we report. The resolver is
run on the gold spans, and a coordinate search over the weights maximises the share of
names resolved within 161 km of the gold point (the decision itself, rather than a
per-candidate surrogate). Prints the accuracy of the hand-set start and of the result.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from placemap.gazetteer import Gazetteer
from placemap.geo.evaluate import haversine_km
from placemap.geo.pipeline import mentions_from_spans
from placemap.geo.resolve import FEATURES, ContextResolver, ResolverWeights

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
TRAIN_CORPORA = ("geocorpora.jsonl", "wotr-test.jsonl", "dispatches-dev.jsonl")
STEPS = (0.0, 0.25, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)


def load(path: Path) -> list[tuple[str, list, list[dict]]]:
    docs = []
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        gold = [t for t in doc["toponyms"] if t["lat"] is not None]
        if gold:
            docs.append((doc["text"], mentions_from_spans(doc["text"], [(t["start"], t["end"]) for t in gold]), gold))
    return docs


def accuracy(gazetteer: Gazetteer, weights: ResolverWeights, docs: list) -> float:
    resolver = ContextResolver(gazetteer, weights=weights)
    hits = total = 0
    for text, mentions, gold in docs:
        for toponym, truth in zip(resolver(text, mentions), gold, strict=True):
            total += 1
            if toponym.place is not None:
                hits += haversine_km(truth["lat"], truth["lon"], toponym.place.lat, toponym.place.lon) <= 161.0
    return hits / total


def search(gazetteer: Gazetteer, docs: list, start: ResolverWeights, passes: int = 2) -> ResolverWeights:
    best, best_score = start, accuracy(gazetteer, start, docs)
    for _ in range(passes):
        for feature in FEATURES:
            for value in STEPS:
                trial = dataclasses.replace(best, **{feature: value})
                score = accuracy(gazetteer, trial, docs)
                if score > best_score + 1e-9:
                    best, best_score = trial, score
                    print(f"  {feature:12} -> {value:5.2f}  acc@161 {score:.4f}", flush=True)
    return best


def main() -> int:
    default_out = Path(__file__).resolve().parents[1] / "geo" / "data" / "resolver_weights.json"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(default_out))
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"train_resolver: {EVAL} is absent; the development corpora are needed", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.open()
    docs = [doc for corpus in TRAIN_CORPORA for doc in load(EVAL / corpus)]
    start = ResolverWeights()
    print(f"{len(docs)} documents; hand-set weights: acc@161 {accuracy(gazetteer, start, docs):.4f}")
    learned = search(gazetteer, docs, start)
    print(f"learned: acc@161 {accuracy(gazetteer, learned, docs):.4f}")
    weights = {name: getattr(learned, name) for name in FEATURES}
    Path(args.out).write_text(json.dumps(weights, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(weights))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
