"""The app under uvicorn on 127.0.0.1: a slow geoparse holds up no other request, a short load
(50 requests, 4 at a time) leaves it answering, and the ``placemap serve`` command's errors."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("serve_load", ROOT / "benchmarks" / "serve_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class SlowGeoparser:
    """Stands in for a geoparser stuck on a long text until ``release`` is set."""

    def __init__(self, real) -> None:
        self.real = real
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, text, **options):
        if text.startswith("SLOW"):
            self.entered.set()
            assert self.release.wait(60)
        return self.real(text, **options)


def test_a_slow_geoparse_blocks_no_other_request(embedded_gazetteer, serve_workers) -> None:
    import httpx

    from placemap.serve import GeoparseWorkers, create_app, serve_in_thread

    slow = SlowGeoparser(serve_workers._geoparser)
    workers = GeoparseWorkers.in_thread(slow)
    answers: dict[str, int] = {}
    try:
        with serve_in_thread(create_app(embedded_gazetteer, workers)) as base:

            def post() -> None:
                answer = httpx.post(base + "/api/geoparse", json={"text": "SLOW Kharkiv"}, timeout=60, trust_env=False)
                answers["slow"] = answer.status_code

            worker = threading.Thread(target=post)
            worker.start()
            assert slow.entered.wait(30)  # the geoparser is busy with the slow text
            assert httpx.get(base + "/healthz", timeout=30, trust_env=False).json()["status"] == "ok"
            assert httpx.get(base + "/", timeout=30, trust_env=False).status_code == 200
            assert "slow" not in answers  # answered while the slow one still waits
            slow.release.set()
            worker.join(60)
    finally:
        slow.release.set()
        workers.close()
    assert answers == {"slow": 200}


def test_short_load_on_loopback(embedded_gazetteer, serve_workers, record_property) -> None:
    import httpx

    from placemap.serve import create_app, serve_in_thread

    bench = _load_benchmark()
    with serve_in_thread(create_app(embedded_gazetteer, serve_workers)) as base:
        assert base.startswith("http://127.0.0.1:")
        result = bench.load(base, "geoparse", requests=50, concurrency=4, timeout=60, deadline=240)
        after = httpx.get(base + "/healthz", timeout=30, trust_env=False)
    print(f"\n50 geoparse requests, 4 at a time: {result.per_second:.1f} requests/s")
    record_property("requests_per_second", round(result.per_second, 1))
    assert result.failures == 0 and len(result.latencies) == 50
    assert after.json()["status"] == "ok"


# -- the command --------------------------------------------------------------------------------
def test_bad_port_is_a_usage_error(capsys) -> None:
    from placemap.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["serve", "--port", "70000"])
    assert stop.value.code == 2
    assert "is not a port number" in capsys.readouterr().err


def test_port_in_use_is_one_line(capsys) -> None:
    from placemap.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        code = main(["serve", "--port", str(taken.getsockname()[1])])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("placemap: error:") and err.count("\n") == 1 and "Traceback" not in err


def test_other_hosts_are_warned_about(monkeypatch, capsys, tiny_store) -> None:
    from placemap import serve
    from placemap.cli import main

    served = {}
    monkeypatch.setattr(serve.GeoparseWorkers, "start", classmethod(lambda cls, *a, **k: cls.in_thread(len)))
    monkeypatch.setattr(serve, "run_server", lambda app, sock, **k: served.update(app=app, address=sock.getsockname()))
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--gazetteer", str(tiny_store)]) == 0
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0: anyone on that network can use this server" in err
    assert served["address"][0] == "0.0.0.0"
    assert main(["serve", "--port", "0", "--gazetteer", str(tiny_store)]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err and "serving on http://127.0.0.1:" in err  # 127.0.0.1 by default


def test_missing_extra_is_one_line(monkeypatch, capsys) -> None:
    from placemap.cli import main

    monkeypatch.setitem(sys.modules, "placemap.serve", None)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "placemap[serve]" in err and err.count("\n") == 1


def test_worker_processes_geoparse_in_order(tiny_store) -> None:
    import asyncio

    from placemap.docformat import InputDocument
    from placemap.gazetteer import Gazetteer
    from placemap.geo.pipeline import GeoparserSettings
    from placemap.serve import GeoparseWorkers

    # The gazetteer matcher: no model to load in each process, the same code path otherwise.
    settings = GeoparserSettings(gazetteer=str(tiny_store), recognizer="gazetteer", events=False)
    with Gazetteer.open(tiny_store) as gazetteer:
        workers = GeoparseWorkers.start(settings, gazetteer=gazetteer, jobs=2)
    try:
        items = [InputDocument(f"d{n}", f"Talks in Kyiv, day {n}.") for n in range(5)]
        items.append(InputDocument("bad", "\x00\x01 binary"))
        documents, errors = asyncio.run(workers.geoparse(items))
    finally:
        workers.close()
    assert workers.jobs == 2
    assert [document.id for document in documents][:5] == [f"d{n}" for n in range(5)]
    assert all(document.toponyms for document in documents[:5])
    assert len(documents) + len(errors) == 6
