"""Plain value types passed between the stages of placemap.

Every type is a frozen, slotted dataclass validated on construction, in the spirit of
geopy's ``Point``: a value that exists is a valid value. Character offsets are
end-exclusive code-point offsets into the document text, like spaCy's
``Span.start_char`` / ``Span.end_char``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ACLED_TYPES",
    "CATEGORIES",
    "STATUSES",
    "Candidate",
    "Document",
    "Event",
    "Mention",
    "Place",
    "Toponym",
    "lonlat",
]


def _check_coordinates(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"coordinates must be finite, got lat={lat!r} lon={lon!r}")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat!r} is outside [-90, 90]")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {lon!r} is outside [-180, 180]")


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry.

    ``geonameid`` is ``None`` for places that exist only in the curated supplement or a
    user's own CSV. ``source`` is one of ``geonames``, ``naturalearth``, ``curated``, ``user``.
    """

    geonameid: int | None
    name: str
    lat: float
    lon: float
    feature_class: str = ""
    feature_code: str = ""
    country_code: str = ""
    admin1_code: str = ""
    admin1_name: str = ""
    population: int = 0
    source: str = "geonames"

    def __post_init__(self) -> None:
        _check_coordinates(self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": lonlat(self.lat, self.lon)}

    @property
    def is_country(self) -> bool:
        return self.feature_class == "A" and self.feature_code.startswith("PCL")

    @property
    def is_admin1(self) -> bool:
        return self.feature_code == "ADM1"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may refer to, with the gazetteer's prior for it.

    ``prior`` is in [0, 1] and sums to 1 over one lookup's candidates; ``exact`` says
    whether the query matched the place's primary name rather than an alternate.
    """

    place: Place
    prior: float
    exact: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names a place: ``text == document[start:end]``."""

    start: int
    end: int
    text: str
    label: str = "GPE"

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError("mention text does not match its offsets")


@dataclass(frozen=True, slots=True)
class Toponym:
    """A mention resolved to a place (``place is None`` means no confident match)."""

    mention: Mention
    place: Place | None
    score: float
    alternatives: tuple[Candidate, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score!r} is outside [0, 1]")


#: Event categories and statuses (see the README's "Events" section).
CATEGORIES = ("talks", "shelling", "corridor", "claim", "refugees", "ceasefire", "military")
STATUSES = ("reported", "proposed", "agreed", "rejected", "failed", "demanded")
#: Category → ACLED (event_type, sub_event_type), so exports sit beside ACLED's data.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "talks": ("Strategic developments", "Agreement"),
    "ceasefire": ("Strategic developments", "Agreement"),
    "corridor": ("Strategic developments", "Agreement"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "refugees": ("Strategic developments", "Other"),
    "claim": ("Strategic developments", "Other"),
    "military": ("Strategic developments", "Other"),
}


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at, from or to places, traced to the sentence that says so.

    ``location``, ``origin``, ``destination`` and ``areas`` index the document's toponyms.
    ``lat``/``lon`` is the event's point (the location, or a corridor's origin); ``date`` is
    ISO ``YYYY-MM-DD`` with ``time_precision`` 1 day, 2 week or range, 3 month;
    ``geo_precision`` 1 named place, 2 near or part of it, 3 region. ``score`` is the
    extractor's calibrated confidence in [0, 1] that the event is right (category and
    place), or ``None`` when nothing scored it (an event read from a table).
    """

    id: str
    doc_id: str
    category: str
    status: str
    date: str | None
    time_precision: int
    geo_precision: int
    quote_start: int
    quote_end: int
    location: int | None = None
    origin: int | None = None
    destination: int | None = None
    areas: tuple[int, ...] = ()
    attribution: str | None = None
    lat: float | None = None
    lon: float | None = None
    count: int | None = None
    score: float | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown event category {self.category!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown event status {self.status!r}")
        if not 0 <= self.quote_start <= self.quote_end:
            raise ValueError(f"bad quote span [{self.quote_start}, {self.quote_end})")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is not None:
            _check_coordinates(self.lat, self.lon)
        if self.score is not None and not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score!r} is outside [0, 1]")


@dataclass(frozen=True, slots=True)
class Document:
    """A text with its resolved toponyms and events."""

    id: str
    text: str
    published: str | None = None
    source: str | None = None
    toponyms: tuple[Toponym, ...] = ()
    events: tuple[Event, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for toponym in self.toponyms:
            mention = toponym.mention
            if mention.end > len(self.text) or self.text[mention.start : mention.end] != mention.text:
                raise ValueError(f"toponym {mention.text!r} does not match the text at its offsets")


def lonlat(lat: float, lon: float) -> tuple[float, float]:
    """Return (lon, lat), the axis order GeoJSON and shapely expect."""
    return (lon, lat)
