"""The gain of each recognition rule on the development corpora (ablation).

    python benchmarks/recognition_rules.py [--geocorpora-docs N]

For every rule in ``RuleSwitches``, recognition F1 (overlap matching) with all rules on,
with that one rule off, and spaCy's NER alone, on the development corpora only
(dispatches-dev, GeoCorpora, WoTR-test). A rule earns its place when switching it off
lowers F1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from placemap.evaluate import corpus_policy, score_recognition
from placemap.gazetteer import Gazetteer
from placemap.geo.recognize import RuleSwitches, SpacyRecognizer, load_model

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
DEV = ("dispatches-dev", "geocorpora", "wotr-test")


def f1(recognizer: SpacyRecognizer, gold: list[dict]) -> float:
    predicted = []
    for doc, mentions in zip(gold, recognizer.pipe([d["text"] for d in gold]), strict=True):
        predicted.append({"id": doc["id"], "toponyms": [{"start": m.start, "end": m.end} for m in mentions]})
    return score_recognition(gold, predicted, corpus_policy(gold[0].get("corpus", "dispatches")))["overlap"]["f1"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geocorpora-docs", type=int, default=2000, help="first N GeoCorpora documents")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"recognition_rules: {EVAL} is absent", file=sys.stderr)
        return 1
    gazetteer, nlp = Gazetteer.open(), load_model()
    corpora = {}
    for name in DEV:
        docs = [json.loads(line) for line in (EVAL / f"{name}.jsonl").open(encoding="utf-8")]
        corpora[name] = docs[: args.geocorpora_docs] if name == "geocorpora" else docs
    settings = {"all rules": RuleSwitches(), "spaCy NER alone": RuleSwitches.none()}
    for rule in RuleSwitches.__dataclass_fields__:
        settings[f"without {rule}"] = dataclasses.replace(RuleSwitches(), **{rule: False})
    print(f"{'setting':28}" + "".join(f"{name:>16}" for name in DEV) + f"{'mean':>8}")
    for label, rules in settings.items():
        adjectives = label != "spaCy NER alone"
        scores = []
        for name, gold in corpora.items():
            recognizer = SpacyRecognizer(nlp, gazetteer, rules=rules, adjectives=adjectives and name == "geocorpora")
            scores.append(f1(recognizer, gold))
        print(f"{label:28}" + "".join(f"{s:16.3f}" for s in scores) + f"{sum(scores) / len(scores):8.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
