"""``placemap gazetteer download``: a small dump served from 127.0.0.1, never the internet."""

from __future__ import annotations

import io
import json
import socket
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from placemap import cli
from placemap.exc import ConfigurationError, DownloadError, InputFormatError
from placemap.gazetteer import Gazetteer
from placemap.gazetteer.build import StoreWriter
from placemap.gazetteer.download import download_store, dump_names, fetch, verify_dump
from placemap.gazetteer.schema import SCHEMA_VERSION
from placemap.gazetteer.sources import read_geonames_dump

ROW = "{id}\t{name}\t{name}\t\t{lat}\t{lon}\tP\tPPL\t{cc}\t\t14\t\t\t\t{pop}\t\t100\tEurope/Kyiv\t2024-01-01\n"
ETAG = '"v1"'


def zipped(rows: list[str], member: str = "UA.txt", *, padding: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED if padding else zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, "".join(rows))
        archive.writestr("readme.txt", "x" * padding)  # stored, so the file is big enough to cut
    return buffer.getvalue()


UA_ROWS = [
    ROW.format(id=1, name="Robotyne", lat=47.44, lon=35.84, cc="UA", pop=480),
    ROW.format(id=2, name="Krynky", lat=46.73, lon=33.09, cc="UA", pop=1000),
]


class Files:
    """What the test server serves, and how it misbehaves."""

    def __init__(self) -> None:
        self.content: dict[str, bytes] = {}
        self.cut_after: int | None = None  # close the connection after this many body bytes, once
        self.ranges = True  # whether Range requests are honoured
        self.wrong_range = False  # answer a Range request with the file from its start, as 206
        self.requests: list[dict[str, str]] = []


def make_handler(files: Files) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            files.requests.append(dict(self.headers))
            body = files.content.get(self.path.lstrip("/"))
            if body is None:
                self.send_error(404)
                return
            start = 0
            wanted = self.headers.get("Range", "")
            if files.ranges and wanted.startswith("bytes=") and self.headers.get("If-Range") in (None, ETAG):
                start = 0 if files.wrong_range else int(wanted[6:].rstrip("-"))
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("ETag", ETAG)
            self.send_header("Last-Modified", "Tue, 01 Dec 2026 03:00:00 GMT")
            self.end_headers()
            if files.cut_after is not None:
                self.wfile.write(body[start : start + files.cut_after])
                files.cut_after = None
                self.close_connection = True
                return
            self.wfile.write(body[start:])

    return Handler


@pytest.fixture()
def server() -> Iterator[tuple[str, Files]]:
    files = Files()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(files))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", files
    finally:
        httpd.shutdown()
        httpd.server_close()


def tiny_build(target: Path, dumps) -> None:
    """The dumps alone (the embedded default takes half a minute to build)."""
    writer = StoreWriter()
    for dump in dumps:
        writer.add(read_geonames_dump(dump), f"GeoNames dump {Path(dump).name}")
    writer.write(target, {"schema_version": SCHEMA_VERSION, "kind": "extended", "sources": "\n".join(writer.sources)})


def test_names_of_dumps():
    assert dump_names(["ua", "no-country"]) == ["UA.zip", "no-country.zip"]
    assert dump_names(["UA"], all_countries=True) == ["allCountries.zip", "UA.zip"]
    assert dump_names(["no-country.txt.gz"]) == ["no-country.txt.gz"]
    for bad in ([], ["Ukraine"], ["../x"]):
        with pytest.raises(ConfigurationError):
            dump_names(bad)


def test_a_download_is_checked_built_and_recorded(server, tmp_path):
    url, files = server
    files.content["UA.zip"] = zipped(UA_ROWS)
    seen: list[tuple[str, int, int | None]] = []
    store = tmp_path / "store.sqlite"
    downloads = tmp_path / "downloads"
    [dump] = download_store(
        store,
        ["UA.zip"],
        base_url=url,
        download_dir=downloads,
        progress=lambda *report: seen.append(report),
        build=tiny_build,
    )
    assert (dump.rows, dump.size, dump.modified) == (2, len(files.content["UA.zip"]), "Tue, 01 Dec 2026 03:00:00 GMT")
    assert seen[-1] == ("UA.zip", dump.size, dump.size)
    with Gazetteer.open(store) as gazetteer:
        assert gazetteer.lookup("Krynky")[0].place.geonameid == 2
        assert gazetteer.meta["downloads"] == dump.describe()
        assert f"sha256 {dump.sha256}" in gazetteer.meta["downloads"]
    assert list(downloads.iterdir()) == []  # built from, so no longer kept


def test_an_interrupted_download_is_resumed(server, tmp_path):
    url, files = server
    files.content["UA.zip"] = body = zipped(UA_ROWS, padding=200_000)
    files.cut_after = 50_000
    store, downloads = tmp_path / "store.sqlite", tmp_path / "downloads"
    with pytest.raises(DownloadError, match="run the command again to resume"):
        download_store(store, ["UA.zip"], base_url=url, download_dir=downloads, build=tiny_build)
    assert not store.exists()
    assert (downloads / "UA.zip.part").stat().st_size == 50_000
    [dump] = download_store(store, ["UA.zip"], base_url=url, download_dir=downloads, build=tiny_build)
    assert files.requests[-1]["Range"] == "bytes=50000-"
    assert files.requests[-1]["If-Range"] == ETAG
    assert dump.size == len(body) and dump.rows == 2
    assert store.exists()


def test_a_server_without_ranges_sends_the_file_again(server, tmp_path):
    url, files = server
    files.content["UA.zip"] = body = zipped(UA_ROWS, padding=100_000)
    files.cut_after, files.ranges = 10_000, False
    with pytest.raises(DownloadError):
        fetch(url + "UA.zip", tmp_path / "UA.zip")
    fetch(url + "UA.zip", tmp_path / "UA.zip")
    assert files.requests[-1]["Range"] == "bytes=10000-"
    assert (tmp_path / "UA.zip").read_bytes() == body
    assert not (tmp_path / "UA.zip.part").exists()


def test_a_part_answered_with_another_range_is_started_again(server, tmp_path):
    url, files = server
    files.content["UA.zip"] = body = zipped(UA_ROWS, padding=100_000)
    files.cut_after = 10_000
    with pytest.raises(DownloadError):
        fetch(url + "UA.zip", tmp_path / "UA.zip")
    files.wrong_range = True
    fetch(url + "UA.zip", tmp_path / "UA.zip")
    assert [r.get("Range") for r in files.requests] == [None, "bytes=10000-", None]
    assert (tmp_path / "UA.zip").read_bytes() == body


def test_a_part_of_a_file_that_changed_since_is_thrown_away(server, tmp_path):
    url, files = server
    files.content["UA.zip"] = zipped(UA_ROWS, padding=100_000)
    files.cut_after = 10_000
    with pytest.raises(DownloadError):
        fetch(url + "UA.zip", tmp_path / "UA.zip")
    (tmp_path / "UA.zip.part.json").write_text(json.dumps({"url": url + "UA.zip", "validator": '"v0"'}))
    fetch(url + "UA.zip", tmp_path / "UA.zip")
    assert (tmp_path / "UA.zip").read_bytes() == files.content["UA.zip"]  # sent whole, not appended


def test_a_corrupt_zip_is_refused_and_no_store_written(server, tmp_path):
    url, files = server
    good = zipped(UA_ROWS)
    files.content["UA.zip"] = good[:-30] + b"\0" * 30  # the central directory is damaged
    store = tmp_path / "store.sqlite"
    with pytest.raises(InputFormatError, match="not a zip file"):
        download_store(store, ["UA.zip"], base_url=url, download_dir=tmp_path / "d", build=tiny_build)
    assert not store.exists()
    assert list((tmp_path / "d").iterdir()) == []  # fetched afresh next time


def test_a_changed_byte_fails_the_crc(tmp_path):
    data = zipped(UA_ROWS, padding=10)  # stored: the rows stay readable, only the CRC tells
    path = tmp_path / "UA.zip"
    path.write_bytes(data.replace(b"Robotyne", b"Xobotyne", 1))
    with pytest.raises(InputFormatError, match=r"damaged archive .*CRC"):
        verify_dump(path)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1\tRobotyne\tRobotyne\t\t47.4\t35.8\tP\tPPL\tUA\n"], "expected 19 tab-separated columns, found 9"),
        ([ROW.format(id=3, name="X", lat=91, lon=0, cc="UA", pop=0)], "coordinates out of range"),
        ([ROW.format(id=3, name="Minsk", lat=53.9, lon=27.6, cc="BY", pop=0)], "not UA.zip"),
        ([], "holds no GeoNames rows"),
    ],
)
def test_a_bad_dump_is_refused(tmp_path, rows, message):
    path = tmp_path / "UA.zip"
    path.write_bytes(zipped(rows))
    with pytest.raises(InputFormatError, match=message):
        verify_dump(path)


def test_an_unreachable_server_is_one_error(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadError, match=f"cannot reach 127.0.0.1:{port}"):
        download_store(tmp_path / "s.sqlite", ["UA.zip"], base_url=f"http://127.0.0.1:{port}/", download_dir=tmp_path)


def test_a_missing_file_names_the_url(server, tmp_path):
    url, _ = server
    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch(url + "XX.zip", tmp_path / "XX.zip")


def test_a_file_url_works_as_a_mirror(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "UA.zip").write_bytes(zipped(UA_ROWS))
    [dump] = download_store(
        tmp_path / "s.sqlite", ["UA.zip"], base_url=mirror.as_uri(), download_dir=tmp_path / "d", build=tiny_build
    )
    assert dump.rows == 2
    with pytest.raises(DownloadError, match=r"XX\.zip: .*No such file"):
        fetch(mirror.as_uri() + "/XX.zip", tmp_path / "XX.zip")


def test_the_command_fails_in_one_line_when_offline(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = cli.main(
        ["gazetteer", "download", "UA", "--base-url", f"http://127.0.0.1:{port}/", "-o", str(tmp_path / "s.sqlite")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("placemap: error: cannot reach 127.0.0.1")
    assert not (tmp_path / "s.sqlite").exists()


def test_the_command_refuses_a_bad_base_url(tmp_path, capsys):
    code = cli.main(["gazetteer", "download", "UA", "--base-url", "ftp://x/", "-o", str(tmp_path / "s.sqlite")])
    assert code == 1
    assert "--base-url must be" in capsys.readouterr().err


@pytest.mark.slow
def test_the_command_builds_an_extended_store_that_info_shows(server, tmp_path, capsys, monkeypatch):
    url, files = server
    files.content["UA.zip"] = zipped(UA_ROWS)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    store = tmp_path / "s.sqlite"
    assert cli.main(["gazetteer", "download", "UA", "--base-url", url, "-o", str(store)]) == 0
    assert cli.main(["gazetteer", "info", "--gazetteer", str(store)]) == 0
    out = capsys.readouterr().out
    assert "kind: extended" in out
    assert "UA.zip: 2 rows" in out
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM places WHERE geonameid = 1").fetchone()[0] == 1


def _slow_tiny_build(target: Path, dumps) -> None:
    import time

    time.sleep(1.0)  # long enough for the other download to come while this one builds
    tiny_build(target, dumps)


def _download_when_released(store: Path, url: str, downloads: Path, barrier) -> None:
    import os

    from placemap.exc import FileBusy

    barrier.wait()
    try:
        download_store(store, ["UA.zip"], base_url=url, download_dir=downloads, build=_slow_tiny_build)
    except FileBusy:
        os._exit(3)


def test_two_downloads_into_one_store_at_once_refuse_the_second(tmp_path):
    import multiprocessing

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "UA.zip").write_bytes(zipped(UA_ROWS))
    store, downloads = tmp_path / "store.sqlite", tmp_path / "downloads"
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    args = (store, mirror.as_uri() + "/", downloads, barrier)
    workers = [context.Process(target=_download_when_released, args=args) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(worker.exitcode for worker in workers) == [0, 3]
    with Gazetteer.open(store) as gazetteer:
        assert gazetteer.lookup("Krynky")[0].place.geonameid == 2 and "UA.zip: 2 rows" in gazetteer.meta["downloads"]
    assert list(downloads.iterdir()) == []


def test_a_download_over_a_store_with_added_places_says_they_are_dropped(tiny_store, tmp_path):
    from placemap.gazetteer.build import DROPPED_KEY, add_places

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "UA.zip").write_bytes(zipped(UA_ROWS))
    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    places = tmp_path / "mine.csv"
    places.write_text("name,lat,lon\nCheckpoint 7,48.1,37.7\n", encoding="utf-8")
    add_places(store, places)
    download_store(store, ["UA.zip"], base_url=mirror.as_uri() + "/", download_dir=tmp_path / "d", build=tiny_build)
    with Gazetteer.open(store) as gazetteer:
        assert gazetteer.meta[DROPPED_KEY] == "mine.csv: 1 rows\n" and not gazetteer.lookup("Checkpoint 7")
