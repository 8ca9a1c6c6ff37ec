"""Shared fixtures: a tiny gazetteer built from a CSV in the repo, no network, no model."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

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


#: Where a test may connect: this machine (Dask's local cluster, its dashboard).
_LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost", "0.0.0.0", "::", ""})


class NetworkBlocked(ConnectionRefusedError):
    """A test tried to reach another machine: placemap promises to work with no network.

    A ``ConnectionRefusedError`` (an ``OSError``), so that code which handles a missing
    network the way it must in the field handles this too.
    """


@pytest.fixture(scope="session", autouse=True)
def network_attempts() -> list[str]:
    """Block every connection to another machine for the whole session, and record each try."""
    attempts: list[str] = []
    local = _LOCAL_HOSTS | {socket.gethostname()}
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(host: object) -> None:
        attempts.append(str(host))
        raise NetworkBlocked(f"the test session blocks the network: {host!r}")

    def is_local(host: str) -> bool:
        return host in local or host.startswith("127.")

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(str(address[0])):
            refuse(address[0])

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host) if host is not None else ""
        if not is_local(name):
            refuse(name)
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield attempts


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here (Debian's Chromium driven by Playwright), or None."""
    import importlib.util

    if not os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium is missing (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (pip install playwright; no 'playwright install' needed)"
    return None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests marked ``browser`` skip, with the reason, where Chromium or Playwright is missing."""
    reason = _browser_missing()
    if reason is not None:
        for item in items:
            if item.get_closest_marker("browser") is not None:
                item.add_marker(pytest.mark.skip(reason=reason))
