"""Geoparser accuracy on the evaluation corpora, beside the baselines, in one run.

    python benchmarks/geoparse_accuracy.py [--corpora geowebnews geovirus ...] [--limit N]

For each corpus (../shared/data/eval) prints recognition P/R/F1 (overlap) for spaCy's
NER alone (GPE/LOC/FAC, no rules) and for placemap; resolution given the gold spans
(acc@161, exact id, median km, AUC) for the population baseline and for placemap's
context resolver; and end-to-end acc@161. GeoCorpora, WoTR, dispatches-dev and the first
halves of WikToR, GeoWebNews and GeoVirus are the development sets errors are read from,
and all but GeoCorpora (no licence stated) train the resolver's weights (``train_resolver.py
--licence gpl``); the second halves ("wiktor", "geowebnews-2" and "geovirus-2") are held
out: no weight was learned and no rule written from them. ``--weights FILE`` scores another
weights file than the shipped one.
GeoWebNews and GeoCorpora count adjectives ("Russian") as toponyms, so placemap runs there
with ``adjectives=True``. GeoWebNews texts open with a "TITLE: ... LINK: <url>" line from the
brat export that was not annotated (the authors' GWN.xml leaves it out; 2 of 3,152 spans fall
in it): spans starting in it are not scored (``Policy.header_line``). "area" columns score a
resolved country or admin-1 unit as right also when its polygon holds the gold point or it has
the gold id (``acc@161+area`` of ``placemap.evaluate``); the others are the plain 161 km figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from halves import half_of

from placemap.docformat import document_to_json
from placemap.evaluate import corpus_policy, gazetteer_areas, score_end_to_end, score_recognition, score_resolution
from placemap.gazetteer import Gazetteer
from placemap.geo.pipeline import RECOGNIZERS, Geoparser, GeoparserSettings, build_geoparser
from placemap.geo.ranking import ResolverWeights
from placemap.geo.recognize import RuleSwitches, load_model
from placemap.geo.resolve import ContextResolver

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
CORPORA = (
    "dispatches-dev",
    "geocorpora",
    "wotr-test",
    "geowebnews",
    "geowebnews-2",
    "geovirus",
    "geovirus-2",
    "wiktor",
)
HELD_OUT = {"geowebnews-2", "geovirus-2", "wiktor"}
ADJECTIVES = {"geowebnews", "geowebnews-2", "geocorpora"}
#: Rows that are the held-out second half of a corpus whose first half trains the resolver
#: and was read to find errors.
SECOND_HALF = {"wiktor", "geowebnews-2", "geovirus-2"}
NO_RULES = RuleSwitches.none()


def run(geoparser: Geoparser, gold: list[dict], *, spans: bool) -> list[dict]:
    items = []
    for doc in gold:
        given = [(t["start"], t["end"]) for t in doc["toponyms"]] if spans else None
        items.append(document_to_json(geoparser(doc["text"], doc_id=doc["id"], spans=given)))
    return items


def recognised(geoparser: Geoparser, gold: list[dict]) -> list[dict]:
    items = ((doc["id"], doc["text"], None) for doc in gold)
    return [document_to_json(document) for document in geoparser.pipe(items)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--limit", type=int, help="first N documents of each corpus")
    parser.add_argument("--recognizer", choices=RECOGNIZERS, default="spacy", help="recognition (default: the rules)")
    parser.add_argument(
        "--weights",
        type=Path,
        help="the context resolver's weights from this file (as train_resolver.py --out writes it) "
        "instead of the shipped geo/data/resolver_weights.json",
    )
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"geoparse_accuracy: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.open()
    area_of = gazetteer_areas(gazetteer)
    nlp = load_model()
    weights = None
    if args.weights is not None:
        weights = ResolverWeights.from_json(args.weights.read_text(encoding="utf-8"))
        print(f"resolver weights: {args.weights}")
    header = (
        f"{'corpus':15} {'set':8} {'docs':>5} | {'NER F1':>6} {'ours P':>6} {'ours R':>6} {'ours F1':>7} | "
        f"{'pop@161':>7} {'ours@161':>8} {'area':>5} {'id':>5} {'med km':>6} {'AUC':>5} | {'e2e@161':>7} {'area':>5} | "
        f"{'s':>4}"
    )
    print(header)
    print("-" * len(header))
    for corpus in args.corpora:
        started = time.perf_counter()
        source = EVAL / f"{corpus.removesuffix('-2')}.jsonl"
        gold = [json.loads(line) for line in source.open(encoding="utf-8")]
        gold = half_of(gold, 2 if corpus in SECOND_HALF else None)
        gold = gold[: args.limit]
        policy = corpus_policy(gold[0].get("corpus", "dispatches"))
        ours = GeoparserSettings(adjectives=corpus in ADJECTIVES, events=False, recognizer=args.recognizer)

        def build(settings: GeoparserSettings) -> Geoparser:
            geoparser = build_geoparser(settings, gazetteer=gazetteer, nlp=nlp)
            if weights is not None and settings.resolver == "context":
                geoparser.resolver = ContextResolver(gazetteer, weights=weights)
            return geoparser

        population = dataclasses.replace(ours, resolver="population")
        found = recognised(build(ours), gold)
        ner_alone = dataclasses.replace(population, adjectives=False, rules=NO_RULES, recognizer="spacy")
        baseline_found = recognised(build(ner_alone), gold)
        resolved = run(build(ours), gold, spans=True)
        baseline_resolved = run(build(population), gold, spans=True)
        rec = score_recognition(gold, found, policy)["overlap"]
        rec_base = score_recognition(gold, baseline_found, policy)["overlap"]
        res = score_resolution(gold, resolved, policy, area_of=area_of)
        res_base = score_resolution(gold, baseline_resolved, policy)
        e2e = score_end_to_end(gold, found, policy, area_of=area_of)
        precision = f"{rec['precision']:6.3f}" if rec["precision"] is not None else "   n/a"
        f1 = f"{rec['f1']:7.3f}" if rec["f1"] is not None else "    n/a"
        base_f1 = f"{rec_base['f1']:6.3f}" if rec_base["f1"] is not None else "   n/a"
        exact = f"{res['exact_id']:5.3f}" if res["exact_id"] is not None else "  n/a"
        print(
            f"{corpus:15} {'held-out' if corpus in HELD_OUT else 'dev':8} {len(gold):5d} | {base_f1} {precision} "
            f"{rec['recall']:6.3f} {f1} | {res_base['acc@161']:7.3f} {res['acc@161']:8.3f} {res['acc@161+area']:5.3f} "
            f"{exact} {res['median_km']:6.0f} {res['auc']:5.3f} | {e2e['acc@161']:7.3f} {e2e['acc@161+area']:5.3f} | "
            f"{time.perf_counter() - started:4.0f}",
            flush=True,
        )
    print("\nNER F1: spaCy en_core_web_sm NER alone (GPE/LOC/FAC); ours: placemap recognition (overlap matching).")
    print("pop@161: population-only resolver on the gold spans; ours@161: placemap's context resolver.")
    print("e2e@161: share of gold toponyms found and placed within 161 km. area: the same, a country or admin-1 unit")
    print("also right when its polygon holds the gold point (acc@161+area). WikToR annotates one name per text,")
    print("so its precision and F1 are not defined.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
