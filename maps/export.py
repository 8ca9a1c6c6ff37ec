"""Exports of map layers: GeoJSON (RFC 7946), GeoPackage, CSV.

Every writer takes the ``{name: GeoDataFrame}`` of :func:`placemap.maps.build_layers`,
writes a temporary file beside the target and renames it into place, so a reader never
sees half a file and a failed export leaves the old one. Text is written raw (exports are
data, not pages); every column of the layers is kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from placemap.atomic import atomic_path

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["combined", "write_csv", "write_geojson", "write_gpkg"]


def combined(layers: Mapping[str, gpd.GeoDataFrame], names: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """All features of ``layers`` (or of the ``names`` among them) in one frame, with ``layer``."""
    import geopandas as gpd
    import pandas as pd

    from .layers import empty_layer

    chosen = [layers[n] for n in (names if names is not None else layers) if n in layers and not layers[n].empty]
    if not chosen:
        return empty_layer("")
    return gpd.GeoDataFrame(pd.concat(chosen, ignore_index=True), geometry="geometry", crs="EPSG:4326")


def write_geojson(
    layers: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str], *, names: Iterable[str] | None = None
) -> Path:
    """Write the layers as one RFC 7946 GeoJSON FeatureCollection; the ``layer`` property
    says which layer a feature belongs to.

    GDAL writes it (``RFC7946=YES``): longitude first, no ``crs`` member, counter-clockwise
    exterior rings, at most 7 decimals, UTF-8 text unescaped.
    """
    frame = combined(layers, names)
    with atomic_path(path) as temporary:
        frame.to_file(temporary, driver="GeoJSON", engine="pyogrio", RFC7946="YES", WRITE_NAME="NO")
    return Path(path)


def write_gpkg(
    layers: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str], *, names: Iterable[str] | None = None
) -> Path:
    """Write a GeoPackage with one table per non-empty layer (named after the layer)."""
    chosen = [n for n in (names if names is not None else layers) if n in layers and not layers[n].empty]
    with atomic_path(path) as temporary:
        for name in chosen:
            frame = layers[name]
            kinds = set(frame.geom_type.dropna())
            geometry_type = kinds.pop() if len(kinds) == 1 else "Unknown"
            frame.to_file(
                temporary, driver="GPKG", layer=name, engine="pyogrio", geometry_type=geometry_type, append=False
            )
        if not chosen:
            combined(layers, ()).to_file(temporary, driver="GPKG", layer="events", engine="pyogrio")
    return Path(path)


def write_csv(
    layers: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str], *, names: Iterable[str] | None = None
) -> Path:
    """Write one CSV row per feature: every column, ``lat``/``lon`` of the event's point
    (a line's start, an area's representative point) and the geometry as WKT."""
    import shapely

    frame = combined(layers, names)
    geometry = frame.geometry.to_numpy()
    anchor = shapely.point_on_surface(geometry)
    is_line = shapely.get_type_id(geometry) == shapely.GeometryType.LINESTRING
    anchor[is_line] = shapely.get_point(geometry[is_line], 0)
    table = frame.drop(columns="geometry")
    table["lat"] = table["lat"].where(table["lat"].notna(), shapely.get_y(anchor))
    table["lon"] = table["lon"].where(table["lon"].notna(), shapely.get_x(anchor))
    table["wkt"] = shapely.to_wkt(geometry, rounding_precision=7, trim=True)
    with atomic_path(path) as temporary:
        table.to_csv(temporary, index=False, encoding="utf-8")
    return Path(path)
