"""How well a resolution's score states the chance that it is right.

    python benchmarks/score_calibration.py [--corpora geowebnews geovirus wiktor] [--half 2]

Gold spans are resolved as ``placemap geoparse`` resolves given spans (the rest of the
text recognised as context), twice in the same run: with the shipped calibration of the
scores and, as the baseline, with the uncalibrated score (the softmax share of the chosen
candidate). The decisions are the same; only the scores differ. Printed per corpus: the
expected calibration error (ECE, 10 bins), the Brier score and the AUROC of the scores
against being right (within 161 km); then, over the news corpora read, a reliability table
and what a threshold (``--min-score``, ``ResolverWeights(min_score=...)``) keeps. The default reads the
second halves, which neither the weights nor the calibration were fitted on.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

import numpy as np
from gold_spans import is_near, resolved_gold
from halves import half_of
from sklearn.metrics import roc_auc_score

from placemap.evaluate import calibration_error
from placemap.gazetteer import Gazetteer
from placemap.geo.pipeline import Geoparser
from placemap.geo.ranking import ResolverWeights
from placemap.geo.recognize import SpacyRecognizer, load_model
from placemap.geo.resolve import ContextResolver

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
CORPORA = ("geowebnews", "geovirus", "wiktor", "geocorpora", "wotr-test", "dispatches-dev")
#: WikToR's half has 2,500 texts; its first 1,000 are plenty for a calibration table.
WIKTOR_DOCS = 1000
THRESHOLDS = (0.0, 0.5, 0.7, 0.8, 0.9)
#: The pooled tables are about news: WikToR (encyclopedia) and WoTR (1860s reports) are left out.
NEWS = ("geowebnews", "geovirus", "geocorpora", "dispatches-dev")


def scored_guesses(geoparser: Geoparser, lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(score, right) of every placed guess on the gold spans of ``lines``."""
    scores, right = [], []
    for truth, toponym in resolved_gold(geoparser, lines):
        if toponym.place is not None:
            scores.append(toponym.score)
            right.append(is_near(truth, toponym.place))
    return np.array(scores), np.array(right)


def summary(scores: np.ndarray, right: np.ndarray) -> str:
    calibration = calibration_error(scores, right)
    auroc = roc_auc_score(right, scores) if 0 < right.sum() < right.size else float("nan")
    return f"{calibration['ece']:6.3f} {calibration['brier']:6.3f} {auroc:6.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=["geowebnews", "geovirus", "wiktor"], choices=CORPORA)
    parser.add_argument("--half", type=int, choices=(1, 2), default=2, help="which half of each corpus (default 2)")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"score_calibration: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    gazetteer, nlp = Gazetteer.open(), load_model()
    shipped = ResolverWeights.learned()
    resolvers = {
        "uncalibrated": ContextResolver(gazetteer, weights=dataclasses.replace(shipped, calibration=())),
        "calibrated": ContextResolver(gazetteer, weights=shipped),
    }
    pooled: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {name: [] for name in resolvers}
    print(
        f"{'corpus':16} {'guesses':>7} {'right':>6} | uncalibrated: ECE  Brier  AUROC | calibrated: ECE  Brier  AUROC"
    )
    for corpus in args.corpora:
        lines = half_of((EVAL / f"{corpus}.jsonl").open(encoding="utf-8").readlines(), args.half)
        if corpus == "wiktor":
            lines = lines[:WIKTOR_DOCS]
        recognizer = SpacyRecognizer(nlp, gazetteer, adjectives=corpus in ("geowebnews", "geocorpora"))
        cells = []
        for name, resolver in resolvers.items():
            scores, right = scored_guesses(Geoparser(gazetteer, recognizer=recognizer, resolver=resolver), lines)
            if corpus in NEWS:
                pooled[name].append((scores, right))
            cells.append(summary(scores, right))
        print(f"{corpus:16} {right.size:7d} {right.mean():6.3f} |            {cells[0]} |          {cells[1]}")
    if not pooled["calibrated"]:
        return 0
    print("\nReliability of the calibrated scores (the news corpora above):")
    scores, right = (np.concatenate(parts) for parts in zip(*pooled["calibrated"], strict=True))
    print(f"{'score':>11} {'guesses':>8} {'mean score':>10} {'share right':>11}")
    edges = np.linspace(0.0, 1.0, 11)
    for low, high in itertools.pairwise(edges):
        inside = (scores >= low) & ((scores < high) | (high == 1.0))
        if inside.any():
            print(
                f"{low:4.1f}-{high:4.1f}  {inside.sum():8d} {scores[inside].mean():10.3f} {right[inside].mean():11.3f}"
            )
    print("\nA threshold turns doubtful guesses into no match (calibrated scores, the news corpora above):")
    print(f"{'min_score':>9} {'kept':>6} {'share right of kept':>20}")
    for threshold in THRESHOLDS:
        kept = scores >= threshold
        print(f"{threshold:9.1f} {kept.mean():6.3f} {right[kept].mean():20.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
