"""Tests of ``placemap.docformat``: every field of a document survives JSON, and the schema holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placemap.docformat import (
    FORMAT_VERSION,
    apply_min_score,
    document_from_json,
    document_to_json,
    input_from_json,
    is_geoparsed,
)
from placemap.documents import read_documents, read_inputs
from placemap.exc import InputFormatError
from placemap.types import CATEGORIES, STATUSES, Candidate, Document, Event, Mention, Place, Toponym

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "document.schema.json").read_text(encoding="utf-8"))

BREST = Place(629634, "Brest", 52.0976, 23.7341, "P", "PPLA", "BY", "01", "Brest", 300715, "geonames")
ODESA = Place(698740, "Odesa", 46.4775, 30.7326, "P", "PPLA", "UA", "17", "Odesa", 1015826, "geonames")


# -- a small JSON Schema checker: jsonschema is not a dependency, and the schema uses few keywords
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def _is(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[name])


def schema_errors(value: Any, schema: dict, where: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema`` (type, enum, required, properties, items, bounds, allOf, $ref)."""
    if "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    errors = [e for part in schema.get("allOf", []) for e in schema_errors(value, part, where)]
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_is(value, name) for name in names):
            return [*errors, f"{where}: {value!r} is not of type {types}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if _is(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        errors += [f"{where}: {key!r} is missing" for key in schema.get("required", []) if key not in value]
        for key, part in schema.get("properties", {}).items():
            if key in value:
                errors += schema_errors(value[key], part, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    return errors


def test_the_schema_checker_finds_errors() -> None:
    good = document_to_json(Document("d", "Brest", toponyms=(Toponym(Mention(0, 5, "Brest"), BREST, 0.9),)))
    assert schema_errors(good, SCHEMA) == []
    bad = {**good, "toponyms": [{**good["toponyms"][0], "score": 1.5, "lat": "52"}], "events": [{"category": "x"}]}
    errors = schema_errors(bad, SCHEMA)
    assert any("score" in e for e in errors) and any(".lat" in e for e in errors)
    assert any("'x' is not one of" in e for e in errors) and any("'status' is missing" in e for e in errors)
    assert schema_errors({**good, "placemap": None}, SCHEMA)


# -- random documents -------------------------------------------------------------------------
_strings = st.text(max_size=12)
_places = st.builds(
    Place,
    geonameid=st.none() | st.integers(1, 2**40),
    name=_strings,
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    feature_class=st.sampled_from(["", "A", "P", "H", "S"]),
    feature_code=st.sampled_from(["", "PPL", "ADM1", "PCLI"]),
    country_code=st.sampled_from(["", "UA", "BY"]),
    admin1_code=_strings,
    admin1_name=_strings,
    population=st.integers(0, 10**10),
    source=st.sampled_from(["geonames", "naturalearth", "curated", "user"]),
)
_scores = st.floats(0, 1)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(st.text(min_size=1, max_size=80))
    toponyms = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        mention = Mention(start, end, text[start:end], draw(st.sampled_from(["GPE", "LOC", "FAC", ""])))
        alternatives = draw(st.lists(st.builds(Candidate, _places, _scores, st.booleans()), max_size=2))
        toponyms.append(Toponym(mention, draw(st.none() | _places), draw(_scores), tuple(alternatives)))
    indices = st.none() | st.integers(0, max(0, len(toponyms) - 1))
    events = []
    for _ in range(draw(st.integers(0, 3))):
        point = draw(st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180)))
        quote_start = draw(st.integers(0, len(text)))
        events.append(
            Event(
                id=draw(_strings),
                doc_id=draw(_strings),
                category=draw(st.sampled_from(CATEGORIES)),
                status=draw(st.sampled_from(STATUSES)),
                date=draw(st.none() | st.dates().map(str)),
                time_precision=draw(st.integers(1, 3)),
                geo_precision=draw(st.integers(1, 3)),
                quote_start=quote_start,
                quote_end=draw(st.integers(quote_start, len(text))),
                location=draw(indices),
                origin=draw(indices),
                destination=draw(indices),
                areas=tuple(draw(st.lists(st.integers(0, 9), max_size=3))),
                attribution=draw(st.none() | _strings),
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                count=draw(st.none() | st.integers(0, 10**9)),
                score=draw(st.none() | _scores),
            )
        )
    return Document(
        id=draw(_strings),
        text=text,
        published=draw(st.none() | st.dates().map(str)),
        source=draw(st.none() | _strings),
        toponyms=tuple(toponyms),
        events=tuple(events),
    )


@settings(max_examples=300, deadline=None)
@given(documents())
def test_every_field_survives_a_json_line(document: Document) -> None:
    line = json.dumps(document_to_json(document), ensure_ascii=False)
    assert "\n" not in line
    obj = json.loads(line)
    assert document_from_json(obj) == document
    assert schema_errors(obj, SCHEMA) == []


def test_the_object_keeps_the_documented_keys_and_carries_its_version() -> None:
    text = "Talks in Brest."
    event = Event("e1", "d", "talks", "reported", "2022-03-01", 1, 1, 0, len(text), location=0, lat=52.1, lon=23.7)
    document = Document("d", text, toponyms=(Toponym(Mention(9, 14, "Brest"), BREST, 0.97),), events=(event,))
    obj = document_to_json(document)
    assert next(iter(obj)) == "id" and obj["placemap"] == FORMAT_VERSION and obj["text"] == text
    assert obj["toponyms"][0]["geonameid"] == 629634 and obj["toponyms"][0]["country_code"] == "BY"
    assert obj["events"][0]["quote_end"] == len(text) and obj["events"][0]["location"] == 0
    unplaced = document_to_json(Document("u", text, toponyms=(Toponym(Mention(9, 14, "Brest"), None, 0.2),)))
    assert unplaced["toponyms"][0]["lat"] is None and unplaced["toponyms"][0]["score"] == 0.2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": None}, '"text"'),
        ({"placemap": 99}, "newer"),
        ({"toponyms": "Brest"}, '"toponyms" must be a list'),
        ({"toponyms": [{"start": 9, "end": 14, "text": "Bresx", "score": 0.5}]}, "does not match the text"),
        ({"toponyms": [{"start": 9, "end": 14, "text": "Brest", "score": 2.0}]}, "outside [0, 1]"),
        ({"toponyms": [{"start": "9", "end": 14, "text": "Brest", "score": 0.5}]}, '"start" must be an integer'),
        ({"events": [{"category": "picnic"}]}, '"status"'),
    ],
)
def test_a_malformed_document_is_one_clear_error(change: dict, message: str) -> None:
    obj = {"id": "d", "placemap": 1, "text": "Talks in Brest.", "toponyms": [], "events": [], **change}
    with pytest.raises(InputFormatError, match=message.replace("[", r"\[")):
        document_from_json(obj)


def test_output_of_earlier_versions_is_read_when_it_has_the_text() -> None:
    old = {"id": "d", "text": "Odesa", "toponyms": [{"start": 0, "end": 5, "text": "Odesa", "score": 0.9}]}
    old["toponyms"][0].update(geonameid=698740, name="Odesa", lat=46.4775, lon=30.7326, country_code="UA")
    document = document_from_json(old)
    assert document.toponyms[0].place.geonameid == 698740 and document.toponyms[0].mention.label == ""
    assert document.events == ()


def test_input_objects_and_geoparsed_ones_are_told_apart() -> None:
    assert not is_geoparsed({"id": "a", "text": "x"}) and is_geoparsed({"id": "a", "text": "x", "toponyms": []})
    item = input_from_json({"text": "Talks in Brest.", "spans": [[9, 14]]}, number=3)
    assert (item.id, item.spans) == ("line-3", ((9, 14),))
    with pytest.raises(InputFormatError, match="outside the text"):
        input_from_json({"text": "Brest", "spans": [[0, 9]]}, number=1)


def test_min_score_unplaces_saved_names_and_their_events() -> None:
    text = "Talks in Brest, then Odesa."
    toponyms = (Toponym(Mention(9, 14, "Brest"), BREST, 0.9), Toponym(Mention(21, 26, "Odesa"), ODESA, 0.4))
    events = (
        Event("a", "d", "talks", "reported", None, 3, 1, 0, len(text), location=0, lat=BREST.lat, lon=BREST.lon),
        Event("b", "d", "talks", "reported", None, 3, 1, 0, len(text), location=1, lat=ODESA.lat, lon=ODESA.lon),
    )
    document = Document("d", text, toponyms=toponyms, events=events)
    assert apply_min_score(document, 0.0) is document
    kept = apply_min_score(document, 0.5)
    assert [t.place for t in kept.toponyms] == [BREST, None] and kept.toponyms[1].score == 0.4
    assert [e.id for e in kept.events] == ["a"]


def test_min_score_drops_events_less_sure_than_it() -> None:
    text = "Talks in Brest, then shelling in Brest."
    toponyms = (Toponym(Mention(9, 14, "Brest"), BREST, 0.9),)
    common = {"date": None, "time_precision": 3, "geo_precision": 1, "quote_start": 0, "quote_end": len(text)}
    events = (
        Event("sure", "d", "talks", "reported", location=0, score=0.8, **common),
        Event("unsure", "d", "shelling", "reported", location=0, score=0.3, **common),
        Event("table", "d", "shelling", "reported", location=0, score=None, **common),
    )
    kept = apply_min_score(Document("d", text, toponyms=toponyms, events=events), 0.5)
    assert [e.id for e in kept.events] == ["sure", "table"] and kept.toponyms == toponyms


def test_readers_give_saved_documents_back_and_texts_to_geoparse(tmp_path: Path) -> None:
    saved = Document("d1", "Talks in Brest.", toponyms=(Toponym(Mention(9, 14, "Brest"), BREST, 0.97),))
    source = tmp_path / "mixed.jsonl"
    lines = [json.dumps(document_to_json(saved)), json.dumps({"id": "t1", "text": "Odesa"}), '{"toponyms": []}']
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[str] = []
    assert list(read_documents([str(source)], errors))[:2] == [saved, input_from_json(json.loads(lines[1]), number=2)]
    assert errors == [f'{source}:3: a geoparsed document needs its "text" (geoparse it again with this placemap)']
    # geoparse reads a saved document as its text, to geoparse again
    assert [item.text for item in read_inputs([str(source)], [])] == ["Talks in Brest.", "Odesa"]


def test_geoparse_output_follows_the_schema_and_reads_back(tiny_store: Path, tmp_path: Path) -> None:
    from placemap.cli import main

    source = tmp_path / "news.txt"
    source.write_text("Shelling hit Kharkiv as talks resumed in Brest, Belarus, on Sunday. Odesa was calm.\n")
    output = tmp_path / "news.jsonl"
    argv = ["geoparse", "--gazetteer", str(tiny_store), "--published", "2022-03-07", str(source), "-o", str(output)]
    assert main(argv) == 0
    [line] = output.read_text(encoding="utf-8").splitlines()
    obj = json.loads(line)
    assert schema_errors(obj, SCHEMA) == []
    document = document_from_json(obj)
    assert document.text == source.read_text() and document.published == "2022-03-07"
    assert {t.place.name for t in document.toponyms if t.place} >= {"Brest", "Belarus", "Odesa"}
    assert json.dumps(document_to_json(document), ensure_ascii=False) == line
