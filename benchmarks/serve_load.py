"""Load on ``placemap serve``: requests per second on 127.0.0.1, and whether it still answers after.

    .venv/bin/python benchmarks/serve_load.py [--requests 50] [--concurrency 4] [--jobs 1]
    .venv/bin/python benchmarks/serve_load.py --url http://127.0.0.1:8765   # a server already running

Starts ``placemap serve`` on a free port of 127.0.0.1 (unless ``--url``), waits for
``/healthz``, then for each endpoint sends ``--requests`` requests, ``--concurrency`` at a
time (after ``--concurrency`` warm-up requests, not counted), and prints a table: seconds,
requests per second, median and 95th-percentile latency, failures. Every request has a
timeout and the whole run a deadline; only 127.0.0.1 is contacted.
``tests/serve/test_server.py`` runs :func:`load` (no timing asserted there).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STORY = (
    "KHARKIV, March 7 (Newswire) - Shelling hit residential districts of Kharkiv on Sunday, officials said, "
    "as Ukrainian and Russian negotiators prepared for a third round of talks in Belarus. A humanitarian "
    "corridor from Mariupol to Zaporizhzhia was proposed again after the first attempt failed."
)
#: endpoint -> (method, path, JSON body or None)
ENDPOINTS: dict[str, tuple[str, str, Any]] = {
    "healthz": ("GET", "/healthz", None),
    "geoparse": ("POST", "/api/geoparse", {"text": STORY, "published": "2022-03-07"}),
    "map": ("POST", "/api/map", {"documents": [{"id": "k", "text": STORY}], "published": "2022-03-07"}),
}


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one endpoint's run did."""

    endpoint: str
    requests: int
    concurrency: int
    seconds: float
    failures: int
    latencies: tuple[float, ...]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def load(
    base: str,
    endpoint: str = "geoparse",
    *,
    requests: int = 50,
    concurrency: int = 4,
    timeout: float = 60.0,
    deadline: float = 300.0,
) -> LoadResult:
    """Send ``requests`` requests to ``endpoint`` of the server at ``base``, ``concurrency`` at a time.

    Each request has ``timeout`` seconds and the run ``deadline`` seconds; requests that fail,
    time out or were not sent by the deadline count as failures.
    """
    import httpx

    method, path, body = ENDPOINTS[endpoint]
    clients = [httpx.Client(base_url=base, timeout=timeout, trust_env=False) for _ in range(concurrency)]
    started = time.perf_counter()
    stop_at = started + deadline

    def one(index: int) -> float | None:
        if time.perf_counter() > stop_at:
            return None
        begun = time.perf_counter()
        try:
            answer = clients[index % concurrency].request(method, path, json=body)
        except httpx.HTTPError:
            return None
        return time.perf_counter() - begun if answer.status_code == 200 else None

    try:
        with ThreadPoolExecutor(concurrency) as pool:
            futures = [pool.submit(one, index) for index in range(requests)]
            done, _ = wait(futures, timeout=deadline + timeout)
            results = [future.result() for future in done]
    finally:
        for client in clients:
            client.close()
    seconds = time.perf_counter() - started
    latencies = tuple(r for r in results if r is not None)
    return LoadResult(endpoint, requests, concurrency, seconds, requests - len(latencies), latencies)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(jobs: int) -> tuple[subprocess.Popen, str]:
    """``placemap serve`` on a free port of 127.0.0.1; returns the process and its base URL once it answers."""
    import httpx

    port = _free_port()
    command = [str(Path(sys.executable).parent / "placemap"), "serve", "--port", str(port), "--quiet"]
    command += ["--jobs", str(jobs)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"placemap serve ended: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(base + "/healthz", timeout=2, trust_env=False).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("placemap serve did not answer in 180 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start placemap serve on 127.0.0.1)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=1, help="placemap serve --jobs (when started here)")
    parser.add_argument("--endpoints", nargs="+", default=list(ENDPOINTS), choices=list(ENDPOINTS))
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    if args.url and not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        parser.error("only a server on this machine (127.0.0.1, localhost, [::1]) is loaded")

    import httpx

    process = None
    base = args.url
    if base is None:
        process, base = start_server(args.jobs)
    try:
        for endpoint in args.endpoints:  # warm-up, not counted: first calls of each code path
            load(base, endpoint, requests=args.concurrency, concurrency=args.concurrency)
        results = [
            load(base, endpoint, requests=args.requests, concurrency=args.concurrency) for endpoint in args.endpoints
        ]
        after = httpx.get(base + "/healthz", timeout=10, trust_env=False).json()["status"]
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    rows = [
        {
            "endpoint": r.endpoint,
            "requests": r.requests,
            "concurrency": r.concurrency,
            "seconds": round(r.seconds, 2),
            "requests_per_s": round(r.per_second, 1),
            "median_ms": round(statistics.median(r.latencies) * 1000, 1) if r.latencies else None,
            "p95_ms": round(r.percentile(0.95) * 1000, 1) if r.latencies else None,
            "failures": r.failures,
        }
        for r in results
    ]
    if args.json:
        print(json.dumps({"rows": rows, "healthz_after": after, "jobs": args.jobs}, indent=2))
    else:
        print(f"placemap serve on {base} (--jobs {args.jobs}); /healthz after the load: {after}")
        header = ("endpoint", "requests", "conc.", "seconds", "req/s", "median ms", "p95 ms", "failed")
        print("{:<10} {:>8} {:>5} {:>8} {:>7} {:>10} {:>8} {:>6}".format(*header))
        for row in rows:
            print(
                f"{row['endpoint']:<10} {row['requests']:>8} {row['concurrency']:>5} {row['seconds']:>8.2f} "
                f"{row['requests_per_s']:>7.1f} {row['median_ms'] or float('nan'):>10.1f} "
                f"{row['p95_ms'] or float('nan'):>8.1f} {row['failures']:>6}"
            )
    return 1 if any(row["failures"] for row in rows) or after != "ok" else 0


if __name__ == "__main__":
    sys.exit(main())
