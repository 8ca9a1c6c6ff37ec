"""``OfflineGeocoder``: the gazetteer as a geopy provider.

Works wherever geopy geocoders do, e.g. ``geopandas.tools.geocode(names,
provider=OfflineGeocoder)``, with no network: ``_call_geocoder`` is never used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from placemap.types import Candidate

from .store import Gazetteer

__all__ = ["OfflineGeocoder"]


class OfflineGeocoder(Geocoder):
    """Geocode place names against a local placemap gazetteer.

    gazetteer (Gazetteer | str | None): an open store, a path, or None for the default.
    """

    def __init__(self, gazetteer: Gazetteer | str | None = None, **kwargs: Any) -> None:
        super().__init__(scheme="https", **kwargs)
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        limit: int = 10,
        timeout: Any = None,
    ) -> Location | list[Location] | None:
        """Geocode ``query``; ``None`` when nothing matches (never an empty list)."""
        candidates = self.gazetteer.lookup(query, country=country_codes, limit=1 if exactly_one else limit)
        locations = [_location(candidate) for candidate in candidates]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None) -> Location | list[Location] | None:
        """The nearest populated place to ``query`` (a ``(lat, lon)`` pair, "lat, lon" or a Point)."""
        point = Point(query)
        place = self.gazetteer.nearest(point.latitude, point.longitude)
        if place is None:
            return None
        location = _location(Candidate(place, 1.0, True))
        return location if exactly_one else [location]


def _location(candidate: Candidate) -> Location:
    place = candidate.place
    raw = dataclasses.asdict(place)
    raw["score"] = candidate.prior
    address = ", ".join(part for part in (place.name, place.admin1_name, place.country_code) if part)
    return Location(address, (place.lat, place.lon), raw)
