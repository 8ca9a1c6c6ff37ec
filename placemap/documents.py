"""Read the documents of input files: texts to geoparse, or geoparse output to read back.

Inputs: a ``.txt`` file (id = file name), an HTML article page (main text, title and date
extracted with trafilatura), a directory of them, a ``.jsonl`` file of
``{"id", "text", "published"?, "spans"?}`` objects or of geoparsed documents
(``placemap.docformat``), or ``-`` for standard input (JSONL when every line is a JSON
object, else one plain-text document). A bad JSONL line is reported with its number and
skipped; the caller decides the exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from placemap.docformat import MAX_TEXT_CHARS, InputDocument, document_from_json, input_from_json, is_geoparsed
from placemap.exc import InputFormatError
from placemap.html import HTML_SUFFIXES
from placemap.types import Document

__all__ = ["read_documents", "read_inputs"]


def read_inputs(paths: list[str], errors: list[str]) -> Iterator[InputDocument]:
    """Yield the texts of every input in order, to geoparse; problems are appended to ``errors``.

    A geoparsed JSONL line is read as its text (geoparsed again).
    """
    return _read(paths, errors, geoparsed=False)


def read_documents(paths: list[str], errors: list[str]) -> Iterator[InputDocument | Document]:
    """Like :func:`read_inputs`, but a geoparsed JSONL line is read back as its ``Document``.

    ``placemap map`` and ``placemap eval`` use this: saved geoparse output is taken as it
    is, and only the texts (``InputDocument``) remain to be geoparsed.
    """
    return _read(paths, errors, geoparsed=True)


def _read(paths: list[str], errors: list[str], *, geoparsed: bool) -> Iterator[InputDocument | Document]:
    for path in paths:
        if path == "-":
            yield from _read_stdin(errors, geoparsed)
            continue
        source = Path(path)
        if source.is_dir():
            for child in sorted(
                p for p in source.rglob("*") if p.suffix.lower() in (".txt", *HTML_SUFFIXES) and p.is_file()
            ):
                yield from _read_file(child, errors, name=str(child.relative_to(source)))
        elif source.suffix.lower() in (".jsonl", ".ndjson"):
            # Bytes, decoded line by line: a bad byte costs its own line only.
            with open(source, "rb") as handle:
                yield from _read_jsonl(handle, str(source), errors, geoparsed)
        elif source.is_file():
            yield from _read_file(source, errors, name=source.name)
        else:
            errors.append(f"{path}: no such file or directory")


def _read_file(path: Path, errors: list[str], *, name: str) -> Iterator[InputDocument]:
    if path.suffix.lower() not in HTML_SUFFIXES:
        yield from _read_text_file(path, errors, name=name)
        return
    from placemap.html import read_html  # trafilatura, needed only for article pages

    try:
        yield read_html(path, id=name)
    except (InputFormatError, OSError) as err:
        errors.append(f"{path}: {err}")


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


def _read_stdin(errors: list[str], geoparsed: bool) -> Iterator[InputDocument | Document]:
    data = sys.stdin.buffer.read()
    lines = [line for line in data.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith(b"{") for line in lines):
        yield from _read_jsonl(data.splitlines(), "<stdin>", errors, geoparsed)
    else:
        text = _decode(data, "<stdin>", errors)
        if text is not None:
            yield InputDocument(id="stdin", text=text)


def _read_jsonl(
    lines: Iterable[bytes], label: str, errors: list[str], geoparsed: bool
) -> Iterator[InputDocument | Document]:
    """The documents of JSON lines given as bytes; a bad line is reported and skipped, the rest read."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _parse_line(line.removeprefix(_BOM) if number == 1 else line, number, geoparsed)
        except InputFormatError as err:
            errors.append(f"{label}:{number}: {err}")


#: UTF-8's byte order mark, which some editors put at the start of a file.
_BOM = b"\xef\xbb\xbf"


def _parse_line(data: bytes, number: int, geoparsed: bool) -> InputDocument | Document:
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFormatError(f"not UTF-8 (byte {err.start + 1}: {err.reason}); line skipped") from err
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputFormatError(f"not JSON ({err.msg})") from err
    if geoparsed and isinstance(obj, dict) and is_geoparsed(obj):
        return document_from_json(obj)
    return input_from_json(obj, number=number)
