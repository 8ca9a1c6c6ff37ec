"""Hand-made example documents for maps: every category and corridor status, no NLP needed.

The places carry their real GeoNames ids, so a real ``Gazetteer`` gives their areas; the
small :class:`ExampleAreas` stands in for one in tests (rough boxes, not borders).

>>> layers = build_layers(example_documents(), gazetteer=ExampleAreas())  # doctest: +SKIP
"""

from __future__ import annotations

import re
from typing import Any

from placemap.types import Document, Event, Mention, Place, Toponym

__all__ = ["PLACES", "ExampleAreas", "example_basemap", "example_documents", "make_document"]


def _p(geonameid: int, name: str, lat: float, lon: float, cc: str, admin1: str = "", code: str = "PPL") -> Place:
    feature_class = "P" if code.startswith("PPL") else "A"
    return Place(geonameid, name, lat, lon, feature_class, code, cc, "", admin1, 0, "geonames")


PLACES = {
    "Istanbul": _p(745044, "Istanbul", 41.01384, 28.94966, "TR", "Istanbul"),
    "Mariupol": _p(701822, "Mariupol", 47.09514, 37.54131, "UA", "Donetsk"),
    "Zaporizhzhia": _p(687700, "Zaporizhzhia", 47.85167, 35.11714, "UA", "Zaporizhzhia Oblast"),
    "Kharkiv": _p(706483, "Kharkiv", 49.98177, 36.25475, "UA", "Kharkiv"),
    "Mykolaiv": _p(700569, "Mykolaiv", 46.97625, 31.99296, "UA", "Mykolaiv Oblast"),
    "Kherson": _p(706448, "Kherson", 46.63695, 32.61458, "UA", "Kherson Oblast"),
    "Lviv": _p(702550, "Lviv", 49.83826, 24.02324, "UA", "Lviv"),
    "Odesa": _p(698740, "Odesa", 46.48572, 30.74383, "UA", "Odesa"),
    "Enerhodar": _p(709276, "Enerhodar", 47.49048, 34.66199, "UA", "Zaporizhzhia Oblast"),
    "Belgorod": _p(578072, "Belgorod", 50.60343, 36.58091, "RU", "Belgorod Oblast"),
    "Kyiv": _p(703448, "Kyiv", 50.45466, 30.5238, "UA", "Kyiv City", "PPLC"),
    "Moscow": _p(524901, "Moscow", 55.75222, 37.61556, "RU", "Moscow", "PPLC"),
    "Poland": _p(798544, "Poland", 52.0, 20.0, "PL", code="PCLI"),
    "Russia": _p(2017370, "Russia", 60.0, 100.0, "RU", code="PCLI"),
    "Moldova": _p(617790, "Moldova", 47.25, 28.58333, "MD", code="PCLI"),
    "Donetsk": _p(709716, "Donetsk", 48.145, 37.7933, "UA", "Donetsk", "ADM1"),
    "Luhansk": _p(702657, "Luhansk", 48.9084, 39.0033, "UA", "Luhansk", "ADM1"),
}


def make_document(
    doc_id: str,
    text: str,
    events: list[dict[str, Any]],
    *,
    published: str | None = None,
    source: str | None = None,
    places: dict[str, Place] | None = None,
) -> Document:
    """A ``Document`` whose toponyms are the first occurrences of ``places``' keys in ``text``.

    Each event dict gives ``category``, ``status`` and optionally ``date`` (defaults to
    ``published``), ``quote`` (a substring of the text; the whole text by default), roles
    by place name (``location``, ``origin``, ``destination``, ``areas``) and any other
    ``Event`` field.
    """
    places = PLACES if places is None else places
    found = {name: re.search(rf"\b{re.escape(name)}\b", text) for name in places}
    names = sorted((name for name, match in found.items() if match), key=lambda name: found[name].start())
    toponyms = tuple(
        Toponym(Mention(found[name].start(), found[name].end(), name), places[name], 0.9) for name in names
    )
    index = {name: i for i, name in enumerate(names)}
    built = []
    for number, spec in enumerate(events):
        spec = dict(spec)
        quote = spec.pop("quote", text)
        start = text.index(quote)
        roles = {role: index[spec.pop(role)] for role in ("location", "origin", "destination") if role in spec}
        areas = tuple(index[name] for name in spec.pop("areas", ()))
        built.append(
            Event(
                id=f"{doc_id}#{number}",
                doc_id=doc_id,
                category=spec.pop("category"),
                status=spec.pop("status"),
                date=spec.pop("date", published),
                time_precision=spec.pop("time_precision", 1),
                geo_precision=spec.pop("geo_precision", 1),
                quote_start=start,
                quote_end=start + len(quote),
                areas=areas,
                **roles,
                **spec,
            )
        )
    return Document(doc_id, text, published, source, toponyms, tuple(built))


def example_documents() -> list[Document]:
    """Ten short dispatches covering every category, corridor status and a mention."""
    wire = "Example Wire"
    return [
        make_document(
            "istanbul-talks",
            "Russian and Ukrainian delegations met in Istanbul for a new round of talks, "
            "according to the Turkish foreign ministry.",
            [{"category": "talks", "status": "reported", "location": "Istanbul", "attribution": "Turkish MFA"}],
            published="2022-03-29",
            source=wire,
        ),
        make_document(
            "mariupol-corridors",
            "Officials agreed a humanitarian corridor from Mariupol to Zaporizhzhia. "
            "A second route from Mariupol to Russia was rejected by Kyiv.",
            [
                {
                    "category": "corridor",
                    "status": "agreed",
                    "origin": "Mariupol",
                    "destination": "Zaporizhzhia",
                    "quote": "Officials agreed a humanitarian corridor from Mariupol to Zaporizhzhia.",
                },
                {
                    "category": "corridor",
                    "status": "rejected",
                    "origin": "Mariupol",
                    "destination": "Russia",
                    "quote": "A second route from Mariupol to Russia was rejected by Kyiv.",
                    "attribution": "Ukrainian government",
                },
            ],
            published="2022-03-05",
            source=wire,
        ),
        make_document(
            "kherson-corridor",
            "A planned corridor from Kherson to Mykolaiv failed after the convoy came under fire. "
            "Another corridor from Enerhodar to Zaporizhzhia was proposed for Saturday.",
            [
                {"category": "corridor", "status": "failed", "origin": "Kherson", "destination": "Mykolaiv"},
                {
                    "category": "corridor",
                    "status": "proposed",
                    "origin": "Enerhodar",
                    "destination": "Zaporizhzhia",
                    "date": "2022-04-09",
                    "time_precision": 2,
                },
            ],
            published="2022-04-06",
            source=wire,
        ),
        *(
            make_document(
                f"kharkiv-shelling-{day}",
                "Artillery shelled residential districts of Kharkiv overnight, the regional governor said.",
                [{"category": "shelling", "status": "reported", "location": "Kharkiv", "attribution": "governor"}],
                published=f"2022-03-{day:02d}",
                source="Regional News",
            )
            for day in (1, 2, 7)
        ),
        make_document(
            "mykolaiv-shelling",
            "Missiles hit the regional administration building in Mykolaiv.",
            [{"category": "shelling", "status": "reported", "location": "Mykolaiv", "count": 2}],
            published="2022-03-29",
            source=wire,
        ),
        make_document(
            "refugees",
            "More than 2 million people have crossed from Lviv into Poland, and about 100,000 "
            "went from Odesa to Moldova, the UNHCR said.",
            [
                {
                    "category": "refugees",
                    "status": "reported",
                    "origin": "Lviv",
                    "destination": "Poland",
                    "count": 2_000_000,
                    "attribution": "UNHCR",
                },
                {
                    "category": "refugees",
                    "status": "reported",
                    "origin": "Odesa",
                    "destination": "Moldova",
                    "count": 100_000,
                    "attribution": "UNHCR",
                },
            ],
            published="2022-03-10",
            source="UNHCR briefing",
        ),
        make_document(
            "donbas-claim",
            "Moscow recognised the separatist claims to the whole of the Donetsk and Luhansk regions.",
            [{"category": "claim", "status": "demanded", "areas": ["Donetsk", "Luhansk"], "geo_precision": 3}],
            published="2022-02-22",
            source=wire,
        ),
        make_document(
            "enerhodar-ceasefire",
            "The IAEA proposed a ceasefire around the nuclear plant at Enerhodar.",
            [{"category": "ceasefire", "status": "proposed", "location": "Enerhodar", "attribution": "IAEA"}],
            published="2022-04-02",
            source=wire,
        ),
        make_document(
            "belgorod-military",
            "Satellite images show Russian troops massing near Belgorod, close to the border.",
            [{"category": "military", "status": "reported", "location": "Belgorod", "geo_precision": 2}],
            published="2022-02-20",
            source="Open-source analysts",
        ),
    ]


_BOXES = {
    798544: (14.1, 49.0, 23.2, 54.8),  # Poland
    617790: (26.6, 45.5, 30.1, 48.5),  # Moldova
    690791: (22.1, 44.4, 40.2, 52.4),  # Ukraine
    709716: (36.5, 46.9, 38.9, 49.2),  # Donetsk Oblast
    702657: (38.2, 47.8, 40.2, 50.1),  # Luhansk Oblast
}

#: Russia's European part, roughly: its border with Ukraine runs east of Mariupol.
_RUSSIA = [
    (38.3, 47.1),
    (38.8, 46.0),
    (47.0, 41.5),
    (60.0, 45.0),
    (60.0, 70.0),
    (28.0, 70.0),
    (28.0, 56.2),
    (31.5, 55.7),
    (31.8, 52.1),
    (35.4, 52.3),
    (40.2, 49.6),
    (39.8, 47.8),
    (38.3, 47.1),
]


class ExampleAreas:
    """A stand-in gazetteer for the examples: rough boxes as areas, country names by code."""

    def area(self, place: Place) -> Any:
        import shapely

        if place.geonameid == 2017370:
            return shapely.Polygon(_RUSSIA)
        box = _BOXES.get(place.geonameid) if place.geonameid is not None else None
        return shapely.box(*box) if box else None

    def country(self, code: str) -> Place | None:
        names = {"UA": "Ukraine", "PL": "Poland", "RU": "Russia", "MD": "Moldova", "TR": "Türkiye"}
        return Place(None, names[code], 0.0, 0.0, "A", "PCLI", code) if code in names else None


def example_basemap() -> Any:
    """The stand-in areas as a base map frame (boxes; a real gazetteer draws borders)."""
    import geopandas as gpd

    areas = ExampleAreas()
    places = [p for p in PLACES.values() if p.feature_code in ("PCLI", "ADM1")]
    return gpd.GeoDataFrame(
        {
            "name": [p.name for p in places],
            "kind": ["country" if p.feature_code == "PCLI" else "admin1" for p in places],
            "country_code": [p.country_code for p in places],
        },
        geometry=[areas.area(p) for p in places],
        crs="EPSG:4326",
    )
