from __future__ import annotations

import folium
import pytest
from folium.plugins import AntPath

from placemap.exc import ConfigurationError
from placemap.maps.offline import asset_text, inline_assets


def test_assets_are_verified_and_self_contained() -> None:
    css = asset_text("leaflet.css")
    assert "data:image/png;base64," in css and "images/" not in css
    js = asset_text("leaflet.js")
    assert js.startswith("/* @preserve") and "1.9.3" in js[:200]
    with pytest.raises(ConfigurationError):
        asset_text("jquery.js")


def test_inline_replaces_every_default_link() -> None:
    m = folium.Map(tiles=None)
    inline_assets(m)
    html = m.get_root().render()
    assert "cdn.jsdelivr" not in html and "jquery" not in html.lower() and "bootstrap" not in html.lower()
    assert "L.map(" in html


def test_plugins_that_are_not_vendored_are_refused() -> None:
    m = folium.Map(tiles=None)
    AntPath([[0, 0], [1, 1]]).add_to(m)
    with pytest.raises(ConfigurationError, match="AntPath"):
        inline_assets(m)
