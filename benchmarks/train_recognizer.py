"""Fit the learned recognizer and print its figures beside the rules', cross-corpus, in one run.

    python benchmarks/train_recognizer.py [--out geo/data/place_model.json] [--c 0.1] [--threshold 0.3]
                                          [--cache FILE] [--limit N] [--no-write] [--without-gpl]

Training data, each with its licence (recorded in the model's ``about`` and in docs/benchmarks.md):
our own dispatches-dev.jsonl and dispatches-dev2.jsonl, WoTR-test (MIT), and the first halves
of GeoWebNews and GeoVirus (GPL v3, as the resolver's weights are; ``--without-gpl`` leaves
them out). GeoCorpora (no licence stated), the monitor reports (no licence) and event_location
(its spans are only event locations, not every place) are never trained on; the second halves
of GeoWebNews, GeoVirus and WikToR are held out.

For every corpus it prints recognition P/R/F1 (overlap, ``placemap.evaluate``) of the rules
alone and of the learned recognizer: the shipped model where it never saw the corpus, and the
model refitted without any part of the corpus ("cross": trained without it, scored on it).
Candidates and features come from ``SpacyRecognizer.candidates`` (the code the geoparser
runs); a candidate is a positive when it shares at least half of its and a gold toponym's
characters. C and the threshold were chosen by the mean cross F1 over the development corpora
(dispatches-dev, dispatches-dev2, WoTR, the first halves, GeoCorpora). Deterministic: the same
data gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from halves import half_of

from placemap.evaluate import Policy, corpus_policy, score_recognition
from placemap.gazetteer import Gazetteer
from placemap.geo.place_candidates import Candidate, choose
from placemap.geo.place_model import PlaceModel
from placemap.geo.recognize import SpacyRecognizer, load_model
from placemap.geo.windows import mask_pictographs, windowed_ner

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "data" / "eval"
OUT = ROOT / "geo" / "data" / "place_model.json"
#: Corpora whose licence allows shipping a model fitted on them, with that licence.
TRAIN = {
    "dispatches-dev": "placemap's own",
    "dispatches-dev2": "placemap's own",
    "wotr-test": "MIT",
    "geowebnews-1": "GPL v3",
    "geovirus-1": "GPL v3",
}
#: Corpora scored only (not trained on), with their licence as their source states it.
SCORED = {
    "geowebnews-2": "GPL v3",
    "geovirus-2": "GPL v3",
    "geocorpora": "none stated",
    "wiktor-2": "GPL v3",
}
ADJECTIVES = {"geowebnews-1", "geowebnews-2", "geocorpora"}
HELD_OUT = {"geowebnews-2", "geovirus-2", "wiktor-2"}


@dataclass
class Doc:
    id: str
    gold: dict
    rules: list[tuple[int, int, str]]  # character spans the rules give (the baseline)
    norp: list[tuple[int, int, str]]  # adjectives the rules give, passed through
    candidates: list[Candidate]  # character offsets
    labels: list[int | None]  # 1 place, 0 not, None on a neutral span only


def _label(start: int, end: int, gold: list[dict], policy: Policy) -> int | None:
    neutral = False
    for span in gold:
        shared = min(end, span["end"]) - max(start, span["start"])
        if shared <= 0:
            continue
        if policy.is_gold(span):
            if shared / (max(end, span["end"]) - min(start, span["start"])) >= 0.5:
                return 1
        elif policy.is_neutral(span):
            neutral = True
    return None if neutral else 0


def _chars(doc, start: int, end: int) -> tuple[int, int]:
    return doc[start:end].start_char, doc[start:end].end_char


def extract(recognizer: SpacyRecognizer, name: str, gold_docs: list[dict]) -> list[Doc]:
    """Candidates, features and labels of every document of a corpus."""
    recognizer.adjectives = name in ADJECTIVES
    policy = corpus_policy(gold_docs[0].get("corpus", "dispatches"))
    texts = (mask_pictographs(g["text"]) for g in gold_docs)
    out = []
    for gold, doc in zip(gold_docs, windowed_ner(recognizer.nlp, texts), strict=True):
        found, norp = recognizer.candidates(doc)
        _, spans = recognizer.rule_spans(doc)
        chars = [replace(c, start=doc[c.start].idx, end=_chars(doc, c.start, c.end)[1]) for c in found]
        labels = [_label(c.start, c.end, gold["toponyms"], policy) for c in chars]
        rules = [(*_chars(doc, s, e), label) for s, e, label in spans]
        norp_chars = [(*_chars(doc, s, e), label) for s, e, label in norp]
        out.append(Doc(gold["id"], gold, rules, norp_chars, chars, labels))
    return out


def load(name: str, limit: int | None) -> list[dict]:
    base = name.removesuffix("-1").removesuffix("-2")
    docs = [json.loads(line) for line in (EVAL / f"{base}.jsonl").open(encoding="utf-8")]
    half = 1 if name.endswith("-1") else 2 if name.endswith("-2") else None
    return half_of(docs, half)[:limit]


def fit(docs: list[Doc], c: float, about: dict, threshold: float = 0.3) -> PlaceModel:
    """A logistic regression over the labelled candidates of ``docs``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [(cand.features, y) for d in docs for cand, y in zip(d.candidates, d.labels, strict=True) if y is not None]
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform([f for f, _ in rows])
    y = [label for _, label in rows]
    model = LogisticRegression(C=c, max_iter=2000, solver="lbfgs").fit(x, y)
    weights = dict(zip(vectorizer.get_feature_names_out().tolist(), model.coef_[0].tolist(), strict=True))
    about = {**about, "rows": len(rows), "positives": int(sum(y)), "C": c}
    return PlaceModel(weights, float(model.intercept_[0]), threshold, about)


def _mentions(spans: list[tuple[int, int, str]]) -> list[dict]:
    """Character spans with overlaps resolved in favour of the longer one, as the recognizer does."""
    kept: list[dict] = []
    last = -1
    for start, end, _ in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start >= last:
            kept.append({"start": start, "end": end})
            last = end
    return kept


def score(docs: list[Doc], model: PlaceModel | None) -> dict:
    """Recognition P/R/F1 (overlap) of the rules (``model`` None) or of the learned recognizer."""
    predicted = []
    for d in docs:
        if model is None:
            spans = d.rules
        else:
            spans = choose(d.candidates, model.probabilities(c.features for c in d.candidates), model.threshold)
            spans = spans + d.norp
        predicted.append({"id": d.id, "toponyms": _mentions(spans)})
    policy = corpus_policy(docs[0].gold.get("corpus", "dispatches"))
    return score_recognition([d.gold for d in docs], predicted, policy)["overlap"]


def _family(name: str) -> str:
    """The corpus a part belongs to: "geowebnews" for both halves."""
    return name.removesuffix("-1").removesuffix("-2")


def _cells(figures: dict) -> str:
    p = "  n/a" if figures["precision"] is None else f"{figures['precision']:.3f}"
    f1 = "  n/a" if figures["f1"] is None else f"{figures['f1']:.3f}"
    return f"{p} {figures['recall']:.3f} {f1}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength")
    parser.add_argument("--threshold", type=float, default=0.3, help="the probability a candidate must reach")
    parser.add_argument("--cache", type=Path, help="pickle of the extracted candidates (made if absent)")
    parser.add_argument("--limit", type=int, help="first N documents of each corpus")
    parser.add_argument("--no-write", action="store_true", help="fit and score, but leave the shipped model")
    parser.add_argument("--without-gpl", action="store_true", help="train on our own and MIT corpora only")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"train_recognizer: {EVAL} is absent; the development corpora are needed", file=sys.stderr)
        return 1
    if args.without_gpl:
        for name in [name for name, licence in TRAIN.items() if licence.startswith("GPL")]:
            SCORED[name] = TRAIN.pop(name)
    started = time.perf_counter()
    if args.cache is not None and args.cache.is_file():
        corpora = pickle.loads(args.cache.read_bytes())
    else:
        recognizer = SpacyRecognizer(load_model(), Gazetteer.open())
        corpora = {name: extract(recognizer, name, load(name, args.limit)) for name in [*TRAIN, *SCORED]}
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(corpora))
    print(f"candidates of {sum(len(v) for v in corpora.values())} documents in {time.perf_counter() - started:.0f} s")
    about = {"corpora": dict(sorted(TRAIN.items()))}
    shipped = fit([d for name in TRAIN for d in corpora[name]], args.c, about, args.threshold)
    if not args.no_write:
        args.out.write_text(shipped.to_json(), encoding="utf-8")
        print(f"{shipped.about['rows']} candidates ({shipped.about['positives']} places) -> {args.out}")
    print(f"\n{'corpus':16} {'licence':14} {'set':8} {'docs':>5} | {'rules P / R / F1':>17} | ", end="")
    print(f"{'shipped P / R / F1':>18} | {'cross P / R / F1':>17}")
    refits: dict[str, PlaceModel] = {}
    for name in [*TRAIN, *SCORED]:
        docs = corpora[name]
        family = _family(name)
        if family not in refits:
            rest = [d for other in TRAIN if _family(other) != family for d in corpora[other]]
            refits[family] = fit(rest, args.c, about, args.threshold)
        shipped_cells = " " * 17 + "-" if name in TRAIN else _cells(score(docs, shipped))
        kind = "train" if name in TRAIN else "held-out" if name in HELD_OUT else "scored"
        licence = TRAIN.get(name) or SCORED[name]
        print(f"{name:16} {licence:14} {kind:8} {len(docs):5d} | {_cells(score(docs, None))} | ", end="")
        print(f"{shipped_cells} | {_cells(score(docs, refits[family]))}")
    print("\nshipped: the shipped model (fitted on every training corpus), on corpora it never saw; cross: the model")
    print("refitted without any part of the corpus (both halves of GeoWebNews, of GeoVirus), scored on it.")
    print("Overlap matching; WikToR annotates one name per text, so only recall.")
    top = sorted(shipped.weights.items(), key=lambda kv: -abs(kv[1]))[:12]
    print("strongest features: " + ", ".join(f"{f} {w:+.2f}" for f, w in top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
