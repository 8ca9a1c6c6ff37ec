"""Why gold names are not resolved within 161 km: no candidate, none near, or ranked below.

    python benchmarks/resolution_errors.py [--corpora geowebnews geovirus ...] [--half 1|2]

For each gold span (resolved as in ``placemap geoparse`` with given spans, the rest of the
document as context) the outcome is one of: **placed** within 161 km; **no candidate** (the
gazetteer has no place of that name, nor one named inside it); **none near** (candidates,
none within 161 km of the gold point: a gazetteer gap or a corpus convention); **ranked
below** (a candidate within 161 km exists but another was chosen). ``--half 1`` reads the
first half of each corpus, the part used to find errors.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from gold_spans import is_near, resolved_gold
from halves import half_of

from placemap.gazetteer import Gazetteer
from placemap.geo.pipeline import Geoparser
from placemap.geo.recognize import SpacyRecognizer, load_model
from placemap.geo.resolve import ContextResolver

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
CORPORA = ("dispatches-dev", "geocorpora", "wotr-test", "geowebnews", "geovirus", "wiktor")
OUTCOMES = ("placed", "no candidate", "none near", "ranked below")


def outcome(resolver: ContextResolver, toponym, truth: dict) -> str:
    if toponym.place is not None and is_near(truth, toponym.place):
        return "placed"
    candidates = resolver.candidates_for(toponym.mention.text)
    if not candidates:
        return "no candidate"
    return "ranked below" if any(is_near(truth, c.place) for c in candidates) else "none near"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--half", type=int, choices=(1, 2), help="only the first or the second half of each corpus")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"resolution_errors: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    gazetteer, nlp = Gazetteer.open(), load_model()
    resolver = ContextResolver(gazetteer)
    print(f"{'corpus':15} {'names':>6} | " + " | ".join(f"{name:>12}" for name in OUTCOMES))
    for corpus in args.corpora:
        lines = (EVAL / f"{corpus}.jsonl").open(encoding="utf-8").readlines()
        lines = half_of(lines, args.half)
        recognizer = SpacyRecognizer(nlp, gazetteer, adjectives=corpus in ("geowebnews", "geocorpora"))
        geoparser = Geoparser(gazetteer, recognizer=recognizer, resolver=resolver)
        counts = Counter(outcome(resolver, toponym, truth) for truth, toponym in resolved_gold(geoparser, lines))
        total = sum(counts.values())
        print(f"{corpus:15} {total:6d} | " + " | ".join(f"{counts[name] / total:12.3f}" for name in OUTCOMES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
