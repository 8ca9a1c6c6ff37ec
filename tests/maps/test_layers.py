from __future__ import annotations

import numpy as np
import pytest
import shapely

from placemap.maps.examples import PLACES, make_document
from placemap.maps.layers import ACLED_TYPES, COLUMNS, LAYER_NAMES, build_layers, empty_layer
from placemap.types import CATEGORIES


def test_one_layer_per_category_and_mentioned(layers) -> None:
    assert tuple(layers) == LAYER_NAMES == (*CATEGORIES, "mentioned")
    for name, layer in layers.items():
        assert layer.crs.to_epsg() == 4326
        assert list(layer.columns) == [*COLUMNS, "geometry"]
        assert (layer["layer"] == name).all()
        assert len(layer) > 0, name


def test_geometry_kinds(layers) -> None:
    kinds = {name: set(layer.geom_type) for name, layer in layers.items()}
    assert kinds["talks"] == kinds["ceasefire"] == kinds["military"] == kinds["shelling"] == {"Point"}
    assert kinds["corridor"] == kinds["refugees"] == {"LineString"}
    assert kinds["claim"] == {"Polygon"}  # Donetsk and Luhansk, dissolved into one area


def test_properties_carry_event_place_quote_and_acled(layers, documents) -> None:
    talks = layers["talks"].iloc[0]
    document = next(d for d in documents if d.id == "istanbul-talks")
    event = document.events[0]
    assert talks["id"] == event.id and talks["doc_id"] == document.id
    assert talks["place"] == "Istanbul" and talks["admin1"] == "Istanbul"
    assert talks["country_code"] == "TR" and talks["country"] == "Türkiye"
    assert talks["quote"] == document.text[event.quote_start : event.quote_end]
    assert talks["attribution"] == "Turkish MFA" and talks["source"] == "Example Wire"
    assert (talks["event_type"], talks["sub_event_type"]) == ACLED_TYPES["talks"]
    assert layers["shelling"].iloc[0]["event_type"] == "Explosions/Remote violence"
    assert layers["shelling"].iloc[0]["sub_event_type"] == "Shelling/artillery/missile attack"
    for category in ("refugees", "claim", "military"):
        assert ACLED_TYPES[category] == ("Strategic developments", "Other")
    for category in ("talks", "ceasefire", "corridor"):
        assert ACLED_TYPES[category] == ("Strategic developments", "Agreement")


def test_shelling_is_one_row_per_event(layers) -> None:
    shelling = layers["shelling"]
    kharkiv = shelling[shelling["place"] == "Kharkiv"]
    assert list(kharkiv["date"]) == ["2022-03-01", "2022-03-02", "2022-03-07"]
    assert kharkiv["id"].is_unique and (kharkiv["reports"] == 1).all()
    assert (kharkiv["event_ids"] == kharkiv["id"]).all()
    assert shelling.set_index("place").loc["Mykolaiv", "count"] == 2


def test_a_places_shelling_reports_share_one_marker_size(layers) -> None:
    from placemap.maps.category import map_properties

    here = map_properties(layers["shelling"]).set_index("id")["here"]
    assert here["kharkiv-shelling-1#0"] == here["kharkiv-shelling-7#0"] == 3
    assert here["mykolaiv-shelling#0"] == 1
    assert map_properties(layers["corridor"])["here"].isna().sum() > 0  # lines: no stack


def test_corridor_lines_run_origin_to_destination(layers) -> None:
    corridor = layers["corridor"].set_index("status")
    line = corridor.loc["agreed", "geometry"]
    start, end = shapely.get_coordinates(line)
    assert tuple(start) == (PLACES["Mariupol"].lon, PLACES["Mariupol"].lat)
    assert tuple(end) == (PLACES["Zaporizhzhia"].lon, PLACES["Zaporizhzhia"].lat)
    assert set(corridor.index) == {"agreed", "rejected", "failed", "proposed"}


def test_line_to_a_country_ends_at_its_nearest_border_point(layers, areas) -> None:
    refugees = layers["refugees"].set_index("origin_name")
    poland = areas.area(PLACES["Poland"])
    start, end = shapely.get_coordinates(refugees.loc["Lviv", "geometry"])
    assert tuple(start) == (PLACES["Lviv"].lon, PLACES["Lviv"].lat)
    assert shapely.distance(shapely.Point(end), poland.boundary) < 1e-9
    nearest = shapely.get_coordinates(shapely.shortest_line(shapely.Point(start), poland))[1]
    np.testing.assert_allclose(end, nearest)
    assert refugees.loc["Lviv", "count"] == 2_000_000
    # Mariupol -> Russia stops at the Russian border, east of Mariupol, not in Siberia.
    rejected = layers["corridor"].set_index("status").loc["rejected", "geometry"]
    assert shapely.get_coordinates(rejected)[1][0] < 40


def test_without_gazetteer_lines_end_at_the_place_and_claims_are_points(documents) -> None:
    layers = build_layers(documents)
    lviv = layers["refugees"].set_index("origin_name").loc["Lviv", "geometry"]
    assert tuple(shapely.get_coordinates(lviv)[1]) == (PLACES["Poland"].lon, PLACES["Poland"].lat)
    assert set(layers["claim"].geom_type) == {"Point"}
    assert layers["talks"].iloc[0]["country"] == "TR"  # no names without a gazetteer


def test_mentioned_are_places_no_event_uses(layers) -> None:
    assert sorted(layers["mentioned"]["place"]) == ["Kyiv", "Moscow"]
    assert "Kyiv" in layers["mentioned"].set_index("place").loc["Kyiv", "quote"]


def test_event_coordinates_win_over_the_place(areas) -> None:
    document = make_document(
        "d",
        "Shelling near Kharkiv.",
        [{"category": "shelling", "status": "reported", "location": "Kharkiv", "lat": 50.1, "lon": 36.5}],
        published="2022-03-01",
    )
    point = build_layers([document], gazetteer=areas)["shelling"].geometry.iloc[0]
    assert (point.x, point.y) == (36.5, 50.1)


def test_unlocated_events_are_counted_not_drawn() -> None:
    document = make_document("d", "Talks were held somewhere.", [{"category": "talks", "status": "reported"}])
    layer = build_layers([document])["talks"]
    assert layer.empty and layer.attrs["unlocated"] == 1


def test_empty_input_gives_empty_layers() -> None:
    layers = build_layers([])
    assert all(layer.empty for layer in layers.values())
    assert list(empty_layer("talks").columns) == [*COLUMNS, "geometry"]


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_survives_alone(category: str, areas) -> None:
    spec = {"category": category, "status": "reported"}
    if category in ("corridor", "refugees"):
        spec |= {"origin": "Kharkiv", "destination": "Poland"}
    elif category == "claim":
        spec |= {"areas": ["Donetsk"]}
    else:
        spec |= {"location": "Kharkiv"}
    document = make_document("d", "From Kharkiv to Poland, Donetsk.", [spec], published="2022-03-01")
    layer = build_layers([document], gazetteer=areas)[category]
    assert len(layer) == 1 and layer.geometry.is_valid.all()


def test_zero_length_corridor_is_a_point_with_a_note() -> None:
    text = "A corridor from Mariupol to Mariupol's outskirts, and one from Kharkiv to Lviv."
    document = make_document(
        "loop",
        text,
        [
            {"category": "corridor", "status": "proposed", "origin": "Mariupol", "destination": "Mariupol"},
            {"category": "corridor", "status": "agreed", "origin": "Kharkiv", "destination": "Lviv"},
        ],
    )
    corridor = build_layers([document])["corridor"]
    assert list(corridor.geom_type) == ["Point", "LineString"]
    assert corridor.geometry.is_valid.all()
    assert corridor.iloc[0]["note"] == "origin and destination are the same place"
    assert corridor.geometry.iloc[0].equals(shapely.Point(PLACES["Mariupol"].lon, PLACES["Mariupol"].lat))
    assert corridor["note"].isna().iloc[1]
