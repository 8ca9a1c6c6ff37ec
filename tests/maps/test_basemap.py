from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import shapely

from placemap.maps import BaseMap, basemap_from_gazetteer


def test_basemap_simplifies_and_labels(areas) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["Big <land>", "Small"], "kind": ["country", "admin1"], "country_code": ["XX", "XX"]},
        geometry=[shapely.box(0, 0, 20, 20).buffer(1, quad_segs=64), shapely.box(30, 30, 31, 31)],
        crs="EPSG:4326",
    )
    element = BaseMap(frame)
    data = json.loads(element.features_js)
    big, small = data["features"]
    assert big["properties"]["name"] == "Big &lt;land&gt;"
    assert big["properties"]["label_zoom"] == 3 and small["properties"]["label_zoom"] == 7
    assert len(big["geometry"]["coordinates"][0]) < 100  # simplified
    assert not re.search(r"\d\.\d{4,}", element.features_js)
    m = folium.Map(tiles=None)
    element.add_to(m)
    assert "interactive: false" in m.get_root().render()


def test_basemap_from_a_gazetteer(tiny_gazetteer) -> None:
    frame = basemap_from_gazetteer(tiny_gazetteer)
    assert list(frame.columns) == ["name", "kind", "country_code", "geometry"]
    assert frame.crs.to_epsg() == 4326  # the tiny store has no areas: an empty but valid frame
