import json
import subprocess
import sys
from pathlib import Path

import pytest

from placemap.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_geocode_prints_one_line_per_name(capsys, tiny_store):
    code, out, _ = run(capsys, "geocode", "--gazetteer", str(tiny_store), "Brest, Belarus", "Kiev")
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0][:3] == ["Brest, Belarus", "Brest", "BY"] and lines[0][-1] == "629634"
    assert lines[1][1] == "Kyiv"


def test_geocode_json(capsys, tiny_store):
    code, out, _ = run(capsys, "geocode", "--gazetteer", str(tiny_store), "--json", "--country", "FR", "Brest")
    result = json.loads(out)[0]
    assert code == 0
    assert {k: result[k] for k in ("name", "geonameid", "country_code", "feature_code")} == {
        "name": "Brest",
        "geonameid": 3030300,
        "country_code": "FR",
        "feature_code": "PPLA2",
    }


def test_gazetteer_variable(capsys, tiny_store, monkeypatch):
    monkeypatch.setenv("PLACEMAP_GAZETTEER", str(tiny_store))
    code, out, _ = run(capsys, "gazetteer", "info")
    assert code == 0 and "places: 20" in out


@pytest.mark.parametrize("name", ["", "   ", "\x00\x1b[31m", "'; DROP TABLE names; --", "Київ Kyiv 東京"])
def test_hostile_names_are_not_found_without_a_traceback(capsys, tiny_store, name):
    code, out, err = run(capsys, "geocode", "--gazetteer", str(tiny_store), name)
    assert code == 1 and "not found" in out and "Traceback" not in err


def test_a_one_megabyte_name_is_a_one_line_error(capsys, tiny_store):
    code, _, err = run(capsys, "geocode", "--gazetteer", str(tiny_store), "x" * 1_000_000)
    assert code == 1 and err.startswith("placemap: error:") and len(err.splitlines()) == 1


def test_missing_and_corrupt_stores_are_one_line_errors(capsys, tmp_path):
    code, _, err = run(capsys, "geocode", "--gazetteer", str(tmp_path / "none.sqlite"), "Kyiv")
    assert code == 1 and "no gazetteer at" in err
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\x00garbage" * 1000)
    code, _, err = run(capsys, "geocode", "--gazetteer", str(junk), "Kyiv")
    assert code == 1 and "not a placemap gazetteer" in err and len(err.splitlines()) == 1


def test_gazetteer_add_reports_the_bad_line(capsys, tiny_store, tmp_path):
    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    places = tmp_path / "places.csv"
    places.write_text("name,lat,lon\nCheckpoint 7,48.1,37.7\nBroken,abc,1\n", encoding="utf-8")
    code, _, err = run(capsys, "gazetteer", "add", "--gazetteer", str(store), str(places))
    assert code == 1 and "places.csv:3:" in err
    code, _, _ = run(capsys, "geocode", "--gazetteer", str(store), "Checkpoint 7")
    assert code == 1, "a failed add must leave the store as it was"


def test_geoparse_with_given_spans_and_a_malformed_line(capsys, tiny_store, tmp_path):
    source = tmp_path / "in.jsonl"
    text = "Talks in Brest, Belarus, resumed."
    source.write_text(
        json.dumps({"id": "a", "text": text, "spans": [[9, 14], [16, 23]]})
        + "\n{not json\n"
        + json.dumps({"id": "b", "text": "Odessa", "spans": [[0, 6]]})
        + "\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "geoparse", "--gazetteer", str(tiny_store), str(source), "-o", str(out_path))
    assert code == 1 and "in.jsonl:2:" in err
    documents = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in documents] == ["a", "b"]
    brest = documents[0]["toponyms"][0]
    assert (brest["text"], brest["geonameid"], brest["country_code"]) == ("Brest", 629634, "BY")
    # The keys documented before format 1 keep their meaning; format 1 only adds keys.
    assert {"start", "end", "text", "geonameid", "name", "lat", "lon", "country_code", "feature_code", "score"} < set(
        brest
    )
    assert (documents[0]["placemap"], documents[0]["text"], brest["label"]) == (1, text, "GPE")
    talks = documents[0]["events"][0]
    assert (talks["category"], talks["location"], talks["quote_start"], talks["quote_end"]) == (
        "talks",
        0,
        0,
        len(text),
    )


def test_geoparse_reads_a_line_whose_published_is_no_date_without_a_date(capsys, tiny_store, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "text": "Talks resumed in Brest on Sunday.", "published": value}
        for value in ("2022-13-45", "2022-03-08")
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "geoparse", "--gazetteer", str(tiny_store), str(source), "-o", str(out_path))
    assert code == 1 and err.splitlines() == [
        f'placemap: {source}:1: "published" "2022-13-45" is not a day written YYYY-MM-DD; geoparsed without a date'
    ]
    bad, good = (json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines())
    assert (bad["published"], good["published"]) == (None, "2022-03-08")
    assert bad["toponyms"][0]["text"] == "Brest" and bad["events"][0]["date"] is None
    assert good["events"][0]["date"] == "2022-03-06"


def test_geoparse_min_score_leaves_doubtful_names_unplaced(capsys, tiny_store, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Talks in Brest resumed.", encoding="utf-8")
    _, out, _ = run(capsys, "geoparse", "--gazetteer", str(tiny_store), "--no-events", str(source))
    placed = json.loads(out)["toponyms"][0]
    assert placed["name"] == "Brest" and 0 < placed["score"] < 1
    argv = ["geoparse", "--gazetteer", str(tiny_store), "--no-events", "--min-score", "1", str(source)]
    _, out, _ = run(capsys, *argv)
    doubted = json.loads(out)["toponyms"][0]
    assert doubted["name"] is None and doubted["score"] == placed["score"]


def test_geoparse_refuses_a_min_score_that_is_not_a_probability(capsys, tiny_store, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["geoparse", "--gazetteer", str(tiny_store), "--min-score", "2", str(tmp_path)])
    assert exit_.value.code == 2 and "not a number from 0 to 1" in capsys.readouterr().err


def test_geoparse_refuses_binary_input_but_keeps_going(capsys, tiny_store, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "b.txt").write_text("Shelling hit Kyiv.", encoding="utf-8")
    code, out, err = run(capsys, "geoparse", "--gazetteer", str(tiny_store), str(tmp_path))
    assert code == 1 and "binary data" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["b.txt"]


def test_the_console_script_never_prints_a_traceback(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"nonsense")
    result = subprocess.run(
        [sys.executable, "-m", "placemap.cli", "geocode", "--gazetteer", str(junk), "Kyiv"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_geoparse_reads_html_article_pages(capsys, tiny_store, tmp_path):
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Talks in Brest</title></head><body><nav>Menu</nav><article><h1>Talks in Brest</h1>"
        "<p>Delegations met in Brest, Belarus, on Monday for a second round of talks that lasted late into the "
        "evening, officials from both sides said afterwards.</p></article></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "geoparse", "--gazetteer", str(tiny_store), "--no-events", str(page))
    document = json.loads(out)
    assert code == 0 and document["id"] == "story.html"
    assert "Brest" in [t["text"] for t in document["toponyms"]]


def test_demo_writes_the_map_geojson_and_json_lines(capsys, tiny_store, tmp_path):
    source = tmp_path / "dispatches"
    source.mkdir()
    (source / "a.txt").write_text("Talks in Brest resumed on Monday as shelling hit Kyiv.", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["demo", "--gazetteer", str(tiny_store), "--input", str(source), "--output-dir", str(out)]
    code, printed, _ = run(capsys, *argv)
    assert code == 0 and "1 dispatches" in printed
    assert {path.name for path in out.iterdir()} == {"demo.html", "demo.geojson", "demo.jsonl"}
    assert json.loads((out / "demo.jsonl").read_text(encoding="utf-8"))["toponyms"][0]["text"] == "Brest"


NEWS = {
    "a.txt": "Talks in Brest, Belarus, resumed on Monday as shelling hit Kyiv.",
    "b.txt": "Refugees fled from Odesa to Kyiv, officials said. Donetsk was shelled again.",
}


@pytest.fixture()
def news(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in NEWS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_map_takes_geoparse_output_as_it_is(capsys, tiny_store, tmp_path, news, monkeypatch):
    saved = tmp_path / "news.jsonl"
    gaz = ["--gazetteer", str(tiny_store)]
    assert run(capsys, "geoparse", *gaz, "--published", "2022-03-07", str(news), "-o", str(saved))[0] == 0
    from_texts, from_saved = tmp_path / "texts.geojson", tmp_path / "saved.geojson"
    argv = ["map", *gaz, "--published", "2022-03-07", "--offline", "-o", str(tmp_path / "t.html")]
    assert run(capsys, *argv, "--geojson", str(from_texts), str(news))[0] == 0

    def no_geoparsing(*args, **kwargs):
        raise AssertionError("saved output was geoparsed again")

    monkeypatch.setattr("placemap.geo.pipeline.build_geoparser", no_geoparsing)
    argv = ["map", *gaz, "--offline", "-o", str(tmp_path / "s.html"), "--geojson", str(from_saved), str(saved)]
    assert run(capsys, *argv)[0] == 0
    features = json.loads(from_saved.read_text(encoding="utf-8"))["features"]
    assert features and features == json.loads(from_texts.read_text(encoding="utf-8"))["features"]


def test_map_min_score_applies_to_saved_scores(capsys, tiny_store, tmp_path, news):
    saved = tmp_path / "news.jsonl"
    gaz = ["--gazetteer", str(tiny_store)]
    run(capsys, "geoparse", *gaz, str(news), "-o", str(saved))
    geojson = tmp_path / "m.geojson"
    argv = ["map", *gaz, "--min-score", "1", "-o", str(tmp_path / "m.html"), "--geojson", str(geojson), str(saved)]
    code, _, _ = run(capsys, *argv)
    # every name is below a score of 1: nothing is placed, so nothing is drawn
    assert code == 0 and json.loads(geojson.read_text(encoding="utf-8"))["features"] == []


def test_eval_scores_a_saved_output_as_the_geoparser_would(capsys, tiny_store, tmp_path, news):
    gold = tmp_path / "gold.jsonl"
    brest = NEWS["a.txt"].index("Brest")
    toponym = {"start": brest, "end": brest + 5, "text": "Brest", "lat": 52.1, "lon": 23.7, "geonameid": 629634}
    lines = [{"id": "a.txt", "text": NEWS["a.txt"], "toponyms": [toponym]}, {"id": "b.txt", "text": NEWS["b.txt"]}]
    lines[1]["toponyms"] = []
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    saved = tmp_path / "news.jsonl"
    gaz = ["--gazetteer", str(tiny_store)]
    run(capsys, "geoparse", *gaz, "--no-events", str(news), "-o", str(saved))
    code, out, _ = run(capsys, "eval", *gaz, "--json", str(gold), "--system", str(saved))
    from_saved = json.loads(out)
    code_direct, out, _ = run(capsys, "eval", *gaz, "--json", "--jobs", "1", str(gold))
    direct = json.loads(out)
    assert code == code_direct == 0 and "resolution" not in from_saved and "resolution" in direct
    assert from_saved["recognition"] == direct["recognition"] and from_saved["end_to_end"] == direct["end_to_end"]
    assert from_saved["end_to_end"]["acc@161"] == 1.0


def test_eval_refuses_a_system_output_that_is_not_geoparsed(capsys, tiny_store, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "Brest", "toponyms": []}) + "\n", encoding="utf-8")
    system = tmp_path / "texts.jsonl"
    system.write_text(json.dumps({"id": "a", "text": "Brest"}) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "eval", "--gazetteer", str(tiny_store), str(gold), "--system", str(system))
    assert code == 1 and "not geoparsed" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["geoparse", "map", "eval"])
def test_every_command_that_geoparses_takes_the_same_options(command):
    from placemap.cli import build_parser

    args = ["--resolver", "population", "--adjectives", "--min-score", "0.5", "--jobs", "2"]
    positional = {"geoparse": ["x.txt"], "map": ["x.txt", "-o", "m.html"], "eval": ["gold.jsonl"]}[command]
    parsed = build_parser().parse_args([command, *positional, *args])
    assert (parsed.resolver, parsed.adjectives, parsed.min_score, parsed.jobs) == ("population", True, 0.5, 2)


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit):
        main(["map", "x.txt", "-o", "m.html", "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err


def test_demo_passes_publication_dates(capsys, tiny_store, tmp_path):
    source = tmp_path / "dispatches"
    source.mkdir()
    (source / "a.txt").write_text("KYIV, March 2 – Shelling hit Kyiv overnight, officials said.", encoding="utf-8")
    (source / "published.csv").write_text("file,published\na.txt,2022-03-02\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["demo", "--gazetteer", str(tiny_store), "--input", str(source), "--output-dir", str(out)]
    assert run(capsys, *argv)[0] == 0
    features = json.loads((out / "demo.geojson").read_text(encoding="utf-8"))["features"]
    assert features and {f["properties"]["published"] for f in features} == {"2022-03-02"}
    assert "<title>placemap demo</title>" in (out / "demo.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "option"), [("out.geojson", "--geojson"), ("out.gpkg", "--gpkg"), ("out.KML", "--kml")]
)
def test_map_refuses_a_data_file_as_its_html_output(capsys, tiny_store, tmp_path, name, option):
    text = tmp_path / "a.txt"
    text.write_text("Shelling hit Kyiv.", encoding="utf-8")
    code, _, err = run(capsys, "map", "--gazetteer", str(tiny_store), str(text), "-o", str(tmp_path / name))
    assert code != 0 and option in err and not (tmp_path / name).exists()


def test_map_writes_kml(capsys, tiny_store, tmp_path):
    import xml.etree.ElementTree as ET

    text = tmp_path / "a.txt"
    text.write_text("Shelling hit Kyiv overnight, officials said.", encoding="utf-8")
    kml = tmp_path / "events.kml"
    argv = ["map", "--gazetteer", str(tiny_store), str(text), "-o", str(tmp_path / "m.html"), "--kml", str(kml)]
    assert run(capsys, *argv)[0] == 0
    names = [e.text for e in ET.parse(kml).iter("{http://www.opengis.net/kml/2.2}name")]
    assert "Shelling: Kyiv" in names


def test_geoparse_a_bad_byte_costs_one_line_and_exits_1_after_writing_the_rest(capsys, tiny_store, tmp_path):
    lines = [json.dumps({"id": str(n), "text": f"Talks in Brest {n}."}).encode() for n in range(1, 21)]
    lines[14] = lines[14].replace(b"Talks", b"Tal\xe9ks")  # line 15, a cp1252 byte
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    out_path = tmp_path / "out.jsonl"
    argv = ["geoparse", "--gazetteer", str(tiny_store), "--no-events", str(source), "-o", str(out_path)]
    code, _, err = run(capsys, *argv)
    assert code == 1 and err.splitlines() == [
        f"placemap: {source}:15: not UTF-8 (byte 26: invalid continuation byte); line skipped"
    ]
    written = [json.loads(line)["id"] for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert written == [str(n) for n in range(1, 21) if n != 15]


@pytest.mark.parametrize("problem", ["missing", "binary", "over the limit", "only bad lines"])
def test_a_run_that_produces_nothing_leaves_the_previous_output(capsys, tiny_store, tmp_path, monkeypatch, problem):
    import placemap.documents

    keep = tmp_path / "keep.jsonl"
    keep.write_text('{"id": "earlier"}\n', encoding="utf-8")
    source = tmp_path / ("in.jsonl" if problem == "only bad lines" else "in.txt")
    if problem == "binary":
        source.write_bytes(b"\x00\x01binary")
    elif problem == "over the limit":
        monkeypatch.setattr(placemap.documents, "MAX_TEXT_CHARS", 10)
        source.write_text("Talks in Brest resumed on Monday.", encoding="utf-8")
    elif problem == "only bad lines":
        source.write_bytes(b"{not json\n\xff\n")
    code, _, err = run(capsys, "geoparse", "--gazetteer", str(tiny_store), str(source), "-o", str(keep))
    assert code == 1 and f"{keep}: no document to write; left as it was" in err
    assert keep.read_text(encoding="utf-8") == '{"id": "earlier"}\n'
    assert {path.name for path in tmp_path.iterdir()} <= {keep.name, source.name}  # no partial file left


def test_a_second_geoparse_to_one_output_is_refused(capsys, tiny_store, tmp_path):
    from placemap.atomic import locked

    source = tmp_path / "a.txt"
    source.write_text("Talks in Brest resumed.", encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    argv = ["geoparse", "--gazetteer", str(tiny_store), "--no-events", str(source), "-o", str(out_path)]
    with locked(tmp_path / "out.jsonl.partial") as first:  # as a run in progress holds it
        first.write(b'{"id": "first run"}\n')
        first.flush()
        code, _, err = run(capsys, *argv)
        assert (
            code == 1
            and err == f"placemap: error: {out_path} is being written by another placemap run; wait for it to finish\n"
        )
        assert (tmp_path / "out.jsonl.partial").read_bytes() == b'{"id": "first run"}\n' and not out_path.exists()
    code, _, _ = run(capsys, *argv)  # the first run is over: the lock went with it
    assert code == 0 and json.loads(out_path.read_text(encoding="utf-8"))["id"] == "a.txt"


def test_geoparse_refuses_a_mixed_stdin_and_reads_it_with_format(capsys, tiny_store, monkeypatch):
    import io

    class Stdin:
        buffer = io.BytesIO(b'{"id": "a", "text": "Talks in Brest."}\nTalks in Kyiv.\n')

    monkeypatch.setattr(sys, "stdin", Stdin())
    code, out, err = run(capsys, "geoparse", "--gazetteer", str(tiny_store), "--no-events", "-")
    assert code == 1 and out == "" and "line 1 is a JSON object but line 2 is not" in err
    Stdin.buffer.seek(0)
    code, out, err = run(capsys, "geoparse", "--gazetteer", str(tiny_store), "--no-events", "--format", "text", "-")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == ["stdin"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X,1,1,inf,", "places.csv:2: population 'inf' is not a whole number"),
        ("X,1,1,,12345678901234567890123", "places.csv:2: geonameid 12345678901234567890123 is out of range"),
        ("X" * 131_073 + ",1,1,,", "places.csv:2: not a CSV row (field larger than field limit (131072))"),
        ("Caf\xe9,1,1,,", "places.csv:2: not UTF-8 (byte 38: invalid continuation byte)"),
        ("Y,,,,999999999", "no place with geonameid 999999999 in"),
    ],
)
def test_gazetteer_add_refuses_malformed_rows_in_one_line(capsys, tiny_store, tmp_path, row, message):
    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    places = tmp_path / "places.csv"
    places.write_bytes(f"name,lat,lon,population,geonameid\n{row}\n".encode("latin-1"))
    code, out, err = run(capsys, "gazetteer", "add", "--gazetteer", str(store), str(places))
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and message in err
    assert store.read_bytes() == tiny_store.read_bytes()


def test_a_store_damaged_mid_file_is_a_one_line_error_with_quick_check(capsys, tiny_store, tmp_path):
    store = tmp_path / "store.sqlite"
    data = bytearray(tiny_store.read_bytes())
    data[len(data) // 3 :] = b"\xde\xad" * ((len(data) - len(data) // 3) // 2) + b"\xde" * (
        (len(data) - len(data) // 3) % 2
    )
    store.write_bytes(bytes(data))
    for argv in (["gazetteer", "info"], ["geocode", "Kyiv", "Brest", "Odessa"]):
        code, _, err = run(capsys, *argv, "--gazetteer", str(store))
        assert code == 1 and len(err.splitlines()) == 1 and "quick_check" in err, (argv, err)


def _tiny_writer():
    from placemap.gazetteer.build import StoreWriter
    from placemap.gazetteer.sources import read_places_csv

    writer = StoreWriter()
    writer.add(read_places_csv(Path(__file__).parent / "fixtures" / "tiny_places.csv", source="geonames"), "tiny")
    return writer


def test_gazetteer_build_says_it_drops_added_places(capsys, tiny_store, tmp_path, monkeypatch):
    import placemap.gazetteer.build

    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    places = tmp_path / "mine.csv"
    places.write_text("name,lat,lon\nCheckpoint 7,48.1,37.7\n", encoding="utf-8")
    assert run(capsys, "gazetteer", "add", "--gazetteer", str(store), str(places))[0] == 0
    monkeypatch.setattr(placemap.gazetteer.build, "_embedded_writer", _tiny_writer)  # a real build, of the fixture
    code, _, err = run(capsys, "gazetteer", "build", "-o", str(store))
    assert code == 0 and "lacks the places added with gazetteer add; add them again (mine.csv)" in err
    code, _, err = run(capsys, "gazetteer", "build", "-o", str(store))  # the places were dropped once, not again
    assert code == 0 and err == ""


@pytest.mark.parametrize("command", [["build"], ["download", "UA", "--base-url", "file:///nowhere/"]])
def test_a_store_being_written_is_refused_in_one_line(capsys, tiny_store, tmp_path, command):
    from placemap.atomic import locked

    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    with locked(store):  # another run writing it (flock: a second open file is refused in one process too)
        code, out, err = run(capsys, "gazetteer", *command, "-o", str(store))
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "is being written by another placemap run" in err
    assert store.read_bytes() == tiny_store.read_bytes()


@pytest.mark.parametrize("published", ["07/03/2022", "2022-13-45", "2022-3-7", "20220307"])
def test_a_publication_date_that_is_no_day_is_refused(capsys, tmp_path, published):
    with pytest.raises(SystemExit) as exit_:
        main(["geoparse", "--published", published, str(tmp_path)])
    assert exit_.value.code == 2 and "is not a day written YYYY-MM-DD" in capsys.readouterr().err
