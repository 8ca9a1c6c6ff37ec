"""Fixtures for map tests: hand-made documents (no spaCy, no network) and hostile text."""

from __future__ import annotations

import pytest

from placemap.maps.examples import PLACES, ExampleAreas, example_documents, make_document
from placemap.types import Place

#: Strings that break a page or run script when text is pasted into HTML/JS unescaped.
HOSTILE = {
    "img": "<img src=x onerror=alert(1)>",
    "template": "${alert(1)}",
    "backtick": "`pm-backtick`",
    "script": "</script><script>alert(1)</script>",
    "separator": "line\u2028separator\u2029end",
    "path": "C:\\users\\new",
}
#: The raw forms that must not reach a page (the \u2028 check covers the whole page).
PAYLOADS = [*HOSTILE.values(), "\u2028", "\u2029", "`pm-backtick`"]


@pytest.fixture()
def hostile() -> dict[str, str]:
    return dict(HOSTILE)


@pytest.fixture()
def payloads() -> list[str]:
    return list(PAYLOADS)


@pytest.fixture()
def areas() -> ExampleAreas:
    return ExampleAreas()


@pytest.fixture()
def documents():
    return example_documents()


@pytest.fixture()
def layers(documents, areas):
    from placemap.maps import build_layers

    return build_layers(documents, gazetteer=areas)


def hostile_documents():
    """Documents with a hostile string in every field that can reach a page."""
    name = "Evil<img src=x onerror=alert(1)>ville"
    places = {
        name: Place(None, name, 48.0, 35.0, "P", "PPL", "UA", "", HOSTILE["script"], 0, "user"),
        "Kharkiv": PLACES["Kharkiv"],
        "Mariupol": PLACES["Mariupol"],
        "Tricky": Place(None, "Tricky", 47.0, 33.0, "P", "PPL", "UA", "", HOSTILE["template"], 0, "user"),
    }
    text = (
        f"Shelling hit {name} {HOSTILE['template']} and Kharkiv {HOSTILE['backtick']} {HOSTILE['separator']}, "
        f"a corridor from Mariupol to Tricky {HOSTILE['path']} {HOSTILE['script']}."
    )
    events = [
        {
            "category": "shelling",
            "status": "reported",
            "location": name,
            "attribution": HOSTILE["img"],
            "date": HOSTILE["script"],
        },
        {
            "category": "shelling",
            "status": "reported",
            "location": "Kharkiv",
            "attribution": HOSTILE["template"],
            "date": "2022-03-01",
        },
        {
            "category": "corridor",
            "status": "proposed",
            "origin": "Mariupol",
            "destination": "Tricky",
            "attribution": HOSTILE["path"],
            "date": "2022-03-02",
        },
    ]
    return [
        make_document(
            f"doc {HOSTILE['backtick']} {HOSTILE['img']}",
            text,
            events,
            published=HOSTILE["separator"],
            source=f"{HOSTILE['path']} {HOSTILE['template']}",
            places=places,
        )
    ]


@pytest.fixture()
def hostile_layers():
    from placemap.maps import build_layers

    return build_layers(hostile_documents())
