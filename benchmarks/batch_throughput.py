"""Batch throughput: one job, two jobs and a Dask LocalCluster of two workers, in one run.

    .venv/bin/python benchmarks/batch_throughput.py [--documents 10000] [--kills 5] [--kill-documents 2000]
        [--gazetteer PATH] [--events] [--work DIR]

Corpus: the bundled example dispatches repeated with distinct ids, as one JSONL file read
with ``read_inputs``. The geoparser is the default one users run (spaCy model, context
resolver: ``Geoparser(Gazetteer.open(path))``; ``--events`` adds event extraction, as
``placemap geoparse`` does by default). Prints documents/s and words/s of each engine, the
peak resident memory of each worker process, whether every output is byte-identical, and
a kill-and-resume check: a run in a subprocess killed with SIGKILL at ``--kills`` random
points, resumed each time, whose final output must equal the uninterrupted one's.

Targets: jobs 2 >= 1.7x jobs 1; Dask within 15% of jobs 2; peak memory per worker < 1.2 GB.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from placemap.batch import BatchStats, partial_paths, run_batch
from placemap.documents import read_inputs
from placemap.geo.pipeline import GeoparserSettings, build_geoparser

ROOT = Path(__file__).resolve().parents[1]
DISPATCHES = ROOT / "examples" / "dispatches"
GB = 1024**3


def write_corpus(path: Path, documents: int) -> int:
    """``documents`` dispatches, repeated with distinct ids, as JSON lines; return the words."""
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(DISPATCHES.glob("*.txt"))]
    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for index in range(documents):
            name, text = texts[index % len(texts)]
            words += len(text.split())
            handle.write(json.dumps({"id": f"{index:06d}-{name}", "text": text}, ensure_ascii=False) + "\n")
    return words


class PeakMemory:
    """Samples the peak resident memory (VmHWM) of this process's descendants twice a second."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.5):
            for child in me.children(recursive=True):
                peak = _peak_rss(child.pid)
                if peak:
                    self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), peak)

    @property
    def largest(self) -> int:
        return max(self.peaks.values(), default=0)


def _peak_rss(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_engine(engine: str, corpus: Path, output: Path, make) -> tuple[BatchStats, int, float, list[str]]:
    """One measured run: its stats, the largest peak RSS of a worker, CPU seconds of all processes, errors."""
    errors: list[str] = []
    items = read_inputs([str(corpus)], errors)
    cpu = _cpu_seconds()
    if engine == "jobs 1":
        stats = run_batch(items, output, make_geoparser=make, jobs=1, errors=errors, progress=False)
        peak = _peak_rss("self") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return stats, peak, _cpu_seconds() - cpu, errors
    with PeakMemory() as memory:
        if engine == "jobs 2":
            stats = run_batch(items, output, make_geoparser=make, jobs=2, errors=errors, progress=False)
        else:
            from placemap.dask_engine import run_dask

            stats = run_dask(items, output, make_geoparser=make, workers=2, errors=errors, progress=False)
    return stats, memory.largest, _cpu_seconds() - cpu, errors


def _cpu_seconds() -> float:
    """User + system time of this process and of its finished (waited-for) descendants."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def kill_and_resume(corpus: Path, work: Path, reference: bytes, args: argparse.Namespace) -> dict:
    """Kill a 2-job run at random points with SIGKILL, resume each time, compare the result."""
    output = work / "killed.jsonl"
    partial_file, failed_file = partial_paths(output)
    for stale in (output, partial_file, failed_file):
        stale.unlink(missing_ok=True)
    rng = random.Random(args.seed)
    targets = sorted(rng.sample(range(1, args.kill_documents), args.kills))
    command = [sys.executable, __file__, "--child", str(output), "--corpus", str(corpus)]
    command += ["--kill-documents", str(args.kill_documents)] + (
        ["--gazetteer", args.gazetteer] if args.gazetteer else []
    )
    command += ["--events"] if args.events else []
    killed_at, orphans = [], 0
    log = open(work / "killed.stderr", "ab")  # noqa: SIM115 (the killed runs' warnings, kept out of the table)
    for target in targets:
        child = subprocess.Popen(command, start_new_session=True, stderr=log)
        while _lines(partial_file) < target and child.poll() is None:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.2))  # land anywhere, mid-line included
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed_at.append(_lines(partial_file))
        orphans += _stop_group(child.pid)
    started = time.perf_counter()
    final = subprocess.run(command, check=False, start_new_session=True, stderr=log)
    log.close()
    expected = b"".join(reference.splitlines(keepends=True)[: args.kill_documents])
    result = output.read_bytes() if output.exists() else b""
    return {
        "killed_at": killed_at,
        "final_exit": final.returncode,
        "final_seconds": time.perf_counter() - started,
        "equal": result == expected,
        "orphans": orphans,
        "lines": result.count(b"\n"),
    }


def _lines(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    except FileNotFoundError:
        return 0


def _stop_group(pgid: int) -> int:
    """Wait for the killed run's worker processes to exit by themselves; count and kill stragglers."""
    import psutil

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        left = [p for p in psutil.process_iter(["pid"]) if _pgid(p.pid) == pgid]
        if not left:
            return 0
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)
    return len(left)


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def child_run(args: argparse.Namespace) -> int:
    """The killable subprocess: a resumable 2-job run over the first --kill-documents inputs."""
    errors: list[str] = []
    items = itertools.islice(read_inputs([args.corpus], errors), args.kill_documents)
    run_batch(items, Path(args.child), make_geoparser=factory(args), jobs=2, resume=True, errors=errors, progress=False)
    return 1 if errors else 0


def factory(args: argparse.Namespace):
    # Geoparser(Gazetteer.open(path)) with the spaCy recognizer and the context resolver,
    # bound with partial so that worker processes can rebuild it.
    return partial(build_geoparser, GeoparserSettings(args.gazetteer, events=args.events))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000, help="corpus size (default 10,000)")
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs in the resume check (default 5)")
    parser.add_argument("--kill-documents", type=int, default=2_000, help="documents of the resume check")
    parser.add_argument("--gazetteer", metavar="PATH", help="gazetteer store (default: the embedded one)")
    parser.add_argument("--events", action="store_true", help="extract events too")
    parser.add_argument("--engines", default="jobs 1,jobs 2,dask", help="comma-separated subset to run")
    parser.add_argument("--work", metavar="DIR", help="keep the corpus and outputs here")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", metavar="OUT", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_run(args)

    work = Path(args.work or tempfile.mkdtemp(prefix="placemap-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    words = write_corpus(corpus, args.documents)
    from placemap.gazetteer import Gazetteer

    started = time.perf_counter()
    with Gazetteer.open(args.gazetteer) as gazetteer:  # built here on first use, not inside a timed run
        print(f"gazetteer: {gazetteer.path} (ready in {time.perf_counter() - started:.1f} s)")
    load = os.getloadavg()
    print(f"corpus: {args.documents:,} documents, {words:,} words ({corpus}); {os.cpu_count()} CPUs")
    print(f"load average before: {load[0]:.2f}", flush=True)

    results = {}
    for engine in [e.strip() for e in args.engines.split(",")]:
        output = work / f"out-{engine.replace(' ', '')}.jsonl"
        stats, peak, cpu, errors = run_engine(engine, corpus, output, factory(args))
        results[engine] = (stats, peak, errors, output.read_bytes(), cpu)
        print(f"  {engine}: {stats.seconds:.1f} s, {cpu:.1f} CPU s, {len(errors)} errors", flush=True)

    print()
    header = f"{'engine':16} {'documents':>9} {'seconds':>8} {'CPU s':>7} {'docs/s':>8} {'words/s':>9} {'speed-up':>8}"
    print(f"{header} {'peak RSS/worker':>15}")
    base = results["jobs 1"][0].documents_per_second if "jobs 1" in results else None
    for engine, (stats, peak, _, data, cpu) in results.items():
        speed = f"{stats.documents_per_second / base:.2f}x" if base else "-"
        label = "dask, 2 workers" if engine == "dask" else engine
        print(
            f"{label:16} {stats.documents:9,} {stats.seconds:8.1f} {cpu:7.1f} {stats.documents_per_second:8.1f} "
            f"{stats.words_per_second:9,.0f} {speed:>8} {peak / GB:12.2f} GB   sha256 {sha(data)}"
        )
    checks = _checks(results)
    if args.kills:
        reference = next(iter(results.values()))[3]
        resume = kill_and_resume(corpus, work, reference, args)
        print(
            f"\nkill-and-resume: {args.kill_documents:,} documents, 2 jobs, SIGKILL with "
            f"{', '.join(map(str, resume['killed_at']))} lines written; final run {resume['final_seconds']:.1f} s, "
            f"{resume['lines']:,} lines; worker processes left behind: {resume['orphans']}"
        )
        name = f"killed {args.kills} times and resumed = uninterrupted output, no process left behind"
        checks.append((name, resume["equal"] and not resume["orphans"]))
    print(f"load average after: {os.getloadavg()[0]:.2f}\n")
    for name, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return 0 if all(passed for _, passed in checks) else 1


def _checks(results: dict) -> list[tuple[str, bool]]:
    checks = []
    outputs = {data for _, _, _, data, _ in results.values()}
    checks.append((f"byte-identical outputs across {', '.join(results)}", len(outputs) == 1))
    rate = {engine: stats.documents_per_second for engine, (stats, *_) in results.items()}
    if "jobs 1" in rate and "jobs 2" in rate:
        checks.append(
            (f"jobs 2 / jobs 1 = {rate['jobs 2'] / rate['jobs 1']:.2f} >= 1.7", rate["jobs 2"] >= 1.7 * rate["jobs 1"])
        )
    if "dask" in rate and "jobs 2" in rate:
        ratio = rate["dask"] / rate["jobs 2"]
        checks.append((f"dask / jobs 2 = {ratio:.2f}, within 15%", ratio >= 0.85))
    peak = max(peak for _, peak, *_ in results.values())
    checks.append((f"peak memory per worker {peak / GB:.2f} GB < 1.2 GB", peak < 1.2 * GB))
    return checks


if __name__ == "__main__":
    sys.exit(main())
