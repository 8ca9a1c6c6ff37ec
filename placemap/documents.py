"""Read the documents of input files: texts to geoparse, or geoparse output to read back.

Inputs: a ``.txt`` file (id = file name), an HTML article page (main text, title and date
extracted with trafilatura), a directory of them, a ``.jsonl`` file of
``{"id", "text", "published"?, "spans"?}`` objects or of geoparsed documents
(``placemap.docformat``), or ``-`` for standard input (see :data:`STDIN_FORMATS`). A bad
JSONL line (not JSON, not UTF-8) is reported with its number and skipped; the caller
decides the exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from placemap.docformat import MAX_TEXT_CHARS, InputDocument, document_from_json, input_from_json, is_geoparsed
from placemap.exc import ConfigurationError, InputFormatError
from placemap.html import HTML_SUFFIXES
from placemap.types import Document

__all__ = ["STDIN_FORMATS", "read_documents", "read_inputs"]

#: How standard input is read: ``jsonl`` (one object per line, a bad line reported and
#: skipped), ``text`` (the whole stream is one document, id ``stdin``) or ``auto`` (JSON
#: lines when every line is a JSON object, text when none is, an error when some are: one
#: line cut short or one line of prose in a stream of objects is not guessed at).
STDIN_FORMATS = ("auto", "jsonl", "text")


def read_inputs(paths: list[str], errors: list[str], *, stdin_format: str = "auto") -> Iterator[InputDocument]:
    """Yield the texts of every input in order, to geoparse; problems are appended to ``errors``.

    A geoparsed JSONL line is read as its text (geoparsed again). ``stdin_format`` says how
    ``-`` is read (see :data:`STDIN_FORMATS`).
    """
    return _read(paths, errors, geoparsed=False, stdin_format=stdin_format)


def read_documents(
    paths: list[str], errors: list[str], *, stdin_format: str = "auto"
) -> Iterator[InputDocument | Document]:
    """Like :func:`read_inputs`, but a geoparsed JSONL line is read back as its ``Document``.

    ``placemap map`` and ``placemap eval`` use this: saved geoparse output is taken as it
    is, and only the texts (``InputDocument``) remain to be geoparsed.
    """
    return _read(paths, errors, geoparsed=True, stdin_format=stdin_format)


def _read(
    paths: list[str], errors: list[str], *, geoparsed: bool, stdin_format: str
) -> Iterator[InputDocument | Document]:
    if stdin_format not in STDIN_FORMATS:
        raise ConfigurationError(f"stdin_format must be one of {', '.join(STDIN_FORMATS)}, got {stdin_format!r}")
    for path in paths:
        if path == "-":
            yield from _read_stdin(sys.stdin.buffer.read(), errors, geoparsed, stdin_format)
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
    except UnicodeDecodeError as err:
        # Old wire archives are often cp1252; decode so, but say so, and where.
        text = data.decode("cp1252", errors="replace")
        line = data.count(b"\n", 0, err.start) + 1
        errors.append(f"{label}: not UTF-8 (first bad byte on line {line}); decoded as cp1252 (check the output)")
    if len(text) > MAX_TEXT_CHARS:
        errors.append(f"{label}: {len(text):,} characters is over the {MAX_TEXT_CHARS:,} limit; skipped")
        return None
    if not text.strip():
        errors.append(f"{label}: empty document; skipped")
        return None
    return text


def _read_stdin(
    data: bytes, errors: list[str], geoparsed: bool, stdin_format: str
) -> Iterator[InputDocument | Document]:
    """Standard input as JSON lines or as one text, decided once for the whole stream."""
    lines = data.splitlines()
    if stdin_format == "auto":
        opening = [number for number, line in enumerate(lines, start=1) if line.strip()]
        objects = [number for number in opening if _is_object(lines[number - 1].removeprefix(_BOM))]
        if objects and len(objects) < len(opening):
            # Neither reading is safe to guess: as text, every object would be one document's
            # words; as JSON lines, the text would be dropped line by line.
            other = next(number for number in opening if number not in set(objects))
            errors.append(
                f"<stdin>: line {objects[0]} is a JSON object but line {other} is not; "
                "say how to read it with --format jsonl (skip lines that are not) or --format text"
            )
            return
        stdin_format = "jsonl" if objects else "text"
    if stdin_format == "jsonl":
        yield from _read_jsonl(lines, "<stdin>", errors, geoparsed)
        return
    text = _decode(data, "<stdin>", errors)
    if text is not None:
        yield InputDocument(id="stdin", text=text)


def _is_object(line: bytes) -> bool:
    """Whether a line holds a JSON object (a bad byte inside it is the line's own problem)."""
    if not line.lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line.decode("utf-8", errors="replace")), dict)
    except json.JSONDecodeError:
        return False


def _read_jsonl(
    lines: Iterable[bytes], label: str, errors: list[str], geoparsed: bool
) -> Iterator[InputDocument | Document]:
    """The documents of JSON lines given as bytes; a bad line is reported and skipped, the rest read."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problems: list[str] = []  # what costs the line less than itself (a "published" that is no date)
        try:
            item = _parse_line(line.removeprefix(_BOM) if number == 1 else line, number, geoparsed, problems)
        except InputFormatError as err:
            errors.append(f"{label}:{number}: {err}")
            continue
        errors.extend(f"{label}:{number}: {problem}" for problem in problems)
        yield item


#: UTF-8's byte order mark, which some editors put at the start of a file.
_BOM = b"\xef\xbb\xbf"


def _parse_line(data: bytes, number: int, geoparsed: bool, problems: list[str]) -> InputDocument | Document:
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
    return input_from_json(obj, number=number, problems=problems)
