"""Geoparser speed against spaCy's NER alone, in the same run.

    python benchmarks/geoparse_speed.py [--repeat N]

Corpus: GeoWebNews and GeoVirus texts from ../shared/data/eval when present, else the
bundled example dispatches. Prints words per second for spaCy's NER alone (the same
NER-only pipeline placemap loads, over whole texts) and for placemap end to end
(NER over the windows around capitalised words, recognition rules, gazetteer lookups,
context resolution), their ratio, start-up time and peak memory; also placemap with the
NER over whole texts, to show what the windows save, and placemap with the learned recognizer
(``recognizer="learned"``: the rules' spans and the other candidates judged by the classifier).
``--events`` adds event extraction (the parser on the sentences with a place and a trigger).
``--long-line CHARS`` times, instead, one document of CHARS characters on a single line with no
sentence end (``long_text.py``: dispatch-like clauses of our own words), without and with events
in the same run (issue 20, item 6: at least 5,000 words/s with events).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "data" / "eval"


def corpus() -> tuple[str, list[str]]:
    files = [EVAL / "geowebnews.jsonl", EVAL / "geovirus.jsonl"]
    if all(path.is_file() for path in files):
        texts = [json.loads(line)["text"] for path in files for line in path.open(encoding="utf-8")]
        return "GeoWebNews + GeoVirus", texts
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples" / "dispatches").glob("*.txt"))]
    return "bundled example dispatches", texts * 50


def words_per_second(run, texts: list[str], words: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - started)
    return words / best


def long_line_case(chars: int, repeat: int) -> int:
    """Words/s of one long single-line document, geoparsed without and with events, interleaved."""
    from long_text import long_line

    from placemap.gazetteer import Gazetteer
    from placemap.geo.events import EventExtractor, sentence_spans
    from placemap.geo.pipeline import GeoparserSettings, build_geoparser
    from placemap.geo.windows import MAX_PARSE_CHARS

    gazetteer = Gazetteer.open()
    geoparser = build_geoparser(GeoparserSettings(events=False), gazetteer=gazetteer)
    extractor = EventExtractor.from_model(gazetteer)
    text = long_line(chars)
    words = len(text.split())
    geoparser.event_extractor = None
    list(geoparser.pipe([("warm", long_line(20_000, seed=1), None)]))
    best = {"without events": float("inf"), "with events": float("inf"), "parser alone": float("inf")}
    counts = {}
    for _ in range(repeat):
        for label, events in (("without events", None), ("with events", extractor)):
            geoparser.event_extractor = events
            started = time.process_time()  # CPU seconds: steadier than wall time on a shared machine
            [document] = geoparser.pipe([("line", text, None)])
            best[label] = min(best[label], time.process_time() - started)
            counts[label] = (len(document.toponyms), len(document.events))
        # The event parser alone over the pieces the rules read (here every piece has a trigger and a
        # place): no rules, no model, so what events cost at the least.
        pieces = [text[start:end] for start, end in sentence_spans(document)]
        started = time.process_time()
        for _ in extractor.nlp.pipe(pieces, batch_size=extractor.batch_size):
            pass
        best["parser alone"] = min(best["parser alone"], time.process_time() - started)
        counts["parser alone"] = (len(pieces), 0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"one line of {len(text):,} characters, {words:,} words, no sentence end; best of {repeat}")
    print(f"{'pipeline':16} {'CPU s':>8} {'words/s':>9} {'names':>7} {'events':>7}")
    for label in ("without events", "with events"):
        names, events = counts[label]
        print(f"{label:16} {best[label]:8.1f} {words / best[label]:9,.0f} {names:7,} {events:7,}")
    floor = best["without events"] + best["parser alone"]
    print(f"{'parser alone':16} {best['parser alone']:8.1f} {words / best['parser alone']:9,.0f}"
          f"   ({counts['parser alone'][0]:,} pieces of at most {MAX_PARSE_CHARS:,} characters)")  # fmt: skip
    print(f"{'without + parser':16} {floor:8.1f} {words / floor:9,.0f}   (events with free rules and model)")
    print(f"peak memory {peak_mb:,.0f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is reported")
    parser.add_argument("--events", action="store_true", help="also time geoparsing with event extraction")
    parser.add_argument("--long-line", type=int, metavar="CHARS", help="time one line of CHARS characters instead")
    args = parser.parse_args()
    if args.long_line:
        return long_line_case(args.long_line, args.repeat)

    started = time.perf_counter()
    from placemap.gazetteer import Gazetteer
    from placemap.geo.pipeline import GeoparserSettings, build_geoparser
    from placemap.geo.place_model import PlaceModel

    gazetteer = Gazetteer.open()
    opened = time.perf_counter() - started
    geoparser = build_geoparser(GeoparserSettings(events=False), gazetteer=gazetteer)
    startup = time.perf_counter() - started

    name, texts = corpus()
    words = sum(len(text.split()) for text in texts)
    nlp = geoparser.recognizer.nlp

    def ner_alone(batch: list[str]) -> None:
        for _ in nlp.pipe(batch, batch_size=64):
            pass

    def placemap(batch: list[str]) -> None:
        for _ in geoparser.pipe(((str(i), text, None) for i, text in enumerate(batch)), batch_size=64):
            pass

    placemap(texts[:20])  # warm the lookup cache as a long run would be
    geoparser.recognizer.model = PlaceModel.load()
    placemap(texts[:20])  # and the learned recognizer's lookups
    geoparser.recognizer.model = None
    model = PlaceModel.load()

    def learned_recognizer(batch: list[str]) -> None:
        geoparser.recognizer.model = model
        placemap(batch)
        geoparser.recognizer.model = None

    # The NER alone, placemap with the rules and with the learned recognizer take turns, so
    # that the load of a shared machine falls on all three alike.
    ner = full = learned = 0.0
    for _ in range(args.repeat):
        ner = max(ner, words_per_second(ner_alone, texts, words, 1))
        full = max(full, words_per_second(placemap, texts, words, 1))
        learned = max(learned, words_per_second(learned_recognizer, texts, words, 1))
    geoparser.recognizer.windows = False
    whole = words_per_second(placemap, texts, words, args.repeat)
    geoparser.recognizer.windows = True
    with_events = None
    if args.events:
        from placemap.geo.events import EventExtractor

        geoparser.event_extractor = EventExtractor.from_model(gazetteer)
        with_events = words_per_second(placemap, texts, words, args.repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {name}, {len(texts)} documents, {words:,} words; best of {args.repeat}")
    print(f"{'pipeline':32} {'words/s':>10}")
    print(f"{'spaCy NER alone (same pipeline)':32} {ner:10,.0f}")
    print(f"{'placemap end to end':32} {full:10,.0f}")
    print(f"{'placemap, NER over whole texts':32} {whole:10,.0f}")
    print(f"{'placemap, learned recognizer':32} {learned:10,.0f}")
    if with_events is not None:
        print(f"{'placemap with events':32} {with_events:10,.0f}")
    print(f"ratio placemap / NER alone: {full / ner:.2f}; learned / NER alone: {learned / ner:.2f}")
    if with_events is not None:
        print(f"events add {full / with_events - 1:.0%} to geoparsing time")
    print(f"start-up: gazetteer open {opened:.2f} s, with model {startup:.2f} s; peak memory {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
