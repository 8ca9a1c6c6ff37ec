"""The SQLite layout of a gazetteer store, shared by the builder and the reader."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["CREATE_INDEXES", "CREATE_TABLES", "PLACE_COLUMNS", "SCHEMA_VERSION", "read_one", "stored_meta"]

#: Bumped whenever the layout or the meaning of a column changes; a store of another
#: version is rebuilt (embedded default) or refused (user stores).
SCHEMA_VERSION = "6"

PLACE_COLUMNS = (
    "geonameid",
    "name",
    "lat",
    "lon",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1_code",
    "admin1_name",
    "population",
    "source",
)

CREATE_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature_class TEXT NOT NULL DEFAULT '',
    feature_code TEXT NOT NULL DEFAULT '',
    country_code TEXT NOT NULL DEFAULT '',
    admin1_code TEXT NOT NULL DEFAULT '',
    admin1_name TEXT NOT NULL DEFAULT '',
    population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    importance REAL NOT NULL DEFAULT 0
);
-- key: name_key() of a name: fold_name(), or "=" + the name for codes such as "CMB";
-- bonus: added to the place's importance when this name is looked up (its primary name,
-- or a name we or the user assert, beats an alternate).
CREATE TABLE names (
    key TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    bonus REAL NOT NULL,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
-- Adjectives of nationality ("Ukrainian" -> Ukraine), kept apart from names: they are not
-- place names, but a resolver given one as a span should still find its country.
CREATE TABLE demonyms (key TEXT PRIMARY KEY, place_id INTEGER NOT NULL) WITHOUT ROWID;
-- Simplified area geometry (WKB, lon/lat) of countries, admin-1 units and seas.
CREATE TABLE areas (place_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, wkb BLOB NOT NULL);
"""

CREATE_INDEXES = """
CREATE INDEX places_geonameid ON places (geonameid);
CREATE INDEX places_admin ON places (country_code, admin1_code, feature_code);
"""


def stored_meta(path: str | os.PathLike[str], key: str) -> str:
    """The ``meta`` record ``key`` of the store at ``path``, whatever its schema version ("" when
    the store, the key or a readable file is missing): what a rebuild is about to replace."""
    if not Path(path).is_file():
        return ""
    try:
        row = read_one(Path(path), "SELECT value FROM meta WHERE key = ?", (key,))
    except sqlite3.DatabaseError:
        return ""
    return row[0] if row else ""


def read_one(path: Path, query: str, parameters: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The first row of one query on the store at ``path``, opened read-only and closed again
    (here, beside the layout, so that the builder and the reader share it without importing each other)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(query, parameters).fetchone()
    finally:
        connection.close()
