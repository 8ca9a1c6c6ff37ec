"""Batch runs: input order, the same bytes for any job count or engine, resume, bad documents.

The geoparser is the gazetteer matcher over the tiny fixture store: no spaCy model needed.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from placemap.batch import CHUNK_SIZE, BatchStats, partial_paths, run_batch
from placemap.docformat import InputDocument
from placemap.exc import ConfigurationError, GazetteerNotFound
from placemap.geo.pipeline import GeoparserSettings, build_geoparser

SENTENCES = [
    "Talks between Ukraine and Belarus resumed in Brest on Monday.",
    "Shelling was reported near Donetsk and Luhansk overnight.",
    "Fishing boats left Brest for the Atlantic; France said Paris would pay.",
    "A convoy left Kherson for Odesa, officials in Kyiv said.",
    "ODESSA, Texas - Oil prices rose in Odessa on Monday.",
    "Refugees crossed the Dnipro toward Dnipro and Kyiv.",
]
BAD = 17  # this document's span lies outside its text: it must be reported and skipped


def corpus(count: int = 48) -> list[InputDocument]:
    items = []
    for index in range(count):
        text = " ".join(SENTENCES[(index + k) % len(SENTENCES)] for k in range(1 + index % 3))
        items.append(InputDocument(id=f"doc-{index:03d}", text=text, published="2022-03-29"))
    items[BAD] = InputDocument(id="broken", text="Kyiv.", spans=((0, 40),))
    return items


@pytest.fixture(scope="module")
def make(tiny_store: Path):
    return partial(build_geoparser, GeoparserSettings(str(tiny_store), recognizer="gazetteer", events=False))


@pytest.fixture(scope="module")
def reference(make, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The output of one uninterrupted single-process run."""
    output = tmp_path_factory.mktemp("reference") / "out.jsonl"
    errors: list[str] = []
    run_batch(corpus(), output, make_geoparser=make, errors=errors, progress=False)
    return output.read_bytes()


def ids(data: bytes) -> list[str]:
    return [json.loads(line)["id"] for line in data.splitlines()]


def test_one_job_keeps_input_order_and_skips_the_bad_document(reference):
    expected = [item.id for item in corpus() if item.id != "broken"]
    assert ids(reference) == expected
    assert any(json.loads(line)["toponyms"] for line in reference.splitlines())


def test_a_bad_document_is_reported_and_the_run_goes_on(make, tmp_path):
    errors: list[str] = []
    stats = run_batch(corpus(), tmp_path / "out.jsonl", make_geoparser=make, errors=errors, progress=False)
    assert len(errors) == 1 and errors[0].startswith("broken: span [0, 40] is outside the text")
    assert (stats.documents, stats.failed, stats.skipped) == (47, 1, 0)
    assert stats.words > 0 and stats.seconds > 0


@pytest.mark.parametrize("chunk_size", [1, 5])
def test_two_jobs_write_the_same_bytes(make, reference, tmp_path, chunk_size):
    errors: list[str] = []
    output = tmp_path / "out.jsonl"
    stats = run_batch(
        iter(corpus()), output, make_geoparser=make, jobs=2, chunk_size=chunk_size, errors=errors, progress=False
    )
    assert output.read_bytes() == reference
    assert stats.documents == 47 and len(errors) == 1
    assert not any(path.exists() for path in partial_paths(output))


def interrupted(items: list[InputDocument], after: int):
    """The inputs as a reader that is interrupted (Ctrl-C) after ``after`` of them."""
    for index, item in enumerate(items):
        if index == after:
            raise KeyboardInterrupt
        yield item


@pytest.mark.parametrize(("after", "cut", "jobs"), [(10, 7, 1), (BAD + 1, 0, 1), (30, 1, 2), (47, 3, 1)])
def test_resuming_an_interrupted_run_gives_the_uninterrupted_output(make, reference, tmp_path, after, cut, jobs):
    output = tmp_path / "out.jsonl"
    partial_file, _ = partial_paths(output)
    with pytest.raises(KeyboardInterrupt):
        run_batch(interrupted(corpus(), after), output, make_geoparser=make, jobs=jobs, errors=[], progress=False)
    assert not output.exists() and partial_file.exists()
    if cut:  # as if killed while writing a line: the last line is cut short
        data = partial_file.read_bytes()
        partial_file.write_bytes(data[: len(data) - cut])
    errors: list[str] = []
    stats = run_batch(corpus(), output, make_geoparser=make, jobs=jobs, resume=True, errors=errors, progress=False)
    assert output.read_bytes() == reference
    assert len(errors) == 1 and errors[0].startswith("broken: ")  # reported again when it failed before
    assert stats.skipped + stats.documents == 47 and stats.failed == 1
    assert not partial_file.exists()


def test_resuming_twice_and_resuming_a_finished_partial(make, reference, tmp_path):
    output = tmp_path / "out.jsonl"
    for after in (5, 20, 33):
        with pytest.raises(KeyboardInterrupt):
            run_batch(interrupted(corpus(), after), output, make_geoparser=make, resume=True, errors=[], progress=False)
    stats = run_batch(corpus(), output, make_geoparser=make, resume=True, errors=[], progress=False)
    assert output.read_bytes() == reference
    # A process geoparses CHUNK_SIZE documents at a time: the batch an interrupt cuts is done again.
    done = 33 // CHUNK_SIZE * CHUNK_SIZE
    assert stats.skipped == done - (done > BAD) and stats.documents == 47 - stats.skipped


def test_resume_refuses_a_partial_output_of_other_inputs(make, tmp_path):
    output = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(interrupted(corpus(), CHUNK_SIZE + 4), output, make_geoparser=make, errors=[], progress=False)
    others = [InputDocument(id=f"other-{i}", text=item.text) for i, item in enumerate(corpus())]
    with pytest.raises(ConfigurationError, match="cannot resume"):
        run_batch(others, output, make_geoparser=make, resume=True, errors=[], progress=False)
    with pytest.raises(ConfigurationError, match="cannot resume"):
        run_batch(corpus()[:4], output, make_geoparser=make, resume=True, errors=[], progress=False)


def test_resume_refuses_a_damaged_partial_output(make, tmp_path):
    output = tmp_path / "out.jsonl"
    partial_paths(output)[0].write_bytes(b"not json\n")
    with pytest.raises(ConfigurationError, match="is damaged"):
        run_batch(corpus(), output, make_geoparser=make, resume=True, errors=[], progress=False)


def test_without_resume_a_partial_output_is_replaced(make, reference, tmp_path):
    output = tmp_path / "out.jsonl"
    partial_paths(output)[0].write_bytes(b'{"id": "stale"}\n{"id": "half')
    run_batch(corpus(), output, make_geoparser=make, errors=[], progress=False)
    assert output.read_bytes() == reference


def test_standard_output_and_no_bar_when_piped(make, reference, capsysbinary):
    stats = run_batch(corpus(), None, make_geoparser=make, errors=[])
    captured = capsysbinary.readouterr()
    assert captured.out == reference and captured.err == b""
    assert isinstance(stats, BatchStats)


def test_progress_bar_on_request(make, tmp_path, capsys):
    run_batch(corpus(), tmp_path / "out.jsonl", make_geoparser=make, errors=[], progress=True, total=48)
    assert "48/48" in capsys.readouterr().err


def test_a_geoparser_that_cannot_be_built_ends_the_run(tiny_store, tmp_path):
    make = partial(build_geoparser, GeoparserSettings(str(tmp_path / "missing.sqlite"), recognizer="gazetteer"))
    with pytest.raises(GazetteerNotFound):
        run_batch(corpus(), tmp_path / "out.jsonl", make_geoparser=make, jobs=2, errors=[], progress=False)


def test_the_dask_engine_writes_the_same_bytes(make, reference, tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed is not installed (an optional engine)")
    from placemap.dask_engine import run_dask

    output, parts = tmp_path / "out.jsonl", tmp_path / "parts"
    errors: list[str] = []
    stats = run_dask(
        corpus(), output, make_geoparser=make, workers=2, partitions_dir=parts, chunk_size=8, errors=errors
    )
    assert output.read_bytes() == reference
    assert b"".join(path.read_bytes() for path in sorted(parts.glob("part-*.jsonl"))) == reference
    assert len(sorted(parts.glob("part-*.jsonl"))) == 6
    assert stats.documents == 47 and len(errors) == 1 and errors[0].startswith("broken: ")


def test_the_dask_engine_resumes_with_its_partitions(make, reference, tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed is not installed (an optional engine)")
    from placemap.dask_engine import run_dask

    output, parts = tmp_path / "out.jsonl", tmp_path / "parts"
    settings = {"make_geoparser": make, "workers": 2, "partitions_dir": parts, "chunk_size": 4, "progress": False}
    with pytest.raises(KeyboardInterrupt):
        run_dask(interrupted(corpus(), 41), output, errors=[], **settings)
    partial_file, _ = partial_paths(output)
    data = partial_file.read_bytes()
    assert data.count(b"\n") >= 8  # the chunks gathered before the interruption
    partial_file.write_bytes(data[: len(data) - 5])  # resume inside a chunk whose partition exists
    errors: list[str] = []
    run_dask(corpus(), output, errors=errors, resume=True, **settings)
    assert output.read_bytes() == reference and len(errors) == 1
    assert b"".join(path.read_bytes() for path in sorted(parts.glob("part-*.jsonl"))) == reference


def test_count_inputs_for_the_time_left(tmp_path):
    from placemap.batch import count_inputs

    (tmp_path / "texts").mkdir()
    for name in ("a.txt", "b.txt", "c.md"):
        (tmp_path / "texts" / name).write_text("Kyiv.", encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "Kyiv."}\n\n{"text": "Brest."}\n', encoding="utf-8")
    assert count_inputs([str(tmp_path / "texts"), str(corpus)]) == 4
    assert count_inputs([str(corpus), "-"]) is None
    assert count_inputs([str(corpus)], max_bytes=10) is None


@pytest.mark.parametrize("edited", [3, BAD])  # a written document, and one that failed
def test_resume_refuses_an_input_edited_since_the_interrupted_run(make, tmp_path, edited):
    import dataclasses

    output = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        # after two whole batches: a written document and the one that failed are in the partial output
        after = 2 * CHUNK_SIZE + 1
        run_batch(interrupted(corpus(), after), output, make_geoparser=make, errors=[], progress=False)
    items = corpus()
    items[edited] = dataclasses.replace(items[edited], text=items[edited].text + " Shelling hit Kyiv.")
    with pytest.raises(ConfigurationError, match=f"the text of input {edited + 1}, .* was edited"):
        run_batch(items, output, make_geoparser=make, resume=True, errors=[], progress=False)


def test_a_batch_geoparses_as_one_document_at_a_time_does(make):
    from placemap.batch import parse_document, parse_documents

    geoparser = make()
    items = [item for item in corpus()[:20] if item.spans is None]
    assert parse_documents(geoparser, items) == [parse_document(geoparser, item) for item in items]


def test_a_batch_that_raises_costs_only_its_bad_document(make):
    from placemap.batch import parse_documents

    class FailsInBatches:  # a geoparser whose batch path breaks on one text
        def __init__(self, geoparser):
            self.geoparser = geoparser

        def __call__(self, text, **kwargs):
            if "Kherson" in text:
                raise ValueError("cannot read this one")
            return self.geoparser(text, **kwargs)

        def pipe(self, items):
            if any("Kherson" in text for _, text, _ in items):
                raise ValueError("batch failed")
            return self.geoparser.pipe(items)

    items = [InputDocument(id=f"d{i}", text=t) for i, t in enumerate(["Shelling hit Kyiv.", "Kherson.", "Lviv."])]
    outcomes = parse_documents(FailsInBatches(make()), items)
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert "cannot read this one" in outcomes[1].error
