"""Fit the event linker on Halterman's event_location newswire and write it into the package.

    python benchmarks/train_linker.py [--out geo/data/event_linker.json] [--c 0.5] [--cache FILE]

Training data: every record of ../shared/data/eval/event_location.jsonl except the RELABEL
ones (the relabelled gold set, kept for measuring). For each gold event word and each name
the geoparser finds in its sentence, the label is whether the name overlaps one of the
word's gold location spans. The threshold is the one with the best token-level F1 on
predictions for news sources the fit did not see (leave one source out); the script then
prints the linker's and the rules' token precision and recall on RELABEL, and writes the model.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from pathlib import Path

from event_training import EVAL, Row, fit_role

from placemap.gazetteer import Gazetteer
from placemap.geo.event_linker import LINK_ROLE, pair_features
from placemap.geo.event_model import EventModel
from placemap.geo.events import EventExtractor
from placemap.geo.pipeline import Geoparser

OUT = Path(__file__).resolve().parents[1] / "geo" / "data" / "event_linker.json"
_WORD = re.compile(r"\w+")


def pairs_of(extractor: EventExtractor, gold: dict, document) -> list[tuple[Row, set[int], int]]:
    """(row, gold word starts, the name's word starts) for every (event word, name) pair."""
    out = []
    text = document.text
    for verb in gold["events"]:
        found = extractor.link_candidates(document, verb["verb_start"], verb["verb_end"])
        if found is None:
            continue
        trigger, names, ruled = found
        spans = [(x["start"], x["end"]) for x in verb["locations"]]
        gold_words = {m.start() for s, e in spans for m in _WORD.finditer(text, s, e)}
        for index, features in pair_features(trigger, names, ruled):
            mention = document.toponyms[index].mention
            label = any(s < mention.end and mention.start < e for s, e in spans)
            words = {m.start() for m in _WORD.finditer(text, mention.start, mention.end)}
            row = Row(gold["id"].split("-")[0], features, {LINK_ROLE} if label else set(), set(), sentence=False)
            out.append((row, gold_words, words, verb["verb_start"], index in ruled))
    return out


def token_scores(items, keep) -> tuple[float, float]:
    """Token precision and recall of the names ``keep`` takes, per gold event word."""
    tp = predicted = 0
    gold_by_verb: dict[tuple[str, int], set[int]] = {}
    for doc_id, (row, gold_words, words, verb, ruled) in items:
        gold_by_verb[(doc_id, verb)] = gold_words
        if keep(row, ruled):
            predicted += len(words)
            tp += len(words & gold_words)
    total = sum(len(g) for g in gold_by_verb.values())
    return (tp / predicted if predicted else 0.0, tp / total if total else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--c", type=float, default=0.5)
    parser.add_argument("--cache", type=Path, help="pickle of the geoparsed event_location records")
    parser.add_argument("--pairs-out", type=Path, help="also write the (event word, name) rows here, for study")
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
    items = [(g["id"], item) for g, d in zip(gold, documents, strict=True) for item in pairs_of(extractor, g, d)]
    if args.pairs_out is not None:
        args.pairs_out.write_bytes(pickle.dumps(items))
    train = [(i, x) for i, x in items if not i.startswith("RELABEL")]
    test = [(i, x) for i, x in items if i.startswith("RELABEL")]
    rows = [x[0] for _, x in train]

    # Threshold: leave one news source out, best token F1 over all sources' held-out predictions.
    chances = []
    for source in sorted({r.group for r in rows}):
        fitted = fit_role([r for r in rows if r.group != source], LINK_ROLE, args.c)
        model = EventModel({LINK_ROLE: fitted[0]}, {LINK_ROLE: fitted[1]}, {LINK_ROLE: 0.5})
        for doc_id, item in train:
            if item[0].group == source:
                chances.append((model.probabilities(item[0].features)[LINK_ROLE], doc_id, item))
    best, best_f1 = 0.5, -1.0
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        chosen = {id(item[0]) for p, _, item in chances if p >= threshold}
        precision, recall = token_scores([(d, x) for _, d, x in chances], lambda row, _, c=chosen: id(row) in c)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    weights, bias = fit_role(rows, LINK_ROLE, args.c)
    about = {"trained_on": "event_location.jsonl without RELABEL", "pairs": len(rows), "C": args.c}
    model = EventModel({LINK_ROLE: weights}, {LINK_ROLE: bias}, {LINK_ROLE: best}, about)
    args.out.write_text(model.to_json(), encoding="utf-8")

    learned = token_scores(test, lambda row, _: model.taken(LINK_ROLE, model.probabilities(row.features)[LINK_ROLE]))
    rules = token_scores(test, lambda _, ruled: ruled)
    print(f"{len(rows)} training pairs, threshold {best} (held-out-source token F1 {best_f1:.3f}) -> {args.out}")
    print(f"RELABEL ({len(test)} pairs; verbs with a name in their sentence): learned linker token "
          f"P {learned[0]:.3f} R {learned[1]:.3f}; rules P {rules[0]:.3f} R {rules[1]:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
