"""Small geometry helpers shared by the store, the builder, the resolver and the evaluation."""

from __future__ import annotations

from typing import Any

__all__ = ["EARTH_RADIUS_KM", "unit_vectors"]

#: Mean earth radius (IUGG), in km.
EARTH_RADIUS_KM = 6371.0088


def unit_vectors(lat: Any, lon: Any) -> Any:
    """Points on the unit sphere for latitudes and longitudes in degrees (numpy, vectorised).

    Euclidean distance between these vectors orders points as great-circle distance does,
    so a k-d tree over them answers nearest-place questions anywhere on Earth.
    """
    import numpy as np

    lat_r, lon_r = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)], axis=-1)
