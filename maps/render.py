"""``render_map``: layers in, a ``folium.Map`` out, online or fully offline.

The map has one toggleable layer per category (one GeoJSON layer each, so 10,000 events
stay light), a layer control, a legend, a title with the "as of" date, popups and
tooltips built from escaped text, a time slider when the events span more than a day,
and a view fitted to the data. Online it draws on OpenStreetMap tiles; offline
(``offline=True``) on a base map of country polygons with Leaflet inlined, so the page
needs no network at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import folium
from folium.map import CustomPane

from .category import CategoryLayer
from .eventlist import EventList
from .labels import PlaceLabels, place_labels
from .layers import LAYER_NAMES
from .layout import FitView, PageLayout
from .legend import Legend, MapTitle
from .offline import inline_assets, online_assets
from .style import CATEGORY_STYLES
from .timeslider import TimeSlider, event_days

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["PANES", "render_map"]

#: Leaflet panes (name -> z-index): the base map under everything, then areas, lines,
#: points. Leaflet's own overlay pane is 400, markers 600, tooltips 650.
PANES = {
    "pm-base": 250,
    "pm-labels": 260,
    "pm-areas": 405,
    "pm-lines": 410,
    "pm-mentioned": 415,
    "pm-points": 420,
    "pm-place-labels": 430,
}
_PASSIVE_PANES = ("pm-base", "pm-labels", "pm-place-labels")
_KIND_PANE = {"area": "pm-areas", "line": "pm-lines", "point": "pm-points"}


def render_map(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    title: str = "placemap",
    as_of: str | None = None,
    offline: bool = False,
    basemap: gpd.GeoDataFrame | None = None,
    gazetteer: Any = None,
    time_slider: bool | None = None,
    event_list: bool = True,
    width: str = "100%",
    height: str = "100%",
) -> folium.Map:
    """Draw layers from :func:`placemap.maps.build_layers` on a folium map.

    Parameters
    ----------
    layers : Mapping[str, geopandas.GeoDataFrame]
        Layers by name (any of ``LAYER_NAMES``; others are refused).
    title : str
        Shown at the top of the map (escaped).
    as_of : str, optional
        The "as of" date under the title; the latest event date by default.
    offline : bool
        No tiles and no network: Leaflet is inlined and ``basemap`` is drawn instead.
    basemap : geopandas.GeoDataFrame, optional
        Country (and admin-1) polygons for the offline backdrop, as from
        :func:`placemap.maps.basemap_from_gazetteer`. Also drawn online when given.
    gazetteer : placemap.gazetteer.Gazetteer, optional
        Offline and without ``basemap``: draw its countries, and the admin-1 units of the
        countries the events are in.
    time_slider : bool, optional
        Add the slider; by default only when the events span more than one day.
    event_list : bool
        Add the event list panel beside the map (the slider then sits in it).
    width, height : str
        Size of the map in the page.

    Returns
    -------
    folium.Map
        Save it with ``.save(path)`` or read its page with ``.get_root().render()``.
    """
    unknown = set(layers) - set(LAYER_NAMES)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}; expected some of {', '.join(LAYER_NAMES)}")
    if offline and basemap is None and gazetteer is not None:
        from .basemap import basemap_from_gazetteer

        basemap = basemap_from_gazetteer(gazetteer, admin1_countries=_event_countries(layers))
    m = folium.Map(tiles=None, width=width, height=height, control_scale=True, zoom_snap=0.5, world_copy_jump=True)
    m.options["max_zoom"] = 18  # with no tile layer Leaflet knows none; the shelling clusters need one
    for name, z_index in PANES.items():
        m.add_child(CustomPane(name, z_index=z_index, pointer_events=name not in _PASSIVE_PANES))
    m.add_child(FitView(_bounds(layers), max_zoom=9))  # before the layers: drawn once, at this view
    if not offline:
        folium.TileLayer("OpenStreetMap", control=False).add_to(m)
    if basemap is not None and len(basemap):
        from .basemap import BaseMap

        m.add_child(BaseMap(basemap, pane="pm-base", label_pane="pm-labels"))
    for name in LAYER_NAMES:
        if name in layers:
            kind = CATEGORY_STYLES[name][2]
            pane = "pm-mentioned" if name == "mentioned" else _KIND_PANE[kind]
            m.add_child(CategoryLayer(layers[name], name, pane=pane))
    if offline:
        skip = basemap.loc[basemap["kind"] == "country", "name"] if basemap is not None and len(basemap) else ()
        m.add_child(PlaceLabels(place_labels(layers, skip=skip)))
    days = event_days(layer for name, layer in layers.items() if name != "mentioned")
    m.add_child(MapTitle(title, as_of if as_of is not None else (days[-1] if days else None)))
    m.add_child(Legend(statuses=_corridor_statuses(layers)))
    if event_list:
        m.add_child(EventList())
    if days and (time_slider or (time_slider is None and len(days) > 1)):
        m.add_child(TimeSlider(days))
    m.add_child(folium.LayerControl(collapsed=False, position="topright"))
    m.add_child(PageLayout(title))
    if offline:
        inline_assets(m)
    else:
        online_assets(m)
    return m


def _event_countries(layers: Mapping[str, Any]) -> list[str]:
    codes: set[str] = set()
    for name, layer in layers.items():
        if name != "mentioned" and not layer.empty:
            codes.update(layer["country_code"].dropna().astype(str))
    return sorted(code for code in codes if code)


def _corridor_statuses(layers: Mapping[str, Any]) -> list[str] | None:
    corridor = layers.get("corridor")
    if corridor is None or corridor.empty:
        return None
    return list(corridor["status"].dropna().unique())


def _bounds(layers: Mapping[str, Any]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the events (of the mentioned places when there
    are none; most of the world when there is nothing)."""
    import numpy as np

    frames = [layer for name, layer in layers.items() if name != "mentioned" and not layer.empty]
    if not frames and "mentioned" in layers and not layers["mentioned"].empty:
        frames = [layers["mentioned"]]
    if not frames:
        return [[-50.0, -150.0], [70.0, 160.0]]
    bounds = np.array([frame.total_bounds for frame in frames])
    west, south = bounds[:, 0].min(), bounds[:, 1].min()
    east, north = bounds[:, 2].max(), bounds[:, 3].max()
    return [[float(south), float(west)], [float(north), float(east)]]
