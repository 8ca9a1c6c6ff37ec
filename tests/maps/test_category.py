from __future__ import annotations

import json
import re

import folium
import pytest

from placemap.maps import CategoryLayer, EventGeoJson
from placemap.maps.category import MAP_PROPERTIES, feature_collection_js, map_properties


def test_layer_adds_to_a_users_own_map(layers) -> None:
    m = folium.Map()
    CategoryLayer(layers["shelling"], "shelling").add_to(m)
    CategoryLayer(layers["corridor"], "corridor").add_to(m)
    folium.LayerControl().add_to(m)
    html = m.get_root().render()
    assert html.count("window.placemap = ") == 1  # shared style and helpers, once
    assert html.count('<svg width="0" height="0"') == 1
    assert "Shelling" in html and "Evacuation corridors" in html


def test_map_properties_escape_and_label_flows(hostile_layers) -> None:
    shelling = map_properties(hostile_layers["shelling"])
    assert list(shelling.columns) == list(MAP_PROPERTIES)
    assert all("<" not in value for value in shelling["place"])
    corridor = map_properties(hostile_layers["corridor"])
    assert corridor["label"].iloc[0] == "Mariupol → Tricky"


def test_feature_collection_is_geojson_with_rounded_coordinates(layers) -> None:
    layer = layers["refugees"]
    text = feature_collection_js(map_properties(layer), layer.geometry.to_numpy())
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(layer)
    assert data["features"][0]["geometry"]["type"] == "LineString"
    assert data["features"][0]["properties"]["count"] == 2_000_000
    assert not re.search(r"\d\.\d{6,}", text)


def test_one_leaflet_layer_for_many_features(layers) -> None:
    m = folium.Map()
    layer = CategoryLayer(layers["corridor"], "corridor")
    layer.add_to(m)
    html = m.get_root().render()
    assert html.count("L.geoJson(") == 1 and html.count("L.circleMarker(") == 1  # the helper, not per feature
    assert layer.geojson.size == 4


def test_bad_arguments(layers) -> None:
    with pytest.raises(ValueError, match="unknown layer"):
        CategoryLayer(layers["talks"], "parade")
    with pytest.raises(TypeError):
        EventGeoJson({"type": "FeatureCollection"}, "talks")


def test_feature_collection_survives_unusual_line_breaks(layers) -> None:
    layer = layers["talks"].copy()
    layer["quote"] = "next\x85line\x1cfile\u2028sep"
    data = json.loads(feature_collection_js(map_properties(layer), layer.geometry.to_numpy()))
    assert data["features"][0]["properties"]["quote"] == "next\x85linefile&#x2028;sep"
