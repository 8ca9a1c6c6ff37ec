"""The shelling layer's clusters (Leaflet.markercluster): one GeoJSON layer still, its
points put into one ``L.markerClusterGroup``, the plugin linked online and inlined offline."""

from __future__ import annotations

import re

import folium
import pytest

from placemap.maps import CategoryLayer, EventGeoJson, render_map
from placemap.maps.offline import MARKERCLUSTER_CSS, MARKERCLUSTER_JS, asset_text


def test_vendored_plugin_is_verified() -> None:
    js = asset_text("leaflet.markercluster.js")
    assert "L.MarkerClusterGroup=L.FeatureGroup.extend" in js and "</" not in js
    assert ".marker-cluster-small" in asset_text("MarkerCluster.Default.css")
    assert ".leaflet-cluster-anim" in asset_text("MarkerCluster.css")


def test_offline_inlines_the_plugin(layers) -> None:
    html = render_map(layers, title="T", offline=True).get_root().render()
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=", html)
    assert "markercluster" not in " ".join(re.findall(r"https?://[^\s\"'<>)\\]+", html))
    assert html.count("L.MarkerClusterGroup=L.FeatureGroup.extend") == 1
    assert "rgba(181, 226, 140, 0.6)" in html and ".leaflet-cluster-anim .leaflet-marker-icon" in html  # both CSS files
    # Leaflet first, then the plugin, then the map script that uses both.
    assert html.index("Leaflet 1.9.3") < html.index("L.MarkerClusterGroup=") < html.index("L.markerClusterGroup({")


def test_only_shelling_clusters(layers) -> None:
    html = render_map(layers, title="T").get_root().render()
    assert re.findall(r'placemap\.cluster\("(\w+)"', html) == ["shelling"]
    assert html.count("= L.geoJson(null") == len(layers)  # still one GeoJSON layer per category
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert {url for _, url in (*MARKERCLUSTER_JS, *MARKERCLUSTER_CSS)} <= set(links)


def test_cluster_option(layers) -> None:
    m = folium.Map()
    CategoryLayer(layers["talks"], "talks", cluster=True).add_to(m)
    CategoryLayer(layers["shelling"], "shelling", cluster=False).add_to(m)
    html = m.get_root().render()
    assert re.findall(r'placemap\.cluster\("(\w+)"', html) == ["talks"]
    assert html.count("leaflet.markercluster.js") == 1
    with pytest.raises(ValueError, match="only point layers"):
        EventGeoJson(layers["corridor"], "corridor", cluster=True)
