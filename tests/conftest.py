"""Shared fixtures: a tiny gazetteer built from a CSV in the repo, no network, no model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from placemap.gazetteer import Gazetteer
from placemap.gazetteer.build import StoreWriter
from placemap.gazetteer.schema import SCHEMA_VERSION
from placemap.gazetteer.sources import read_places_csv

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    writer = StoreWriter()
    writer.add(read_places_csv(FIXTURES / "tiny_places.csv", source="geonames"), "tiny fixture")
    path = tmp_path_factory.mktemp("gaz") / "tiny.sqlite"
    writer.write(path, {"schema_version": SCHEMA_VERSION, "kind": "test", "sources": "tiny fixture"})
    return path


@pytest.fixture()
def tiny_gazetteer(tiny_store: Path) -> Gazetteer:
    with Gazetteer.open(tiny_store) as gazetteer:
        yield gazetteer


@pytest.fixture(scope="session")
def embedded_gazetteer() -> Gazetteer:
    """The real embedded default store (built on first use, about a minute)."""
    path = os.environ.get("PLACEMAP_GAZETTEER")
    return Gazetteer.open(path)


@pytest.fixture(scope="session")
def shared_file():
    """Return a function giving a file under ../shared, skipping the test when it is absent."""

    def find(*parts: str) -> Path:
        path = SHARED.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"{path} is absent: ../shared ships only with the project's workspace, not a user's clone")
        return path

    return find
