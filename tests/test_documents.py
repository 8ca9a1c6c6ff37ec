"""Input readers: every good record comes out, every bad one is reported with its place."""

from __future__ import annotations

import io
import json
import sys

import pytest

from placemap.docformat import InputDocument
from placemap.documents import read_documents, read_inputs
from placemap.exc import ConfigurationError


def jsonl(*objects: object) -> bytes:
    return b"".join(json.dumps(obj).encode() + b"\n" for obj in objects)


def test_a_bad_byte_costs_its_line_only(tmp_path):
    lines = [json.dumps({"id": str(n), "text": f"Text {n} é"}).encode() for n in range(1, 401)]
    lines[300] = lines[300].replace(b"Text", b"Te\xffxt")  # line 301
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    errors: list[str] = []
    ids = [item.id for item in read_inputs([str(source)], errors)]
    assert ids == [str(n) for n in range(1, 401) if n != 301]
    assert len(errors) == 1 and errors[0].startswith(f"{source}:301: not UTF-8")


BAD_DATES = ["2022-13-45", "=1+2", 12345, [1, 2], "07/03/2022", "2022-02-30", "", {"day": 7}, "2022-03-07 noon"]


def test_a_published_that_is_no_date_costs_the_date_not_the_document(tmp_path):
    good = [None, "2022-03-07", "2022-03-07T09:30:00Z"]
    objects = [{"id": str(n), "text": "Shelling hit Kharkiv.", "published": value} for n, value in enumerate(good)]
    objects += [{"id": f"bad{n}", "text": "Shelling hit Kharkiv.", "published": v} for n, v in enumerate(BAD_DATES)]
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(*objects))
    errors: list[str] = []
    items = list(read_inputs([str(source)], errors))
    assert [item.id for item in items] == [obj["id"] for obj in objects]  # every document is still geoparsed
    assert [item.published for item in items] == [*good, *[None] * len(BAD_DATES)]
    assert [error.split(":")[1] for error in errors] == [str(n) for n in range(4, 4 + len(BAD_DATES))]
    assert all(error.startswith(f"{source}:") and "\n" not in error for error in errors)
    assert errors[0].endswith(': "published" "2022-13-45" is not a day written YYYY-MM-DD; geoparsed without a date')
    assert '"published" 12345 is not a day' in errors[2] and '"published" [1, 2] is not a day' in errors[3]


def test_a_byte_order_mark_is_not_a_bad_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + jsonl({"id": "a", "text": "x"}, {"id": "b", "text": "y"}))
    errors: list[str] = []
    assert [item.id for item in read_documents([str(source)], errors)] == ["a", "b"] and errors == []


def test_a_line_separator_inside_a_string_does_not_split_the_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes('{"id": "a", "text": "one\u2028two\x85three"}\n'.encode())
    errors: list[str] = []
    assert list(read_inputs([str(source)], errors)) == [InputDocument("a", "one\u2028two\x85three")]
    assert errors == []


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def read_stdin(monkeypatch, data: bytes, stdin_format: str = "auto") -> tuple[list, list[str]]:
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    errors: list[str] = []
    return list(read_inputs(["-"], errors, stdin_format=stdin_format)), errors


MIXED = jsonl({"id": "a", "text": "Kyiv"}) + b'{"id": "cut short\n' + jsonl({"id": "b", "text": "Odesa"})


def test_stdin_that_mixes_json_lines_and_text_is_an_error_in_auto(monkeypatch):
    items, errors = read_stdin(monkeypatch, MIXED)
    assert items == [] and len(errors) == 1
    assert errors[0].startswith("<stdin>: line 1 is a JSON object but line 2 is not; say how to read it")


def test_stdin_format_jsonl_skips_the_lines_that_are_not(monkeypatch):
    items, errors = read_stdin(monkeypatch, MIXED, "jsonl")
    assert [item.id for item in items] == ["a", "b"] and [e.split(" (")[0] for e in errors] == ["<stdin>:2: not JSON"]


def test_stdin_format_text_reads_json_lines_as_one_text(monkeypatch):
    items, errors = read_stdin(monkeypatch, jsonl({"id": "a", "text": "Kyiv"}), "text")
    assert items == [InputDocument("stdin", '{"id": "a", "text": "Kyiv"}\n')] and errors == []


def test_stdin_auto_reads_json_lines_and_text(monkeypatch):
    items, errors = read_stdin(monkeypatch, b"\n" + jsonl({"id": "a", "text": "Kyiv"}, {"id": "b", "text": "x"}))
    assert [item.id for item in items] == ["a", "b"] and errors == []
    items, errors = read_stdin(monkeypatch, b"Talks in Kyiv.\n{braces} later\n")
    assert items == [InputDocument("stdin", "Talks in Kyiv.\n{braces} later\n")] and errors == []


def test_bad_bytes_on_stdin_are_reported_not_replaced_silently(monkeypatch):
    items, errors = read_stdin(monkeypatch, jsonl({"id": "a", "text": "Kyiv"}) + b'{"id": "b", "text": "\xff"}\n')
    assert [item.id for item in items] == ["a"]
    assert errors == ["<stdin>:2: not UTF-8 (byte 22: invalid start byte); line skipped"]
    items, errors = read_stdin(monkeypatch, b"Talks in Kyiv.\nCaf\xe9 hit.\n")
    assert items == [InputDocument("stdin", "Talks in Kyiv.\nCafé hit.\n")]
    assert errors == ["<stdin>: not UTF-8 (first bad byte on line 2); decoded as cp1252 (check the output)"]


def test_an_unknown_stdin_format_is_refused():
    with pytest.raises(ConfigurationError):
        list(read_inputs(["-"], [], stdin_format="xml"))


def test_an_empty_document_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "in.jsonl").write_text('{"id": "a", "text": ""}\n{"id": "b", "text": "Kyiv"}\n', encoding="utf-8")
    errors: list[str] = []
    items = list(read_inputs([str(tmp_path / "empty.txt"), str(tmp_path / "in.jsonl")], errors))
    assert [item.id for item in items] == ["b"]
    assert errors == [f"{tmp_path / 'empty.txt'}: empty document; skipped", f"{tmp_path / 'in.jsonl'}:1: empty text"]
