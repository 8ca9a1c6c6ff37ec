"""Event extraction accuracy and cost, in one run.

    python benchmarks/events_accuracy.py [--limit N] [--repeats R]

1. dispatches-dev (../shared/data/eval, the development set the rules are tuned on): the
   geoparser runs on the gold text with events. A predicted event matches a gold one when
   the category matches and: the location is within 50 km (to the area's outline when one
   side is an admin area, countries by country code); for corridors and refugee flows the
   origin is within 50 km and the destination in the right country; for claims the areas are
   the same places (an admin-1 unit also matches a city inside it: "Donetsk and Luhansk"
   resolved as the cities). A gold event with no place at all needs the same sentence.
   Absent roles must be absent on both sides. Status and date accuracy are over matched events.
2. event_location.jsonl (Halterman 2019, newswire): token precision/recall of location spans
   per gold verb, (a) from the events whose quote covers the verb and (b) from the linker alone
   (``EventExtractor.locate`` on the gold verb), against the published 0.83.
3. Time: CPU seconds of geoparsing without and with events on the same texts, interleaved in
   the same run, the best of a few repeats.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path
from typing import Any

from placemap.gazetteer import Gazetteer
from placemap.geo.events import EventExtractor
from placemap.geo.pipeline import Geoparser
from placemap.types import Document, Event, Place

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
KM = 50.0
HALTERMAN = 0.83
_AREA = ("ADM1", "ADM2", "RGN", "PCL")


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


class Matcher:
    """Compares a predicted place with a gold toponym (dicts from dispatches-dev)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._areas: dict[Any, Any] = {}

    def area(self, place: Place | None) -> Any:
        if place is None or not place.feature_code.startswith(_AREA) or place.geonameid is None:
            return None
        if place.geonameid not in self._areas:
            self._areas[place.geonameid] = self.gazetteer.area(place)
        return self._areas[place.geonameid]

    def near(self, gold: dict, place: Place | None) -> bool:
        if place is None:
            return False
        if gold["feature_code"].startswith("PCL") or place.feature_code.startswith("PCL"):
            return gold["country_code"] == place.country_code and (
                gold["feature_code"].startswith("PCL") == place.feature_code.startswith("PCL")
                or haversine(gold["lat"], gold["lon"], place.lat, place.lon) <= 100
            )
        if haversine(gold["lat"], gold["lon"], place.lat, place.lon) <= KM:
            return True
        gold_place = self.gazetteer.get(gold["geonameid"]) if gold.get("geonameid") else None
        pairs = ((self.area(place), gold["lat"], gold["lon"]), (self.area(gold_place), place.lat, place.lon))
        return any(outline is not None and _distance_to(outline, lat, lon) <= KM for outline, lat, lon in pairs)

    def same_area(self, gold: dict, place: Place | None) -> bool:
        if place is None:
            return False
        if gold.get("geonameid") is not None and gold["geonameid"] == place.geonameid:
            return True
        gold_place = self.gazetteer.get(gold["geonameid"]) if gold.get("geonameid") else None
        if gold_place is not None and gold_place.feature_code == "ADM1":
            return (place.country_code, place.admin1_code) == (gold_place.country_code, gold_place.admin1_code)
        return self.near(gold, place)


def _distance_to(outline: Any, lat: float, lon: float) -> float:
    import shapely
    from shapely.ops import nearest_points

    point = shapely.Point(lon, lat)
    if outline.contains(point):
        return 0.0
    nearest = nearest_points(outline, point)[0]
    return haversine(lat, lon, nearest.y, nearest.x)


def event_matches(matcher: Matcher, gold: dict, event: Event, gold_doc: dict, document: Document) -> bool:
    if gold["category"] != event.category:
        return False
    gold_top, places = gold_doc["toponyms"], [t.place for t in document.toponyms]

    def role(gold_index: int | None, index: int | None, test: Any) -> bool:
        if gold_index is None or index is None:
            return gold_index is None and index is None
        return test(gold_top[gold_index], places[index])

    def country(gold_place: dict, place: Place | None) -> bool:
        return place is not None and gold_place["country_code"] == place.country_code

    if gold["category"] == "claim":
        predicted = [places[i] for i in event.areas]
        wanted = [gold_top[i] for i in gold["areas"]]
        return (
            bool(wanted)
            and all(any(matcher.same_area(g, p) for p in predicted) for g in wanted)
            and all(any(matcher.same_area(g, p) for g in wanted) for p in predicted)
        )
    ok = role(gold["location"], event.location, matcher.near)
    ok = ok and role(gold["origin"], event.origin, matcher.near)
    ok = ok and role(gold["destination"], event.destination, country)
    placeless = gold["location"] is None and gold["origin"] is None and gold["destination"] is None
    if placeless:
        ok = ok and event.quote_start < gold["quote_end"] and gold["quote_start"] < event.quote_end
    return ok


def score_dispatches(matcher: Matcher, gold_docs: list[dict], documents: list[Document]) -> dict[str, float]:
    tp = n_pred = n_gold = status_ok = date_ok = precision_ok = 0
    misses, extras = [], []
    for gold_doc, document in zip(gold_docs, documents, strict=True):
        predicted = list(document.events)
        n_pred += len(predicted)
        n_gold += len(gold_doc["events"])
        used: set[int] = set()
        for gold in gold_doc["events"]:
            options = [
                k for k, e in enumerate(predicted)
                if k not in used and event_matches(matcher, gold, e, gold_doc, document)
            ]  # fmt: skip
            if not options:
                misses.append(f"{gold_doc['id']} {gold['category']} {gold_doc['text'][gold['quote_start'] :][:60]!r}")
                continue
            best = max(
                options, key=lambda k: (predicted[k].date == gold["date"], predicted[k].status == gold["status"])
            )
            used.add(best)
            event = predicted[best]
            tp += 1
            status_ok += event.status == gold["status"]
            date_ok += event.date == gold["date"]
            precision_ok += event.date == gold["date"] and event.time_precision == gold["time_precision"]
        extras += [f"{gold_doc['id']} {e.category} {document.text[e.quote_start:][:60]!r}"
                   for k, e in enumerate(predicted) if k not in used]  # fmt: skip
    return {
        "gold": n_gold, "predicted": n_pred, "matched": tp,
        "precision": tp / n_pred if n_pred else 0.0, "recall": tp / n_gold if n_gold else 0.0,
        "status": status_ok / tp if tp else 0.0, "date": date_ok / tp if tp else 0.0,
        "date+precision": precision_ok / tp if tp else 0.0, "misses": misses, "extras": extras,
    }  # fmt: skip


_WORD = re.compile(r"\w+")


def _tokens(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {m.start() for start, end in spans for m in _WORD.finditer(text, start, end)}


def score_linking(extractor: EventExtractor, gold_docs: list[dict], documents: list[Document]) -> dict[str, float]:
    """Token P/R of location spans per gold verb; "resolved" keeps the verbs whose gold spans are all
    among the geoparser's resolved toponyms, to see the linking apart from recognition and resolution."""
    counts = {"events": [0, 0, 0], "linker": [0, 0, 0], "resolved": [0, 0, 0]}  # true positive, predicted, gold
    for gold_doc, document in zip(gold_docs, documents, strict=True):
        text, mentions = document.text, [t.mention for t in document.toponyms]
        resolved = [(t.mention.start, t.mention.end) for t in document.toponyms if t.place is not None]
        for verb in gold_doc["events"]:
            gold = _tokens(text, [(x["start"], x["end"]) for x in verb["locations"]])
            covering = [e for e in document.events if e.quote_start <= verb["verb_start"] < e.quote_end]
            indices = {i for e in covering for i in (e.location, e.origin, e.destination, *e.areas) if i is not None}
            linked = extractor.locate(document, verb["verb_start"], verb["verb_end"])
            known = all(any(s < x["end"] and x["start"] < e for s, e in resolved) for x in verb["locations"])
            for name, chosen in (("events", indices), ("linker", linked), ("resolved", linked if known else None)):
                if chosen is None:
                    continue
                predicted = _tokens(text, [(mentions[i].start, mentions[i].end) for i in chosen])
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N sentences of event_location.jsonl")
    parser.add_argument("--repeats", type=int, default=5, help="timing repeats on dispatches-dev")
    parser.add_argument("--el-repeats", type=int, default=2, help="timing repeats on event_location.jsonl")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra events")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"events_accuracy: {EVAL} is absent; the evaluation corpora are needed", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.open()
    extractor = EventExtractor.from_model(gazetteer)
    full = Geoparser(gazetteer, event_extractor=extractor)
    plain = Geoparser(gazetteer, recognizer=full.recognizer, resolver=full.resolver)

    dev = [json.loads(line) for line in (EVAL / "dispatches-dev.jsonl").open(encoding="utf-8")]
    items = [(d["id"], d["text"], d.get("published")) for d in dev]
    dev_plain, dev_full, documents = overhead(plain, full, items, args.repeats)
    scores = score_dispatches(Matcher(gazetteer), dev, documents)

    halterman = [json.loads(line) for line in (EVAL / "event_location.jsonl").open(encoding="utf-8")]
    halterman = halterman[: args.limit] if args.limit else halterman
    items = [(d["id"], d["text"], None) for d in halterman]
    el_plain, el_full, documents = overhead(plain, full, items, args.el_repeats)
    linking = score_linking(extractor, halterman, documents)

    rows = [
        ("dispatches-dev", "gold / predicted / matched events",
         f"{scores['gold']} / {scores['predicted']} / {scores['matched']}", ""),
        ("dispatches-dev", "event precision", f"{scores['precision']:.3f}", ">= 0.85"),
        ("dispatches-dev", "event recall", f"{scores['recall']:.3f}", ">= 0.85"),
        ("dispatches-dev", "status accuracy (matched)", f"{scores['status']:.3f}", ">= 0.90"),
        ("dispatches-dev", "date accuracy (matched)", f"{scores['date']:.3f}", ">= 0.90"),
        ("dispatches-dev", "date and time_precision (matched)", f"{scores['date+precision']:.3f}", ""),
        ("event_location", "token P / R, events covering the verb", "{:.3f} / {:.3f}".format(*linking["events"]), ""),
        ("event_location", "token P / R, linker on the gold verb", "{:.3f} / {:.3f}".format(*linking["linker"]),
         f"Halterman {HALTERMAN}"),
        ("event_location", "  the same, gold places all resolved", "{:.3f} / {:.3f}".format(*linking["resolved"]), ""),
        ("dispatches-dev", f"geoparse CPU s without / with events (best of {args.repeats})",
         f"{dev_plain:.2f} / {dev_full:.2f} (+{100 * (dev_full / dev_plain - 1):.0f}%)", "<= +30%"),
        ("event_location", f"geoparse CPU s without / with events ({len(items)} texts, best of {args.el_repeats})",
         f"{el_plain:.1f} / {el_full:.1f} (+{100 * (el_full / el_plain - 1):.0f}%)", "<= +30%"),
    ]  # fmt: skip
    widths = [max(len(str(row[k])) for row in rows) for k in range(4)]
    for row in [("corpus", "measure", "value", "target"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if args.verbose:
        print("\nmissed:", *scores["misses"], sep="\n  ")
        print("extra:", *scores["extras"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
