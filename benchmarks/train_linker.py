"""Fit the event linker on Halterman's event_location newswire and write it into the package.

    python benchmarks/train_linker.py [--out geo/data/event_linker.json] [--c 0.5] [--cache FILE]

Training data: every record of ../shared/data/eval/event_location.jsonl except the RELABEL
ones (the relabelled gold set, kept for measuring). For each gold event word, each name the
geoparser finds in its sentence and each run of capitalised words it did not take for a name
is a candidate; the label is whether the candidate overlaps one of the word's gold location
spans. The three thresholds (the word's likeliest candidate, the others, one coordinated with a
candidate taken) are those with the best token-level F1 on predictions for news sources the fit
did not see (leave one source out). The script then prints the held-out figures per source and
the linker's and the rules' token precision and recall on RELABEL, counted as
``events_accuracy.py`` counts them (every gold verb, with or without a name in its sentence),
and writes the model.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

from event_training import EVAL, Row, fit_role

from placemap.gazetteer import Gazetteer
from placemap.geo.event_linker import (
    BEST_ROLE,
    CONJ_ROLE,
    LINK_ROLE,
    bare,
    conjuncts,
    pair_features,
    sentence_offset,
    taken_pairs,
    with_unnamed,
)
from placemap.geo.event_model import EventModel
from placemap.geo.events import EventExtractor
from placemap.geo.pipeline import Geoparser

OUT = Path(__file__).resolve().parents[1] / "geo" / "data" / "event_linker.json"
_WORD = re.compile(r"\w+")
#: Thresholds tried for the likeliest candidate of a word and for the others.
BEST_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
OTHER_THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)
#: ... and for a candidate coordinated with one taken (1.01: never on that account).
CONJ_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 1.01)


def _words(text: str, start: int, end: int) -> frozenset[int]:
    return frozenset(m.start() for m in _WORD.finditer(text, start, end))


class Verb:
    """One gold event word: its source, gold word starts and candidates (row, word starts, ruled)."""

    def __init__(self, doc_id: str, gold: frozenset[int]) -> None:
        self.doc_id, self.source, self.gold = doc_id, doc_id.split("-")[0], gold
        self.candidates: list[tuple[Row, frozenset[int], bool]] = []
        self.coordinated: list[list[int]] = []


def verbs_of(extractor: EventExtractor, gold: dict, document) -> list[Verb]:
    """Every gold event word of one record with its candidates."""
    out = []
    text = document.text
    for verb in gold["events"]:
        start, end = verb["verb_start"], verb["verb_end"]
        spans = [(x["start"], x["end"]) for x in verb["locations"]]
        item = Verb(gold["id"], frozenset(w for s, e in spans for w in _words(text, s, e)))
        out.append(item)
        found = extractor.link_candidates(document, start, end)
        if found is None:
            continue
        trigger, names, ruled = found
        offset = sentence_offset(text, trigger.doc, start)
        if offset is None:
            continue
        candidates = with_unnamed(trigger, names)
        item.coordinated = conjuncts([span for _, span, _ in candidates])
        for (index, span, _), (_, features) in zip(candidates, pair_features(trigger, candidates, ruled), strict=True):
            s, e = offset + span.start_char, offset + span.end_char
            label = any(gs < e and s < ge for gs, ge in spans)
            row = Row(item.source, features, {LINK_ROLE} if label else set(), set(), sentence=False)
            shown = bare(span)  # what locate_spans gives
            words = _words(text, offset + shown.start_char, offset + shown.end_char)
            item.candidates.append((row, words, index in ruled))
    return out


def token_scores(verbs: list[Verb], taken) -> tuple[float, float, float]:
    """Token precision, recall and F1 over ``verbs``; ``taken(verb)`` says which candidates are kept."""
    tp = predicted = gold = 0
    for verb in verbs:
        gold += len(verb.gold)
        for (_, words, _), keep in zip(verb.candidates, taken(verb), strict=True):
            if keep:
                predicted += len(words)
                tp += len(words & verb.gold)
    precision, recall = (tp / predicted if predicted else 0.0), (tp / gold if gold else 0.0)
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--c", type=float, default=0.5)
    parser.add_argument("--cache", type=Path, help="pickle of the geoparsed event_location records")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"train_linker: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.open()
    gold = [json.loads(line) for line in (EVAL / "event_location.jsonl").open(encoding="utf-8")]
    if args.cache is not None and args.cache.exists():
        documents = pickle.loads(args.cache.read_bytes())
    else:
        documents = list(Geoparser(gazetteer).pipe([(d["id"], d["text"], None) for d in gold]))
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(documents))
    extractor = EventExtractor.from_model(gazetteer)
    verbs = [v for g, d in zip(gold, documents, strict=True) for v in verbs_of(extractor, g, d)]
    train = [v for v in verbs if v.source != "RELABEL"]
    test = [v for v in verbs if v.source == "RELABEL"]
    rows = [row for v in train for row, _, _ in v.candidates]

    def fitted(rows: list[Row]) -> EventModel:
        weights, bias = fit_role(rows, LINK_ROLE, args.c, solver="newton-cg")  # converges; lbfgs stops early here
        return EventModel({LINK_ROLE: weights}, {LINK_ROLE: bias}, {LINK_ROLE: 0.5})

    def chances(model: EventModel, verb: Verb) -> list[float]:
        return [model.probabilities(row.features)[LINK_ROLE] for row, _, _ in verb.candidates]

    # Thresholds: leave one news source out, best token F1 over all sources' held-out predictions.
    held: dict[int, list[float]] = {}
    for source in sorted({v.source for v in train}):
        model = fitted([r for r in rows if r.group != source])
        held.update({id(v): chances(model, v) for v in train if v.source == source})
    scored = []
    for best in BEST_THRESHOLDS:
        for other in (t for t in OTHER_THRESHOLDS if t >= best):
            for joined in CONJ_THRESHOLDS:
                thresholds = {BEST_ROLE: best, LINK_ROLE: other, CONJ_ROLE: joined}
                figures = token_scores(train, lambda v, t=thresholds: taken_pairs(t, held[id(v)], v.coordinated))
                scored.append((figures[2], best, other, joined, figures))
    best_f1, best, other, joined, held_out = max(scored, key=lambda item: (item[0], -item[1], -item[2], -item[3]))
    thresholds = {BEST_ROLE: best, LINK_ROLE: other, CONJ_ROLE: joined}
    model = fitted(rows)
    about = {"trained_on": "event_location.jsonl without RELABEL", "pairs": len(rows), "C": args.c}
    model = EventModel(model.weights, model.bias, thresholds, about)
    args.out.write_text(model.to_json(), encoding="utf-8")

    learned = token_scores(test, lambda v: taken_pairs(thresholds, chances(model, v), v.coordinated))
    rules = token_scores(test, lambda v: [ruled for _, _, ruled in v.candidates])
    by_source = defaultdict(list)
    for verb in train:
        by_source[verb.source].append(verb)
    per_source = {
        source: token_scores(verbs, lambda v: taken_pairs(thresholds, held[id(v)], v.coordinated))[2]
        for source, verbs in sorted(by_source.items())
        if len(verbs) >= 50
    }
    print(f"{len(rows)} training pairs ({len(train)} event words), thresholds best {best} / others {other} / "
          f"coordinated {joined} -> {args.out}")  # fmt: skip
    print(f"held out by news source: token P {held_out[0]:.3f} R {held_out[1]:.3f} F1 {best_f1:.3f}; per source F1 "
          + ", ".join(f"{source} {f1:.3f}" for source, f1 in per_source.items()))  # fmt: skip
    print(f"RELABEL ({len(test)} event words): learned linker token P {learned[0]:.3f} R {learned[1]:.3f}; "
          f"rules P {rules[0]:.3f} R {rules[1]:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
