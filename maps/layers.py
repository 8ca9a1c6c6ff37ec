"""Events and mentions as one GeoDataFrame per map layer.

``build_layers(documents)`` returns ``{name: GeoDataFrame}`` for the seven event categories
(``talks``, ``shelling``, ``corridor``, ``claim``, ``refugees``, ``ceasefire``,
``military``) and ``mentioned`` (places a document names but no event uses), in EPSG:4326:

- points for located events (talks venues, shelling, ceasefires, military presence), one
  row per event like every other category (the map draws the shelling reports at one
  place as one marker, sized by their number);
- lines origin → destination for corridors and refugee flows; when the destination is a
  country, the line ends where that country's polygon is nearest to the origin (a flow
  "to Poland" ends at the border, not in Warsaw's suburbs); a point when only one end is
  known;
- the claimed areas' polygons for claims (a point when no polygon is known).

Each row carries every ``Event`` field plus ``doc_id``, the place's name, admin-1 and
country, the quoted sentence (raw text: escaping is the renderer's job), the attribution,
the source, and ACLED's ``event_type`` / ``sub_event_type``. Geometry is built with
shapely's array functions; events without any coordinates are left out and counted in
``layer.attrs["unlocated"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from placemap.sentences import sentence_around
from placemap.types import ACLED_TYPES, CATEGORIES, Document, Event, Place

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["ACLED_TYPES", "COLUMNS", "LAYER_NAMES", "AreaSource", "build_layers", "empty_layer"]

#: Layer names, in the order of the layer control: the event categories, then mentions.
LAYER_NAMES = (*CATEGORIES, "mentioned")

_EVENT_FIELDS = (
    "id",
    "doc_id",
    "category",
    "status",
    "date",
    "time_precision",
    "geo_precision",
    "quote_start",
    "quote_end",
    "location",
    "origin",
    "destination",
    "areas",
    "attribution",
    "lat",
    "lon",
    "count",
)
#: Columns of every layer, in order (``geometry`` comes last).
COLUMNS = (
    "layer",
    *_EVENT_FIELDS,
    "place",
    "geonameid",
    "admin1",
    "country_code",
    "country",
    "origin_name",
    "destination_name",
    "quote",
    "source",
    "published",
    "event_type",
    "sub_event_type",
    "reports",
    "date_first",
    "event_ids",
    "note",
)
_INT_COLUMNS = (
    "time_precision",
    "geo_precision",
    "quote_start",
    "quote_end",
    "location",
    "origin",
    "destination",
    "count",
    "geonameid",
    "reports",
)
_LINE_CATEGORIES = ("corridor", "refugees")


class AreaSource(Protocol):
    """Anything with ``area(place) -> shapely geometry | None``, such as a ``Gazetteer``."""

    def area(self, place: Place) -> Any: ...


def build_layers(documents: Sequence[Document], *, gazetteer: AreaSource | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Build one GeoDataFrame per layer from geoparsed documents.

    Parameters
    ----------
    documents : Sequence[Document]
        Documents with their toponyms and events.
    gazetteer : AreaSource, optional
        Gives area polygons (claims, country destinations) and country names. Without
        it, claims fall back to points and flows end at the destination's point.

    Returns
    -------
    dict[str, geopandas.GeoDataFrame]
        Keys are :data:`LAYER_NAMES`, each an EPSG:4326 frame with :data:`COLUMNS`.
    """
    import pandas as pd

    areas = _AreaCache(gazetteer)
    rows, places = _event_rows(documents, areas)
    table = pd.DataFrame(rows, columns=[*COLUMNS, *_HIDDEN])
    layers = {}
    for category in CATEGORIES:
        subset = table[table["category"] == category].reset_index(drop=True)
        subset_places = [places[i] for i in table.index[table["category"] == category]]
        if category in _LINE_CATEGORIES:
            layers[category] = _flow_layer(subset, subset_places, areas, category)
        elif category == "claim":
            layers[category] = _claim_layer(subset, subset_places, areas)
        else:
            layers[category] = _point_layer(subset, category)
    layers["mentioned"] = _mentioned_layer(documents, areas)
    return layers


def empty_layer(name: str) -> gpd.GeoDataFrame:
    """An empty layer with the standard columns."""
    import pandas as pd

    return _finish(pd.DataFrame(columns=[*COLUMNS, *_HIDDEN]), np.array([], dtype=object), name)


# -- rows ---------------------------------------------------------------------------------
#: Working columns dropped before a layer is returned: the (lon, lat) of the event's point
#: and of its origin and destination, and the key a mentioned place is grouped by.
_HIDDEN = ("_x", "_y", "_ox", "_oy", "_dx", "_dy", "_key")


class _AreaCache:
    """Area polygons and country names from the gazetteer, looked up once per place."""

    def __init__(self, gazetteer: AreaSource | None) -> None:
        self.gazetteer = gazetteer
        self._areas: dict[Any, Any] = {}
        self._countries: dict[str, str] = {}

    def area(self, place: Place | None) -> Any:
        if place is None or self.gazetteer is None:
            return None
        key = place.geonameid if place.geonameid is not None else (place.name, place.lat, place.lon)
        if key not in self._areas:
            self._areas[key] = self.gazetteer.area(place)
        return self._areas[key]

    def country_name(self, code: str) -> str:
        if not code:
            return ""
        if code not in self._countries:
            lookup = getattr(self.gazetteer, "country", None)
            place = lookup(code) if lookup is not None else None
            self._countries[code] = place.name if place is not None else code
        return self._countries[code]


def _place(document: Document, index: int | None) -> Place | None:
    if index is None or not 0 <= index < len(document.toponyms):
        return None
    return document.toponyms[index].place


def _xy(place: Place | None) -> tuple[float, float]:
    return (place.lon, place.lat) if place is not None else (np.nan, np.nan)


def _event_rows(documents: Sequence[Document], areas: _AreaCache) -> tuple[list[tuple[Any, ...]], list[Any]]:
    """One tuple per event in ``COLUMNS + _HIDDEN`` order, and its (location, origin,
    destination, area places) for the geometry step."""
    rows: list[tuple[Any, ...]] = []
    places: list[Any] = []
    for document in documents:
        for event in document.events:
            location, origin, destination = (
                _place(document, event.location),
                _place(document, event.origin),
                _place(document, event.destination),
            )
            area_places = tuple(p for p in (_place(document, i) for i in event.areas) if p is not None)
            rows.append(_event_row(document, event, location, origin, destination, area_places, areas))
            places.append((location, origin, destination, area_places))
    return rows, places


def _event_row(
    document: Document,
    event: Event,
    location: Place | None,
    origin: Place | None,
    destination: Place | None,
    area_places: tuple[Place, ...],
    areas: _AreaCache,
) -> tuple[Any, ...]:
    main = location or origin or destination or (area_places[0] if area_places else None)
    if event.lat is not None:
        x, y = event.lon, event.lat
    else:
        x, y = _xy(location or origin or destination or (area_places[0] if area_places else None))
    event_type, sub_event_type = ACLED_TYPES[event.category]
    country_code = main.country_code if main is not None else ""
    return (
        event.category,
        *(getattr(event, name) for name in _EVENT_FIELDS[:12]),
        ",".join(str(i) for i in event.areas),
        event.attribution,
        event.lat,
        event.lon,
        event.count,
        main.name if main is not None else None,
        main.geonameid if main is not None else None,
        (main.admin1_name or main.admin1_code) if main is not None else None,
        country_code,
        areas.country_name(country_code),
        origin.name if origin is not None else None,
        destination.name if destination is not None else None,
        document.text[event.quote_start : event.quote_end],
        document.source,
        document.published,
        event_type,
        sub_event_type,
        1,
        event.date,
        event.id,
        None,
        x,
        y,
        *_xy(origin),
        *_xy(destination),
        None,  # _key: only mentioned places are grouped by place
    )


# -- layers -------------------------------------------------------------------------------
def _finish(table: Any, geometry: Any, name: str, *, unlocated: int = 0) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    table = table.drop(columns=[c for c in _HIDDEN if c in table.columns]).reset_index(drop=True)
    table["layer"] = name
    for column in _INT_COLUMNS:
        table[column] = pd.array(table[column], dtype="Int64")
    for column in ("lat", "lon"):
        table[column] = table[column].astype(float)
    layer = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")
    layer.attrs["unlocated"] = unlocated
    return layer


def _points(table: Any) -> Any:
    import shapely

    return shapely.points(table["_x"].to_numpy(float), table["_y"].to_numpy(float))


def _located(table: Any) -> Any:
    return table["_x"].notna().to_numpy()


def _point_layer(table: Any, name: str) -> gpd.GeoDataFrame:
    located = _located(table)
    kept = table[located]
    return _finish(kept, _points(kept), name, unlocated=int((~located).sum()))


def _flow_layer(table: Any, places: list[Any], areas: _AreaCache, name: str) -> gpd.GeoDataFrame:
    """Lines origin → destination where both are known, else points."""
    import shapely

    both = (table["_ox"].notna() & table["_dx"].notna()).to_numpy()
    # Origin and destination at one point ("from Ukraine to Ukraine") make no line: a point,
    # with a note saying why, where a zero-length line would be invalid.
    same = both & (table["_ox"] == table["_dx"]).to_numpy() & (table["_oy"] == table["_dy"]).to_numpy()
    if same.any():
        table = table.copy()
        table.loc[same, "note"] = "origin and destination are the same place"
    both = both & ~same
    located = both | _located(table)
    geometry = np.full(len(table), None, dtype=object)
    geometry[~both] = _points(table[~both])
    if both.any():
        origins = shapely.points(table.loc[both, ["_ox", "_oy"]].to_numpy(float))
        ends = shapely.points(table.loc[both, ["_dx", "_dy"]].to_numpy(float))
        destinations = [p[2] for p, keep in zip(places, both, strict=True) if keep]
        borders = np.full(len(destinations), None, dtype=object)
        borders[:] = [areas.area(p) if p is not None and p.is_country else None for p in destinations]
        ends = _nearest_on(origins, borders, ends)
        coords = np.stack([shapely.get_coordinates(origins), shapely.get_coordinates(ends)], axis=1)
        geometry[both] = shapely.linestrings(coords)
    return _finish(table[located], geometry[located], name, unlocated=int((~located).sum()))


def _nearest_on(origins: Any, polygons: Any, fallback: Any) -> Any:
    """The point of each polygon nearest its origin; ``fallback`` where there is no polygon
    or the origin lies inside it."""
    import shapely

    has = ~shapely.is_missing(polygons)
    result = fallback.copy()
    if has.any():
        lines = shapely.shortest_line(origins[has], polygons[has])
        inside = shapely.length(lines) == 0
        nearest = shapely.get_point(lines, 1)
        result[np.flatnonzero(has)[~inside]] = nearest[~inside]
    return result


def _claim_layer(table: Any, places: list[Any], areas: _AreaCache) -> gpd.GeoDataFrame:
    """The union of each claim's area polygons (its location's area when it lists none)."""
    import geopandas as gpd
    import shapely

    pieces, owners = [], []
    for row, (location, _origin, _destination, area_places) in enumerate(places):
        for place in area_places or ((location,) if location is not None else ()):
            geometry = areas.area(place)
            if geometry is not None:
                pieces.append(geometry)
                owners.append(row)
    geometry = np.full(len(table), None, dtype=object)
    if pieces:
        merged = gpd.GeoDataFrame({"row": owners}, geometry=pieces).dissolve(by="row")
        geometry[merged.index.to_numpy()] = merged.geometry.to_numpy()
    has_area = ~shapely.is_missing(geometry)
    point_rows = ~has_area & _located(table)
    geometry[point_rows] = _points(table[point_rows])
    located = has_area | point_rows
    return _finish(table[located], geometry[located], "claim", unlocated=int((~located).sum()))


def _mentioned_layer(documents: Sequence[Document], areas: _AreaCache) -> gpd.GeoDataFrame:
    """Places that documents name but no event uses, one row per place."""
    import pandas as pd

    rows = []
    for document in documents:
        used = {i for e in document.events for i in (e.location, e.origin, e.destination, *e.areas) if i is not None}
        for index, toponym in enumerate(document.toponyms):
            place = toponym.place
            if place is None or index in used:
                continue
            key = str(place.geonameid) if place.geonameid is not None else f"{place.name}|{place.lat}|{place.lon}"
            start, end = sentence_around(document.text, toponym.mention.start, toponym.mention.end)
            rows.append(
                {
                    "doc_id": document.id,
                    "place": place.name,
                    "geonameid": place.geonameid,
                    "admin1": place.admin1_name or place.admin1_code,
                    "country_code": place.country_code,
                    "country": areas.country_name(place.country_code),
                    "quote": document.text[start:end],
                    "quote_start": start,
                    "quote_end": end,
                    "source": document.source,
                    "published": document.published,
                    "date": document.published,
                    "_x": place.lon,
                    "_y": place.lat,
                    "_key": key,
                }
            )
    table = pd.DataFrame(rows, columns=[*COLUMNS, *_HIDDEN])
    if len(table):
        groups = table.groupby("_key", sort=False)
        first = groups.head(1).set_index("_key")
        first["reports"] = groups.size()
        first["date_first"] = groups["date"].min()
        first["date"] = groups["date"].max()
        table = first.reset_index()
    return _finish(table, _points(table), "mentioned")
