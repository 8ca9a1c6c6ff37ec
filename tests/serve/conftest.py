"""Fixtures for ``placemap serve``: the app on the embedded gazetteer with the real geoparser,
built once for the session (as the server builds it once), and a client for it."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")


@pytest.fixture(scope="session")
def serve_workers(embedded_gazetteer):
    """The default geoparser (spaCy model, events) in its worker thread, as ``placemap serve`` runs it."""
    from placemap.geo.pipeline import GeoparserSettings
    from placemap.serve import GeoparseWorkers

    workers = GeoparseWorkers.start(
        GeoparserSettings(gazetteer=str(embedded_gazetteer.path)), gazetteer=embedded_gazetteer
    )
    yield workers
    workers.close()


@pytest.fixture()
def make_app(embedded_gazetteer, serve_workers):
    """Build an app on the shared geoparser: ``make_app(max_body_bytes=1000, ...)``."""
    from placemap.serve import ServeSettings, create_app

    def make(*, fetch=None, **settings):
        return create_app(embedded_gazetteer, serve_workers, ServeSettings(**settings), fetch=fetch)

    return make


@pytest.fixture()
def client(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(), follow_redirects=False) as test_client:
        yield test_client
