"""Self-contained pages: swap folium's CDN links for the vendored assets, inlined.

``maps/assets/`` holds Leaflet's minified JS/CSS, the two images its CSS uses and its
licence, copied from the npm package by ``scripts/vendor_map_assets.py`` at the version
folium 0.20 links to, and likewise Leaflet.markercluster (the shelling layer's clusters).
``MANIFEST.json`` pins the SHA-256 of each file; a copy that does
not match is refused.

Folium's other defaults (jQuery, Bootstrap, Font Awesome, awesome-markers) are dropped,
online and offline: placemap uses no ``Icon`` and no Bootstrap markup.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from folium.elements import JSCSSMixin

from placemap.exc import ConfigurationError

from .style import RawHTML

__all__ = [
    "LEAFLET_VERSION",
    "MARKERCLUSTER_CSS",
    "MARKERCLUSTER_JS",
    "MARKERCLUSTER_VERSION",
    "asset_text",
    "inline_assets",
    "online_assets",
]

LEAFLET_VERSION = "1.9.3"
MARKERCLUSTER_VERSION = "1.5.3"
_CDN = "https://cdn.jsdelivr.net/npm"
#: What folium 0.20 itself links to, kept for online pages.
ONLINE_JS = [("leaflet", f"{_CDN}/leaflet@{LEAFLET_VERSION}/dist/leaflet.js")]
ONLINE_CSS = [("leaflet_css", f"{_CDN}/leaflet@{LEAFLET_VERSION}/dist/leaflet.css")]
#: Leaflet.markercluster's links (``JSCSSMixin`` style), the same files as the vendored copies.
_MARKERCLUSTER = f"{_CDN}/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist"
MARKERCLUSTER_JS = [("leaflet.markercluster", f"{_MARKERCLUSTER}/leaflet.markercluster.js")]
MARKERCLUSTER_CSS = [
    ("markercluster_css", f"{_MARKERCLUSTER}/MarkerCluster.css"),
    ("markercluster_default_css", f"{_MARKERCLUSTER}/MarkerCluster.Default.css"),
]
#: CDN link -> vendored asset: what ``inline_assets`` can inline for a plugin element.
VENDORED = {url: url.rsplit("/", 1)[1] for _, url in (*MARKERCLUSTER_JS, *MARKERCLUSTER_CSS)}


def _assets() -> Any:
    return resources.files("placemap.maps").joinpath("assets")


@cache
def _manifest() -> dict[str, str]:
    data = json.loads(_assets().joinpath("MANIFEST.json").read_text(encoding="utf-8"))
    return {name: digest for package in data["packages"].values() for name, digest in package["files"].items()}


def _asset_bytes(name: str) -> bytes:
    expected = _manifest().get(name)
    if expected is None:
        raise ConfigurationError(f"{name} is not a vendored map asset")
    data = _assets().joinpath(name).read_bytes()
    if hashlib.sha256(data).hexdigest() != expected:
        raise ConfigurationError(f"maps/assets/{name} differs from its pinned copy; rerun scripts/vendor_map_assets.py")
    return data


@cache
def asset_text(name: str) -> str:
    """A vendored asset's text, checked against the manifest; CSS images become data URIs."""
    text = _asset_bytes(name).decode("utf-8")
    if name.endswith(".css"):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
        text = re.sub(r"url\((images/[\w.-]+\.png)\)", _data_uri, text)
    # An inline <script> or <style> ends at the first "</": keep that sequence out.
    return text.replace("</", "<\\/")


def _data_uri(match: re.Match[str]) -> str:
    name = match.group(1)
    if name not in _manifest():
        return "none"  # e.g. marker-icon.png: only folium's default Marker uses it
    return "url(data:image/png;base64," + base64.b64encode(_asset_bytes(name)).decode("ascii") + ")"


def _walk(element: Any) -> Any:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def online_assets(m: Any) -> None:
    """Keep only Leaflet from the CDN folium uses (no jQuery, Bootstrap or Font Awesome)."""
    m.default_js = list(ONLINE_JS)
    m.default_css = list(ONLINE_CSS)


def inline_assets(m: Any) -> None:
    """Make ``m``'s page self-contained: Leaflet and vendored plugins inlined, every CDN
    link removed.

    Raises ``ConfigurationError`` when an element on the map needs a plugin that is not
    vendored (its links cannot be inlined).
    """
    m.default_js, m.default_css = [], []
    plugins = [e for e in _walk(m) if isinstance(e, JSCSSMixin) and e is not m]
    links = [(e, url) for e in plugins for _, url in (*e.default_js, *e.default_css)]
    foreign = [f"{type(e).__name__}: {url}" for e, url in links if url not in VENDORED]
    if foreign:
        raise ConfigurationError("these elements need assets that are not vendored: " + "; ".join(foreign))
    header = m.get_root().header
    header.add_child(RawHTML("<style>" + asset_text("leaflet.css") + "</style>"), name="leaflet_css")
    header.add_child(RawHTML("<script>" + asset_text("leaflet.js") + "</script>"), name="leaflet")
    for e in plugins:
        for name, url in e.default_css:
            header.add_child(RawHTML("<style>" + asset_text(VENDORED[url]) + "</style>"), name=name)
        for name, url in e.default_js:
            header.add_child(RawHTML("<script>" + asset_text(VENDORED[url]) + "</script>"), name=name)
        e.default_js, e.default_css = [], []  # inlined above; the element links nothing now
