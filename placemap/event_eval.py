"""Events against annotated dispatches: precision, recall, status and date, and precision by score.

A predicted event matches a gold one when the category matches and: the location is within
50 km (to the area's outline when one side is an admin area; countries by country code);
for corridors and refugee flows the origin is within 50 km and the destination in the right
country; for claims the areas are the same places (an admin-1 unit also matches a city
inside it: "Donetsk and Luhansk" resolved as the cities). A gold event with no place at all
needs the same sentence. Absent roles must be absent on both sides. Status and date
accuracy are over matched events. Gold follows ``dispatches-dev.jsonl``'s schema (events
whose ``location``, ``origin``, ``destination`` and ``areas`` index the gold toponyms).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from placemap.gazetteer import Gazetteer
from placemap.types import Document, Event, Place

__all__ = ["Matcher", "event_matches", "haversine", "precision_by_score", "score_events"]

KM = 50.0
_AREA = ("ADM1", "ADM2", "RGN", "PCL")


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
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
    """Whether ``event`` of ``document`` is the gold event ``gold`` of ``gold_doc`` (see the module)."""
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


def score_events(matcher: Matcher, gold_docs: Sequence[dict], documents: Sequence[Document]) -> dict[str, Any]:
    """Counts, precision, recall, status and date accuracy, and the missed and extra events."""
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


def precision_by_score(
    matcher: Matcher, gold_docs: Sequence[dict], documents: Sequence[Document], thresholds: Sequence[float]
) -> dict[str, dict[str, Any]]:
    """Precision and recall of the events whose score reaches each threshold (unscored events count
    at every threshold): what ``--min-score`` would keep."""
    table = {}
    for threshold in thresholds:
        kept = [
            Document(d.id, d.text, d.published, d.source, d.toponyms,
                     tuple(e for e in d.events if e.score is None or e.score >= threshold))
            for d in documents
        ]  # fmt: skip
        scores = score_events(matcher, gold_docs, kept)
        table[f"score >= {threshold:g}"] = {
            k: scores[k] for k in ("gold", "predicted", "matched", "precision", "recall")
        }
    return table
