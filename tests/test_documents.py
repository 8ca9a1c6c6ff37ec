"""Input readers: every good record comes out, every bad one is reported with its place."""

from __future__ import annotations

import json

from placemap.docformat import InputDocument
from placemap.documents import read_documents, read_inputs


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
