"""Offline gazetteer: place data, lookup, and a geopy geocoder (``placemap.gazetteer``)."""

from .fold import fold_name
from .geocoder import OfflineGeocoder
from .store import Gazetteer, default_store_path

__all__ = ["Gazetteer", "OfflineGeocoder", "default_store_path", "fold_name"]
