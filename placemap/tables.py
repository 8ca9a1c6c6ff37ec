"""Events from tables: CSV or JSON lines with place-name columns, and ACLED exports.

Columns (case-insensitive): ``date, category, status, location, origin, destination,
country, admin1, notes, source``; an ACLED export's ``event_date, event_type,
sub_event_type, location, admin1, country, latitude, longitude, notes, source`` works as
it is. Names are resolved with the country and admin-1 hints. Every row becomes one
``Document`` holding its toponyms and one ``Event``; a row that cannot become one is
reported with its row number and the reason, never dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from placemap.gazetteer import Gazetteer
from placemap.types import CATEGORIES, STATUSES, Document, Event, Mention, Place, Toponym

__all__ = ["TableProblem", "events_from_table", "looks_like_event_table"]

#: ACLED (event_type, sub_event_type) → our category; sub-type first, then type.
ACLED_CATEGORIES = {
    "shelling/artillery/missile attack": "shelling",
    "air/drone strike": "shelling",
    "remote explosive/landmine/ied": "shelling",
    "agreement": "talks",
    "armed clash": "military",
    "government regains territory": "military",
    "non-state actor overtakes territory": "military",
    "headquarters or base established": "military",
    "non-violent transfer of territory": "claim",
    "battles": "military",
    "explosions/remote violence": "shelling",
}
_TABLE_COLUMNS = {"location", "origin", "destination"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class TableProblem:
    """A row that did not become an event, and why."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


def looks_like_event_table(path: str | Path) -> bool:
    """True for a CSV, or a JSONL whose first object has place columns but no ``text``."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return True
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return False
                keys = {str(k).lower() for k in first} if isinstance(first, dict) else set()
                return "text" not in keys and bool(keys & _TABLE_COLUMNS)
    return False


def events_from_table(path: str | Path, gazetteer: Gazetteer, problems: list[TableProblem]) -> Iterator[Document]:
    """One Document per usable row of the table at ``path``; problems are appended.

    A row that is not UTF-8, not JSON (or not an object), too large for a CSV field or not
    an event costs that row only.
    """
    for number, row in _rows(Path(path), problems):
        try:
            yield _row_to_document(row, number, gazetteer, Path(path).name)
        except ValueError as err:
            problems.append(TableProblem(number, str(err)))


def _rows(path: Path, problems: list[TableProblem]) -> Iterator[tuple[int, dict[str, str]]]:
    if path.suffix.lower() == ".csv":
        yield from _csv_rows(path, problems)
        return
    with open(path, "rb") as handle:
        for number, data in enumerate(handle, start=1):
            if not data.strip():
                continue
            try:
                obj = json.loads(data.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError as err:
                problems.append(TableProblem(number, f"not UTF-8 (byte {err.start + 1}: {err.reason})"))
                continue
            except json.JSONDecodeError as err:
                problems.append(TableProblem(number, f"not JSON ({err.msg})"))
                continue
            if not isinstance(obj, dict):
                problems.append(TableProblem(number, f"not a JSON object but {type(obj).__name__}"))
                continue
            yield number, {str(k).lower(): "" if v is None else str(v).strip() for k, v in obj.items()}


def _csv_rows(path: Path, problems: list[TableProblem]) -> Iterator[tuple[int, dict[str, str]]]:
    # Bytes that are not UTF-8 become lone surrogates, so the row holding them, and only
    # that row, is reported.
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.DictReader(handle)
        while True:
            before = reader.reader.line_num  # the DictReader's own count stops at an error
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:  # a field over the csv module's limit, a NUL byte
                problems.append(TableProblem(before + 1, f"not a CSV row ({err})"))
                if reader.reader.line_num == before:
                    return
                continue
            cells = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if any(_SURROGATE.search(value) for value in (*cells, *cells.values())):
                problems.append(TableProblem(reader.line_num, "not UTF-8"))
                continue
            yield reader.line_num, cells


#: The lone surrogates ``surrogateescape`` makes of bytes that are not UTF-8.
_SURROGATE = re.compile("[\udc80-\udcff]")


def _row_to_document(row: dict[str, str], number: int, gazetteer: Gazetteer, source: str) -> Document:
    category = _category(row)
    status = (row.get("status") or "reported").lower()
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    country = gazetteer.country_code_for(row["country"]) if row.get("country") else None
    if row.get("country") and country is None and len(row["country"]) == 2:
        country = row["country"].upper()
    text, toponyms, roles = "", [], {}
    for role in ("location", "origin", "destination"):
        name = row.get(role, "")
        if not name:
            continue
        place = _place_for(row, role, name, country, gazetteer)
        start = len(text) + (2 if text else 0)
        text = f"{text}; {name}" if text else name
        toponyms.append(Toponym(Mention(start, start + len(name), name, "GPE"), place, 1.0))
        roles[role] = len(toponyms) - 1
    if not toponyms:
        raise ValueError("no location, origin or destination")
    # The notes are the row's words about the event: they are its quote, after the names.
    notes = row.get("notes") or ""
    quote_start, quote_end = 0, len(text)
    if notes:
        quote_start = len(text) + 1
        text = f"{text}\n{notes}"
        quote_end = len(text)
    anchor = toponyms[roles.get("location", roles.get("origin", 0))].place
    doc_id = f"{source}:{number}"
    event = Event(
        id=hashlib.sha1(f"{doc_id}|{category}".encode()).hexdigest()[:16],
        doc_id=doc_id,
        category=category,
        status=status,
        date=_date(row.get("date") or row.get("event_date") or ""),
        time_precision=int(row.get("time_precision") or 1),
        geo_precision=int(row.get("geo_precision") or 1),
        quote_start=quote_start,
        quote_end=quote_end,
        location=roles.get("location"),
        origin=roles.get("origin"),
        destination=roles.get("destination"),
        lat=anchor.lat,
        lon=anchor.lon,
    )
    return Document(
        id=doc_id,
        text=text,
        published=event.date,
        source=row.get("source") or None,
        toponyms=tuple(toponyms),
        events=(event,),
    )


def _date(value: str) -> str | None:
    """An ISO day from ``2022-03-07``, ACLED's ``07 March 2022`` and the like; None when empty."""
    if not value:
        return None
    if _ISO_DAY.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError as err:
            raise ValueError(f"no such day {value!r}") from err
    from dateutil import parser

    try:
        return parser.parse(value, dayfirst=True).date().isoformat()
    except (ValueError, OverflowError) as err:
        raise ValueError(f"unreadable date {value!r}") from err


def _category(row: dict[str, str]) -> str:
    if row.get("category"):
        category = row["category"].lower()
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r} (one of {', '.join(CATEGORIES)})")
        return category
    for key in ("sub_event_type", "event_type"):
        category = ACLED_CATEGORIES.get((row.get(key) or "").lower())
        if category == "talks" and "ceasefire" in (row.get("notes") or "").lower():
            return "ceasefire"
        if category:
            return category
    raise ValueError(f"no category for event type {row.get('event_type')!r} / {row.get('sub_event_type')!r}")


def _place_for(row: dict[str, str], role: str, name: str, country: str | None, gazetteer: Gazetteer) -> Place:
    if role == "location" and row.get("latitude") and row.get("longitude"):
        try:
            return Place(
                None,
                name,
                float(row["latitude"]),
                float(row["longitude"]),
                country_code=country or "",
                admin1_name=row.get("admin1", ""),
                source="user",
            )
        except ValueError as err:
            raise ValueError(f"bad latitude/longitude ({err})") from err
    hint = country if role != "destination" else None  # a flow's destination is often abroad
    # A name not found in the row's country is reported, not placed in another country.
    candidates = gazetteer.lookup(name, country=hint, limit=20) if hint else gazetteer.lookup(name, limit=20)
    admin1 = (row.get("admin1") or "").lower()
    if admin1:
        candidates = [c for c in candidates if c.place.admin1_name.lower() == admin1] or candidates
    if not candidates:
        where = f" in {hint}" if hint else ""
        raise ValueError(f"{role} {name!r} is not in the gazetteer{where}")
    return candidates[0].place
