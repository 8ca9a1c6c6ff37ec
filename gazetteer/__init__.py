"""Offline gazetteer: place data, lookup, and a geopy geocoder (``placemap.gazetteer``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .fold import fold_name
from .store import Gazetteer, default_store_path

if TYPE_CHECKING:
    from .geocoder import OfflineGeocoder

__all__ = ["Gazetteer", "OfflineGeocoder", "default_store_path", "fold_name"]


def __getattr__(name: str) -> Any:
    # geopy imports every provider and requests (a quarter of a second); only the
    # geocoder needs it, so the geoparser and the map commands start without it.
    if name == "OfflineGeocoder":
        from .geocoder import OfflineGeocoder

        return OfflineGeocoder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
