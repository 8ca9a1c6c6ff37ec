"""Event extraction accuracy, calibration and cost, in one run.

    python benchmarks/events_accuracy.py [--cache FILE] [--gazetteer STORE] [--repeats R] [--el-repeats R]

1. The development dispatches by group (``dev`` the first 20, Ukraine 2022; ``dv-a``, ``dv-b``,
   ``dv-c`` the 60 of dispatches-dev2, other conflicts and genres) and the monitor captions, each
   scored with the shipped model ("fit") and with the model refitted without that group ("held
   out": every weight, threshold and the calibration). Matching: ``placemap.event_eval``.
   Monitor: an event of the analysts' kind within 25 km, and the town placed; also scored in five
   folds, each refitted without its fold (the estimate for another sample of the same captions).
2. The calibration of event scores over the held-out dispatches' events (ECE, Brier).
3. event_location.jsonl's RELABEL records (Halterman 2019, never trained on): token precision
   and recall of location spans per gold verb, (a) from the events whose quote covers the verb
   and (b) from the linker alone (``event_linker.locate_spans`` on the gold verb: names and
   capitalised runs the geoparser did not take for names), against 0.83.
4. Time: CPU seconds of geoparsing without and with events on the same texts, interleaved in
   the same run, the best of a few repeats.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from event_training import EVAL, MONITOR_KM, all_rows, fit, group_of, load_corpora

from placemap.evaluate import calibration_error
from placemap.event_eval import Matcher, event_matches, haversine, score_events
from placemap.gazetteer import Gazetteer
from placemap.geo.event_linker import locate_spans
from placemap.geo.events import EventExtractor
from placemap.geo.pipeline import Geoparser
from placemap.types import Document

HALTERMAN = 0.83


_WORD = re.compile(r"\w+")


def _tokens(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {m.start() for start, end in spans for m in _WORD.finditer(text, start, end)}


def score_linking(extractor: EventExtractor, gold_docs: list[dict], documents: list[Document]) -> dict[str, float]:
    """Token P/R of location spans per gold verb (the linker's spans may be names the geoparser did
    not find, as Halterman's are not limited to a gazetteer); "resolved" keeps the verbs whose gold spans are all
    among the geoparser's resolved toponyms, to see the linking apart from recognition and resolution."""
    counts = {"events": [0, 0, 0], "linker": [0, 0, 0], "resolved": [0, 0, 0]}  # true positive, predicted, gold
    for gold_doc, document in zip(gold_docs, documents, strict=True):
        text, mentions = document.text, [t.mention for t in document.toponyms]
        resolved = [(t.mention.start, t.mention.end) for t in document.toponyms if t.place is not None]
        for verb in gold_doc["events"]:
            gold = _tokens(text, [(x["start"], x["end"]) for x in verb["locations"]])
            covering = [e for e in document.events if e.quote_start <= verb["verb_start"] < e.quote_end]
            indices = {i for e in covering for i in (e.location, e.origin, e.destination, *e.areas) if i is not None}
            linked = locate_spans(extractor, document, verb["verb_start"], verb["verb_end"])
            known = all(any(s < x["end"] and x["start"] < e for s, e in resolved) for x in verb["locations"])
            by_events = [(mentions[i].start, mentions[i].end) for i in indices]
            for name, chosen in (("events", by_events), ("linker", linked), ("resolved", linked if known else None)):
                if chosen is None:
                    continue
                predicted = _tokens(text, chosen)
                tally = counts[name]
                tally[0] += len(predicted & gold)
                tally[1] += len(predicted)
                tally[2] += len(gold)
    return {name: (tp / p if p else 0.0, tp / g if g else 0.0) for name, (tp, p, g) in counts.items()}


def timed(geoparser: Geoparser, items: list[tuple[str, str, str | None]]) -> tuple[float, list[Document]]:
    """CPU seconds (this process), steadier than wall time on a shared machine, and the documents."""
    start = time.process_time()
    documents = list(geoparser.pipe(items))
    return time.process_time() - start, documents


def overhead(plain: Geoparser, full: Geoparser, items: list[tuple[str, str, str | None]], repeats: int) -> tuple:
    """Fastest of ``repeats`` interleaved runs without and with events (robust to a busy machine)."""
    timed(plain, items[:5]), timed(full, items[:5])  # warm both (model caches, gazetteer pages)
    without, with_events = [], []
    documents: list[Document] = []
    for repeat in range(repeats):
        for geoparser in (plain, full) if repeat % 2 == 0 else (full, plain):
            seconds, result = timed(geoparser, items)
            if geoparser is full:
                with_events.append(seconds)
                documents = result
            else:
                without.append(seconds)
    return min(without), min(with_events), documents


def score_monitor(pairs: list[tuple[dict, Document]]) -> dict[str, float]:
    """Share of monitor captions with an event of the analysts' kind, and with any name, within 25 km."""
    event = town = 0
    for report, document in pairs:
        near = [haversine(report["lat"], report["lon"], t.place.lat, t.place.lon) for t in document.toponyms if t.place]
        town += any(km <= MONITOR_KM for km in near)
        event += any(
            e.category == report["category"] and e.lat is not None
            and haversine(report["lat"], report["lon"], e.lat, e.lon) <= MONITOR_KM
            for e in document.events
        )  # fmt: skip
    return {"event": event / len(pairs), "town": town / len(pairs)}


def monitor_halves(pairs: list[tuple[dict, Document]]) -> tuple[list, list]:
    """The monitor reports in two fixed halves: the one whose misses were read while writing the
    caption rules (from 2026-12-08), and the one never read, which measures them."""
    ids = sorted(gold["id"] for gold, _ in pairs)
    random.Random(3).shuffle(ids)
    read = set(ids[: len(ids) // 2])
    return [p for p in pairs if p[0]["id"] in read], [p for p in pairs if p[0]["id"] not in read]


def with_events(extractor: EventExtractor, pairs: list[tuple[dict, Document]]) -> list[tuple[dict, Document]]:
    return [(gold, replace(document, events=tuple(extractor(document)))) for gold, document in pairs]


def event_outcomes(matcher: Matcher, pairs: list[tuple[dict, Document]]) -> list[tuple[float, bool]]:
    """(score, matched some gold event) of every predicted event that carries a score."""
    outcomes = []
    for gold_doc, document in pairs:
        for event in document.events:
            if event.score is not None:
                right = any(event_matches(matcher, g, event, gold_doc, document) for g in gold_doc["events"])
                outcomes.append((event.score, right))
    return outcomes


def group_rows(matcher: Matcher, extractor: EventExtractor, groups: dict, rows: list, c: float) -> list[tuple]:
    """Per group: the shipped (fitted on every group) and the leave-this-group-out figures."""
    shipped = extractor.model
    table, outcomes = [], []
    for group, pairs in groups.items():
        figures = {}
        for mode, model in (("fit", shipped), ("held out", None)):
            extractor.model = model if model is not None else fit([r for r in rows if r.group != group], c=c)
            done = with_events(extractor, pairs)
            if group == "monitor":
                figures[mode] = score_monitor(done)
            else:
                figures[mode] = score_events(matcher, [g for g, _ in done], [d for _, d in done])
                if mode == "held out":
                    outcomes += event_outcomes(matcher, done)
        table.append((group, figures))
    extractor.model = shipped
    return table, outcomes


def monitor_folds(extractor: EventExtractor, corpora: dict, rows: list, c: float, folds: int) -> dict[str, float]:
    """The monitor reports scored in ``folds`` folds, each with the model refitted without it: the
    estimate for another sample of the same captions (the set kept back is one)."""
    import random

    reports = corpora["monitor"]
    order = sorted(gold["id"] for gold, _ in reports)
    random.Random(7).shuffle(order)
    fold_of = {doc_id: k % folds for k, doc_id in enumerate(order)}
    shipped, hits, towns, outcomes = extractor.model, 0.0, 0.0, []
    for k in range(folds):
        test = [(gold, document) for gold, document in reports if fold_of[gold["id"]] == k]
        extractor.model = fit([r for r in rows if r.doc_id is None or fold_of.get(r.doc_id) != k], c=c)
        done = with_events(extractor, test)
        figures = score_monitor(done)
        hits += figures["event"] * len(test)
        towns += figures["town"] * len(test)
        outcomes += [
            e.category == gold["category"] and e.lat is not None
            and haversine(gold["lat"], gold["lon"], e.lat, e.lon) <= MONITOR_KM
            for gold, document in done for e in document.events
        ]  # fmt: skip
    extractor.model = shipped
    return {"event": hits / len(reports), "town": towns / len(reports), "events": len(outcomes),
            "right": sum(outcomes) / len(outcomes) if outcomes else 0.0}  # fmt: skip


def _dispatch_cells(s: dict) -> str:
    return (f"P {s['precision']:.3f}  R {s['recall']:.3f}  status {s['status']:.3f}  date {s['date']:.3f}  "
            f"({s['gold']} gold, {s['predicted']} predicted)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N sentences of event_location.jsonl")
    parser.add_argument("--repeats", type=int, default=5, help="timing repeats on dispatches-dev")
    parser.add_argument("--el-repeats", type=int, default=2, help="timing repeats on event_location.jsonl")
    parser.add_argument("--gazetteer", help="store to use (e.g. one extended with GeoNames' UA.zip)")
    parser.add_argument("--added-threshold", type=float, help="the extractor's added_threshold (default: shipped)")
    parser.add_argument("--caption-threshold", type=float, help="the extractor's caption_threshold (default: shipped)")
    parser.add_argument("--folds", type=int, default=5, help="folds of the monitor reports' cross-validation")
    parser.add_argument("--c", type=float, default=0.5, help="regularisation of the leave-one-group-out refits")
    parser.add_argument("--cache", type=Path, help="pickle of the geoparsed development corpora")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra events")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"events_accuracy: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.open(args.gazetteer) if args.gazetteer else Gazetteer.open()
    extractor = EventExtractor.from_model(gazetteer)
    if args.added_threshold is not None:
        extractor.added_threshold = args.added_threshold
    if args.caption_threshold is not None:
        extractor.caption_threshold = args.caption_threshold
    full = Geoparser(gazetteer, event_extractor=extractor)
    plain = Geoparser(gazetteer, recognizer=full.recognizer, resolver=full.resolver)
    matcher = Matcher(gazetteer)

    corpora = load_corpora(plain, args.cache)
    rows = all_rows(extractor, corpora)
    groups: dict[str, list] = {}
    for name, pairs in corpora.items():
        for gold, document in pairs:
            groups.setdefault(group_of(gold["id"], "monitor" if name == "monitor" else name), []).append(
                (gold, document)
            )
    table, outcomes = group_rows(matcher, extractor, groups, rows, args.c)
    calibration = calibration_error([p for p, _ in outcomes], [y for _, y in outcomes])

    dev = [json.loads(line) for line in (EVAL / "dispatches-dev.jsonl").open(encoding="utf-8")]
    items = [(d["id"], d["text"], d.get("published")) for d in dev]
    dev_plain, dev_full, _ = overhead(plain, full, items, args.repeats)
    halterman = [json.loads(line) for line in (EVAL / "event_location.jsonl").open(encoding="utf-8")]
    halterman = [d for d in halterman if d["id"].startswith("RELABEL")]
    halterman = halterman[: args.limit] if args.limit else halterman
    items = [(d["id"], d["text"], None) for d in halterman]
    el_plain, el_full, documents = overhead(plain, full, items, args.el_repeats)
    linking = score_linking(extractor, halterman, documents)
    words = sum(len(text.split()) for _, text, _ in items)

    # What a model fitted on captions like these would reach (the monitor reports may not be
    # shipped, so the shipped model is not fitted on them): five folds, each refitted without it.
    monitor_cv = monitor_folds(extractor, corpora, all_rows(extractor, corpora, monitor=True), args.c, args.folds)
    print(f"events: added_threshold {extractor.added_threshold}, caption_threshold {extractor.caption_threshold}, "
          f"store {args.gazetteer or 'embedded'}")  # fmt: skip
    print(f"{'group':8}  {'model':9}  figures")
    for group, figures in table:
        for mode, s in figures.items():
            cells = f"event {s['event']:.3f}  town {s['town']:.3f}" if group == "monitor" else _dispatch_cells(s)
            print(f"{group:8}  {mode:9}  {cells}")
    read, unread = (score_monitor(with_events(extractor, half)) for half in monitor_halves(groups["monitor"]))
    print(f"monitor   halves     event {read['event']:.3f} (half read for the caption rules), "
          f"{unread['event']:.3f} (half never read); town {read['town']:.3f}, {unread['town']:.3f}")  # fmt: skip
    print(
        f"monitor   {args.folds}-fold    event {monitor_cv['event']:.3f}  town {monitor_cv['town']:.3f}  "
        f"(not shipped, fitted on the other folds; {monitor_cv['right']:.3f} of {monitor_cv['events']} events right)"
    )
    print(f"event score calibration (held out, {len(outcomes)} events): ECE {calibration['ece']:.3f}, "
          f"Brier {calibration['brier']:.3f}")  # fmt: skip
    print("event_location RELABEL ({} sentences): token P / R, events covering the verb {:.3f} / {:.3f}; "
          "linker on the gold verb {:.3f} / {:.3f} (Halterman {}); linker on the verbs whose gold spans the "
          "geoparser placed {:.3f} / {:.3f}".format(len(halterman), *linking["events"], *linking["linker"], HALTERMAN,
                                                    *linking["resolved"]))  # fmt: skip
    print(f"geoparse CPU s without / with events, dispatches-dev (best of {args.repeats}): {dev_plain:.2f} / "
          f"{dev_full:.2f} (+{100 * (dev_full / dev_plain - 1):.0f}%)")  # fmt: skip
    print(f"geoparse CPU s without / with events, RELABEL (best of {args.el_repeats}): {el_plain:.2f} / "
          f"{el_full:.2f} (+{100 * (el_full / el_plain - 1):.0f}%); {words / el_plain:,.0f} / "
          f"{words / el_full:,.0f} words/s")  # fmt: skip
    if args.verbose:
        scores = score_events(matcher, [g for g, _ in corpora["dispatches2"]],
                                  [d for _, d in with_events(extractor, corpora["dispatches2"])])  # fmt: skip
        print("\nmissed:", *scores["misses"], sep="\n  ")
        print("extra:", *scores["extras"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
