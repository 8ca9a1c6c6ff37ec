"""Gold spans resolved as ``placemap geoparse`` resolves given spans, and the test of a guess."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from placemap.evaluate import ACCURACY_KM, haversine_km
from placemap.geo.pipeline import Geoparser
from placemap.types import Place, Toponym


def resolved_gold(geoparser: Geoparser, lines: Iterable[str]) -> Iterator[tuple[dict[str, Any], Toponym]]:
    """Each gold toponym with a point in ``lines`` (JSON lines), with the toponym the geoparser
    gives it when handed the document's gold spans (the rest of the text recognised as context)."""
    for line in lines:
        doc = json.loads(line)
        gold = [t for t in doc["toponyms"] if t.get("lat") is not None]
        if not gold:
            continue
        document = geoparser(doc["text"], spans=[(t["start"], t["end"]) for t in gold])
        by_span = {(t.mention.start, t.mention.end): t for t in document.toponyms}
        for truth in gold:
            yield truth, by_span[(truth["start"], truth["end"])]


def is_near(truth: dict[str, Any], place: Place) -> bool:
    """Whether ``place`` lies within 161 km of the gold point."""
    return bool(haversine_km(truth["lat"], truth["lon"], place.lat, place.lon) <= ACCURACY_KM)
