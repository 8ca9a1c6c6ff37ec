"""Read geoparser inputs and write its JSON-lines output (the contract in the README).

Inputs: a ``.txt`` file (id = file name), an HTML article page (main text, title and date
extracted with trafilatura), a directory of them, a ``.jsonl`` file of
``{"id", "text", "published"?, "spans"?}`` objects, or ``-`` for standard input (JSONL
when every line is a JSON object, else one plain-text document). A bad JSONL line is
reported with its number and skipped; the caller decides the exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from placemap.exc import InputFormatError
from placemap.types import Document

__all__ = ["MAX_TEXT_CHARS", "InputDocument", "document_to_json", "read_inputs"]

#: Longer texts are refused rather than allowed to exhaust memory in the NER.
MAX_TEXT_CHARS = 20_000_000


@dataclass(frozen=True, slots=True)
class InputDocument:
    id: str
    text: str
    published: str | None = None
    spans: tuple[tuple[int, int], ...] | None = None


def read_inputs(paths: list[str], errors: list[str]) -> Iterator[InputDocument]:
    """Yield the documents of every input in order; problems are appended to ``errors``."""
    for path in paths:
        if path == "-":
            yield from _read_stdin(errors)
            continue
        source = Path(path)
        if source.is_dir():
            for child in sorted(p for p in source.rglob("*") if p.suffix.lower() in (".txt", *_HTML) and p.is_file()):
                yield from _read_file(child, errors, name=str(child.relative_to(source)))
        elif source.suffix.lower() in (".jsonl", ".ndjson"):
            with _open_text(source) as handle:
                yield from _read_jsonl(handle, str(source), errors)
        elif source.is_file():
            yield from _read_file(source, errors, name=source.name)
        else:
            errors.append(f"{path}: no such file or directory")


_HTML = (".html", ".htm", ".xhtml")


def _read_file(path: Path, errors: list[str], *, name: str) -> Iterator[InputDocument]:
    if path.suffix.lower() not in _HTML:
        yield from _read_text_file(path, errors, name=name)
        return
    from .html import read_html  # trafilatura, needed only for article pages

    try:
        yield read_html(path, id=name)
    except (InputFormatError, OSError) as err:
        errors.append(f"{path}: {err}")


def _open_text(path: Path):
    return open(path, encoding="utf-8", errors="strict", newline="")


def _read_text_file(path: Path, errors: list[str], *, name: str) -> Iterator[InputDocument]:
    try:
        data = path.read_bytes()
    except OSError as err:
        errors.append(f"{path}: {err.strerror}")
        return
    text = _decode(data, str(path), errors)
    if text is not None:
        yield InputDocument(id=name, text=text)


def _decode(data: bytes, label: str, errors: list[str]) -> str | None:
    if b"\x00" in data[:8192]:
        errors.append(f"{label}: binary data, not text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Old wire archives are often cp1252; decode so, but say so.
        text = data.decode("cp1252", errors="replace")
        errors.append(f"{label}: not UTF-8; decoded as cp1252 (check the output)")
    if len(text) > MAX_TEXT_CHARS:
        errors.append(f"{label}: {len(text):,} characters is over the {MAX_TEXT_CHARS:,} limit; skipped")
        return None
    return text


def _read_stdin(errors: list[str]) -> Iterator[InputDocument]:
    data = sys.stdin.buffer.read()
    lines = [line for line in data.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith(b"{") for line in lines):
        yield from _read_jsonl(data.decode("utf-8", errors="replace").splitlines(True), "<stdin>", errors)
    else:
        text = _decode(data, "<stdin>", errors)
        if text is not None:
            yield InputDocument(id="stdin", text=text)


def _read_jsonl(lines: Any, label: str, errors: list[str]) -> Iterator[InputDocument]:
    try:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield _parse_json_document(line, number)
            except InputFormatError as err:
                errors.append(f"{label}:{number}: {err}")
    except UnicodeDecodeError as err:
        errors.append(f"{label}: not UTF-8 ({err.reason}); stopped reading")


def _parse_json_document(line: str, number: int) -> InputDocument:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputFormatError(f"not JSON ({err.msg})") from err
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputFormatError('expected an object with a "text" string')
    if len(obj["text"]) > MAX_TEXT_CHARS:
        raise InputFormatError(f"text over the {MAX_TEXT_CHARS:,} character limit")
    spans = obj.get("spans")
    if spans is not None:
        if not isinstance(spans, list) or not all(
            isinstance(s, list | tuple) and len(s) == 2 and all(isinstance(v, int) for v in s) for s in spans
        ):
            raise InputFormatError('"spans" must be a list of [start, end] integer pairs')
        if any(not 0 <= s < e <= len(obj["text"]) for s, e in spans):
            raise InputFormatError('a span in "spans" lies outside the text')
        spans = tuple(sorted((int(s), int(e)) for s, e in spans))
    published = obj.get("published")
    return InputDocument(
        id=str(obj.get("id", f"line-{number}")),
        text=obj["text"],
        published=str(published) if published is not None else None,
        spans=spans,
    )


def document_to_json(document: Document) -> dict[str, Any]:
    """The output object of one document, exactly as the design contract says."""
    toponyms = []
    for toponym in document.toponyms:
        place, mention = toponym.place, toponym.mention
        toponyms.append(
            {
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "geonameid": place.geonameid if place else None,
                "name": place.name if place else None,
                "lat": place.lat if place else None,
                "lon": place.lon if place else None,
                "country_code": (place.country_code or None) if place else None,
                "feature_code": place.feature_code if place else None,
                "score": toponym.score,
            }
        )
    return {"id": document.id, "toponyms": toponyms, "events": [_event_to_json(e) for e in document.events]}


def _event_to_json(event: Any) -> dict[str, Any]:
    return {
        "category": event.category,
        "status": event.status,
        "date": event.date,
        "time_precision": event.time_precision,
        "geo_precision": event.geo_precision,
        "location": event.location,
        "origin": event.origin,
        "destination": event.destination,
        "areas": list(event.areas),
        "lat": event.lat,
        "lon": event.lon,
        "quote_start": event.quote_start,
        "quote_end": event.quote_end,
    }
