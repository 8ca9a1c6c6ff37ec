"""Small geometry helpers shared by the store, the builder, the resolver and the evaluation."""

from __future__ import annotations

from typing import Any

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "unit_vectors"]

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


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km between points given in degrees.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Latitudes and longitudes in degrees; broadcast against each other. NaN gives NaN.

    Returns
    -------
    numpy.ndarray
        Distances in km on a sphere of radius :data:`EARTH_RADIUS_KM`.

    Examples
    --------
    >>> round(float(haversine_km(50.45, 30.52, 49.84, 24.02)))
    468
    """
    import numpy as np

    phi1, lam1, phi2, lam2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    half_chord = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half_chord, 0.0, 1.0)))
