"""Every command but ``gazetteer download`` runs with the network blocked (the session's socket guard,
``conftest.py``)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from placemap.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"


def test_the_guard_blocks_other_machines(network_attempts):
    before = len(network_attempts)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("example.com", 80), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("93.184.215.14", 80))
    assert network_attempts[before:] == ["example.com", "93.184.215.14"]
    del network_attempts[before:]


def test_every_command_runs_without_the_network(capsys, network_attempts, tiny_store, tmp_path):
    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    text = tmp_path / "a.txt"
    text.write_text("KYIV, March 2 – Shelling hit Kyiv overnight, and talks resumed in Brest.", encoding="utf-8")
    places = tmp_path / "places.csv"
    places.write_text("name,lat,lon\nCheckpoint 7,48.1,37.7\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g", "text": "Talks in Brest.", "toponyms": [{"start": 9, "end": 14}]}) + "\n")
    table = tmp_path / "events.csv"
    table.write_text("date,category,location,country\n2022-03-01,talks,Brest,BY\n", encoding="utf-8")
    saved = tmp_path / "out.jsonl"
    g = ["--gazetteer", str(store)]
    commands = [
        ["geocode", "Kyiv", *g],
        ["gazetteer", "info", *g],
        ["gazetteer", "add", str(places), *g],
        ["geoparse", str(text), "-o", str(saved), *g],
        ["map", str(saved), str(table), "-o", str(tmp_path / "m.html"), "--csv", str(tmp_path / "m.csv"), *g],
        ["map", str(text), "-o", str(tmp_path / "o.html"), "--offline", "--geojson", str(tmp_path / "o.geojson"), *g],
        ["eval", str(gold), *g],
        ["eval", str(gold), "--system", str(saved), *g],
    ]
    if EXAMPLES.is_dir():
        commands.append(["demo", "--input", str(EXAMPLES), "--output-dir", str(tmp_path / "demo"), *g])
    for argv in commands:
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 0, (argv, err)
    assert network_attempts == []
