"""placemap's file format: one document as one JSON object, one object per line.

``placemap geoparse`` writes it; ``placemap map`` and ``placemap eval`` read it back, so a
saved (or hand-corrected) result is mapped and scored without geoparsing it again. The
format is versioned (the ``"placemap"`` key) and documented by ``docs/document.schema.json``.

An object with a ``toponyms`` list is a geoparsed document (:func:`document_from_json`);
an object with only ``id``, ``text`` and optionally ``published``, ``source`` and ``spans``
is an input still to be geoparsed (:func:`input_from_json`).

Examples
--------
>>> from placemap.types import Document
>>> document = Document(id="d1", text="Talks in Antalya.")
>>> document_from_json(document_to_json(document)) == document
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from placemap.exc import InputFormatError
from placemap.types import Candidate, Document, Event, Mention, Place, Toponym

__all__ = [
    "FORMAT_VERSION",
    "MAX_TEXT_CHARS",
    "InputDocument",
    "apply_min_score",
    "document_from_json",
    "document_to_json",
    "input_from_json",
    "is_geoparsed",
    "publication_date",
]

#: The version written in every geoparsed object's ``"placemap"`` key; readers refuse newer ones.
FORMAT_VERSION = 1
#: Longer texts are refused rather than allowed to exhaust memory in the NER.
MAX_TEXT_CHARS = 20_000_000


@dataclass(frozen=True, slots=True)
class InputDocument:
    """A text still to be geoparsed.

    Attributes
    ----------
    id : str
        The document's id (a file name, a JSONL ``id``).
    text : str
        The text.
    published : str or None
        Publication date (``YYYY-MM-DD``), which anchors relative dates.
    spans : tuple of (int, int) or None
        Character spans to resolve instead of recognising names (bring your own NER).
    """

    id: str
    text: str
    published: str | None = None
    spans: tuple[tuple[int, int], ...] | None = None


def is_geoparsed(obj: Mapping[str, Any]) -> bool:
    """Return True when a parsed JSON object is a geoparsed document (it has ``toponyms``)."""
    return "toponyms" in obj


# -- writing ----------------------------------------------------------------------------------
def document_to_json(document: Document) -> dict[str, Any]:
    """Return the JSON object of a geoparsed document.

    Parameters
    ----------
    document : Document
        The document, with its toponyms and events.

    Returns
    -------
    dict
        ``id`` first (resuming a run reads only that far), then the format version, the
        publication date and source, the toponyms, the events and the text. Every key the
        README documented before version 1 is kept with its meaning.
    """
    return {
        "id": document.id,
        "placemap": FORMAT_VERSION,
        "published": document.published,
        "source": document.source,
        "toponyms": [_toponym_to_json(toponym) for toponym in document.toponyms],
        "events": [_event_to_json(event) for event in document.events],
        "text": document.text,
    }


def _place_to_json(place: Place | None) -> dict[str, Any]:
    if place is None:
        return dict.fromkeys(_PLACE_KEYS)
    return {
        "geonameid": place.geonameid,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        # null, not "", was the documented value for a place without a country.
        "country_code": place.country_code or None,
        "feature_code": place.feature_code,
        "feature_class": place.feature_class,
        "admin1_code": place.admin1_code,
        "admin1_name": place.admin1_name,
        "population": place.population,
        "source": place.source,
    }


_PLACE_KEYS = (
    "geonameid",
    "name",
    "lat",
    "lon",
    "country_code",
    "feature_code",
    "feature_class",
    "admin1_code",
    "admin1_name",
    "population",
    "source",
)


def _toponym_to_json(toponym: Toponym) -> dict[str, Any]:
    mention = toponym.mention
    obj = {"start": mention.start, "end": mention.end, "text": mention.text, "label": mention.label}
    obj.update(_place_to_json(toponym.place))
    obj["score"] = toponym.score
    if toponym.alternatives:  # the resolvers keep none today: no empty list on every line
        obj["alternatives"] = [
            {**_place_to_json(c.place), "prior": c.prior, "exact": c.exact} for c in toponym.alternatives
        ]
    return obj


def _event_to_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "doc_id": event.doc_id,
        "category": event.category,
        "status": event.status,
        "date": event.date,
        "time_precision": event.time_precision,
        "geo_precision": event.geo_precision,
        "location": event.location,
        "origin": event.origin,
        "destination": event.destination,
        "areas": list(event.areas),
        "lat": event.lat,
        "lon": event.lon,
        "quote_start": event.quote_start,
        "quote_end": event.quote_end,
        "attribution": event.attribution,
        "count": event.count,
        "score": event.score,
    }


# -- reading ----------------------------------------------------------------------------------
def document_from_json(obj: Mapping[str, Any]) -> Document:
    """Rebuild a geoparsed document from its JSON object.

    Parameters
    ----------
    obj : Mapping
        An object written by :func:`document_to_json` (a hand-edited one is fine: keys
        added after version 1 are optional).

    Returns
    -------
    Document
        The document, validated like any other (offsets must match the text).

    Raises
    ------
    InputFormatError
        When the object is not a geoparsed document of a version this placemap reads, or a
        value is missing, of the wrong type or out of range; the message says which.
    """
    if not isinstance(obj, Mapping):
        raise InputFormatError(f"expected a JSON object, got {type(obj).__name__}")
    version = obj.get("placemap", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputFormatError(f"format version {version!r} is newer than this placemap reads ({FORMAT_VERSION})")
    text = obj.get("text")
    if not isinstance(text, str):
        # Output of placemap before format 1 carried no text: offsets cannot be checked without it.
        raise InputFormatError('a geoparsed document needs its "text" (geoparse it again with this placemap)')
    try:
        doc_id = _string(obj, "id")
        toponyms = tuple(_toponym_from_json(item) for item in _list(obj, "toponyms"))
        events = tuple(_event_from_json(item, doc_id) for item in _list(obj, "events", required=False))
        return Document(
            id=doc_id,
            text=text,
            published=_optional_string(obj, "published"),
            source=_optional_string(obj, "source"),
            toponyms=toponyms,
            events=events,
        )
    except InputFormatError:
        raise
    except (ValueError, TypeError) as err:
        raise InputFormatError(f"document {obj.get('id')!r}: {err}") from err


def _toponym_from_json(obj: Any) -> Toponym:
    _require_object(obj, "toponym")
    mention = Mention(_integer(obj, "start"), _integer(obj, "end"), _string(obj, "text"), _string_or(obj, "label", ""))
    alternatives = tuple(_candidate_from_json(item) for item in _list(obj, "alternatives", required=False))
    place = _place_from_json(obj) if obj.get("lat") is not None else None
    return Toponym(mention, place, _number(obj, "score"), alternatives)


def _candidate_from_json(obj: Any) -> Candidate:
    _require_object(obj, "alternative")
    return Candidate(_place_from_json(obj), _number(obj, "prior"), bool(obj.get("exact", False)))


def _place_from_json(obj: Mapping[str, Any]) -> Place:
    geonameid = obj.get("geonameid")
    if geonameid is not None and (not isinstance(geonameid, int) or isinstance(geonameid, bool)):
        raise InputFormatError(f'"geonameid" must be an integer or null, got {geonameid!r}')
    return Place(
        geonameid=geonameid,
        name=_string(obj, "name"),
        lat=_number(obj, "lat"),
        lon=_number(obj, "lon"),
        feature_class=_string_or(obj, "feature_class", ""),
        feature_code=_string_or(obj, "feature_code", ""),
        country_code=_string_or(obj, "country_code", ""),
        admin1_code=_string_or(obj, "admin1_code", ""),
        admin1_name=_string_or(obj, "admin1_name", ""),
        population=_optional_integer(obj, "population") or 0,
        source=_string_or(obj, "source", "geonames"),
    )


def _event_from_json(obj: Any, doc_id: str) -> Event:
    _require_object(obj, "event")
    lat, lon = obj.get("lat"), obj.get("lon")
    return Event(
        id=_string_or(obj, "id", ""),
        doc_id=_string_or(obj, "doc_id", doc_id),
        category=_string(obj, "category"),
        status=_string(obj, "status"),
        date=_optional_string(obj, "date"),
        time_precision=_integer(obj, "time_precision"),
        geo_precision=_integer(obj, "geo_precision"),
        quote_start=_integer(obj, "quote_start"),
        quote_end=_integer(obj, "quote_end"),
        location=_optional_integer(obj, "location"),
        origin=_optional_integer(obj, "origin"),
        destination=_optional_integer(obj, "destination"),
        areas=tuple(_index(value, "areas") for value in _list(obj, "areas", required=False)),
        attribution=_optional_string(obj, "attribution"),
        lat=_number(obj, "lat") if lat is not None else None,
        lon=_number(obj, "lon") if lon is not None else None,
        count=_optional_integer(obj, "count"),
        score=_number(obj, "score") if obj.get("score") is not None else None,
    )


def input_from_json(obj: Any, *, number: int, problems: list[str] | None = None) -> InputDocument:
    """Read an input object ``{"id", "text", "published"?, "spans"?}`` (line ``number`` of its file).

    A ``published`` that is no date (:func:`publication_date`) costs the document its date, not the
    document: it is read without one, and the reason appended to ``problems``. Without
    ``problems`` to report it in, it is an ``InputFormatError``.

    Raises
    ------
    InputFormatError
        When it has no text (or only spaces), its text is over :data:`MAX_TEXT_CHARS`, or its spans are not
        ``[start, end]`` pairs inside the text (or its ``published`` is no date and ``problems`` is None).
    """
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputFormatError('expected an object with a "text" string')
    if len(obj["text"]) > MAX_TEXT_CHARS:
        raise InputFormatError(f"text over the {MAX_TEXT_CHARS:,} character limit")
    if not obj["text"].strip():
        raise InputFormatError("empty text")
    spans = obj.get("spans")
    if spans is not None:
        if not isinstance(spans, list) or not all(
            isinstance(s, list | tuple) and len(s) == 2 and all(isinstance(v, int) for v in s) for s in spans
        ):
            raise InputFormatError('"spans" must be a list of [start, end] integer pairs')
        if any(not 0 <= s < e <= len(obj["text"]) for s, e in spans):
            raise InputFormatError('a span in "spans" lies outside the text')
        spans = tuple(sorted((int(s), int(e)) for s, e in spans))
    published = obj.get("published")
    if published is not None:
        try:
            published = publication_date(published)
        except InputFormatError as err:
            if problems is None:
                raise
            problems.append(f"{err}; geoparsed without a date")
            published = None
    return InputDocument(id=str(obj.get("id", f"line-{number}")), text=obj["text"], published=published, spans=spans)


#: A day as ISO 8601 writes it, the only way the date of a JSON line is read: "07/03/2022" is
#: the 7th of March in Kyiv and the 3rd of July in Washington.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def publication_date(value: Any) -> str:
    """The ``published`` value of an input as placemap reads it: a real day ``YYYY-MM-DD``,
    optionally with an ISO 8601 time after it (``2022-03-07T09:30:00Z``); the date the text's
    "on Sunday" and "last week" count from.

    Raises
    ------
    InputFormatError
        ``value`` is not a string, or not such a day ("2022-13-45", "=1+2", "07/03/2022").

    Examples
    --------
    >>> publication_date(" 2022-03-07T09:30:00Z")
    '2022-03-07T09:30:00Z'
    >>> publication_date("2022-02-30")
    Traceback (most recent call last):
    ...
    placemap.exc.InputFormatError: "published" "2022-02-30" is not a day written YYYY-MM-DD
    """
    text = value.strip() if isinstance(value, str) else None
    if text and _ISO_DAY.fullmatch(text[:10]):
        try:
            datetime.fromisoformat(text)
            return text
        except ValueError:
            pass
    shown = json.dumps(value, ensure_ascii=False, default=str)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise InputFormatError(f'"published" {shown} is not a day written YYYY-MM-DD')


# -- a threshold on saved decisions ------------------------------------------------------------
def apply_min_score(document: Document, min_score: float) -> Document:
    """Leave unplaced the toponyms of a saved document whose score is below ``min_score``.

    This is what ``--min-score`` does to geoparse output read back: the resolver's other
    decisions stay those made when it was written. An event on a place so unplaced is
    dropped, as the extractor makes none on an unplaced name; so is an event whose own score
    is below ``min_score``.

    Parameters
    ----------
    document : Document
        A geoparsed document.
    min_score : float
        The threshold in [0, 1]; 0 returns the document unchanged.

    Returns
    -------
    Document
        The document with those toponyms' ``place`` set to None (scores kept).
    """
    if min_score <= 0:
        return document
    below = {i for i, t in enumerate(document.toponyms) if t.place is not None and t.score < min_score}
    unsure = any(event.score is not None and event.score < min_score for event in document.events)
    if not below and not unsure:
        return document
    toponyms = tuple(
        Toponym(t.mention, None, t.score, t.alternatives) if i in below else t for i, t in enumerate(document.toponyms)
    )
    events = tuple(
        event
        for event in document.events
        if not below.intersection(_roles(event)) and (event.score is None or event.score >= min_score)
    )
    return Document(document.id, document.text, document.published, document.source, toponyms, events)


def _roles(event: Event) -> set[int]:
    return {i for i in (event.location, event.origin, event.destination, *event.areas) if i is not None}


# -- typed access with one-line errors ----------------------------------------------------------
def _require_object(obj: Any, what: str) -> None:
    if not isinstance(obj, Mapping):
        raise InputFormatError(f"a {what} must be a JSON object, got {type(obj).__name__}")


def _list(obj: Mapping[str, Any], key: str, *, required: bool = True) -> list[Any]:
    value = obj.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise InputFormatError(f'"{key}" must be a list, got {type(value).__name__}')
    return value


def _string(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise InputFormatError(f'"{key}" must be a string, got {value!r}')
    return value


def _optional_string(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return None if value is None else _string(obj, key)


def _string_or(obj: Mapping[str, Any], key: str, default: str) -> str:
    """The string at ``key``; ``default`` when it is missing or null (a key added in a later version)."""
    value = _optional_string(obj, key)
    return default if value is None else value


def _integer(obj: Mapping[str, Any], key: str) -> int:
    return _index(obj.get(key), key)


def _optional_integer(obj: Mapping[str, Any], key: str) -> int | None:
    value = obj.get(key)
    return None if value is None else _index(value, key)


def _index(value: Any, key: str) -> int:
    # bool is an int in Python, never in this format.
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputFormatError(f'"{key}" must be an integer, got {value!r}')
    return value


def _number(obj: Mapping[str, Any], key: str) -> float:
    value = obj.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InputFormatError(f'"{key}" must be a number, got {value!r}')
    return float(value)
