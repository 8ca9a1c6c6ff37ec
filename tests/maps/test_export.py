from __future__ import annotations

import csv
import json
import re

import pyogrio
import pytest
import shapely

from placemap.maps import write_csv, write_geojson, write_gpkg
from placemap.maps.layers import COLUMNS, LAYER_NAMES


def test_geojson_follows_rfc7946(layers, tmp_path) -> None:
    path = write_geojson(layers, tmp_path / "events.geojson")
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and "crs" not in data and "name" not in data
    assert not re.search(r"\d\.\d{8,}", text)  # at most 7 decimals
    features = data["features"]
    assert len(features) == sum(len(layer) for layer in layers.values())
    talks = next(f for f in features if f["properties"]["layer"] == "talks")
    assert talks["geometry"]["coordinates"] == [28.94966, 41.01384]  # longitude first
    claim = next(f for f in features if f["properties"]["layer"] == "claim")
    ring = shapely.LinearRing(claim["geometry"]["coordinates"][0])
    assert ring.is_ccw  # exterior rings counter-clockwise
    assert set(COLUMNS) <= set(talks["properties"])


def test_geojson_keeps_raw_text(hostile_layers, hostile, tmp_path) -> None:
    data = json.loads(write_geojson(hostile_layers, tmp_path / "h.geojson").read_text(encoding="utf-8"))
    values = {v for f in data["features"] for v in f["properties"].values() if isinstance(v, str)}
    assert hostile["img"] in values and hostile["path"] in values  # data, not a page: unescaped
    assert any(hostile["script"] in v for v in values)


def test_gpkg_has_one_table_per_category(layers, tmp_path) -> None:
    path = write_gpkg(layers, tmp_path / "events.gpkg")
    tables = dict(pyogrio.list_layers(path))
    assert set(tables) == set(LAYER_NAMES)
    assert tables["corridor"] == "LineString" and tables["claim"] == "Polygon"
    shelling = pyogrio.read_dataframe(path, layer="shelling")
    assert shelling.set_index("place").loc["Kharkiv", "reports"] == 3


def test_csv_has_coordinates_and_wkt(layers, tmp_path) -> None:
    path = write_csv(layers, tmp_path / "events.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"lat", "lon", "wkt", "quote", "event_type"} <= set(rows[0])
    lviv = next(r for r in rows if r["layer"] == "refugees" and r["origin_name"] == "Lviv")
    assert lviv["wkt"].startswith("LINESTRING (24.02324 49.83826")
    assert (float(lviv["lat"]), float(lviv["lon"])) == (49.83826, 24.02324)


def test_writes_are_atomic(layers, tmp_path, monkeypatch) -> None:
    target = tmp_path / "events.geojson"
    target.write_text("old", encoding="utf-8")
    import geopandas

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(geopandas.GeoDataFrame, "to_file", broken)
    with pytest.raises(OSError):
        write_geojson(layers, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"]  # no temporary left behind
