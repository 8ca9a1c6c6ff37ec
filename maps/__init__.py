"""Folium maps and GeoJSON export (``placemap.maps``).

Layers from geoparsed documents, a layered folium map (online or fully offline) and
standard exports (GeoJSON, GeoPackage, CSV, KML)::

    from placemap.maps import build_layers, render_map, write_geojson

    layers = build_layers(documents, gazetteer=gazetteer)
    render_map(layers, title="Ukraine", offline=True).save("map.html")
    write_geojson(layers, "events.geojson")

Needs the ``maps`` extra (folium, geopandas, pyogrio); names are imported on first use,
so ``import placemap.maps`` itself is cheap. Only value types and the gazetteer are used
from the rest of placemap, never spaCy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "ACLED_TYPES",
    "LAYER_NAMES",
    "BaseMap",
    "CategoryLayer",
    "EventGeoJson",
    "Legend",
    "MapTitle",
    "TimeSlider",
    "basemap_from_gazetteer",
    "build_layers",
    "escape",
    "render_map",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_kml",
]

_HOMES = {
    "ACLED_TYPES": "layers",
    "LAYER_NAMES": "layers",
    "build_layers": "layers",
    "BaseMap": "basemap",
    "basemap_from_gazetteer": "basemap",
    "CategoryLayer": "category",
    "EventGeoJson": "category",
    "Legend": "legend",
    "MapTitle": "legend",
    "TimeSlider": "timeslider",
    "escape": "sanitize",
    "render_map": "render",
    "write_csv": "export",
    "write_geojson": "export",
    "write_gpkg": "export",
    "write_kml": "export",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
