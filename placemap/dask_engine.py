"""Geoparse a corpus on a ``dask.distributed`` cluster, with the output ``run_batch`` writes.

The client reads the inputs, sends them to the workers in chunks (a bounded number in
flight, so memory stays flat whatever the corpus size), gathers the results in input order
and writes them through the same resumable partial file as ``run_batch``: the output is
byte for byte the same as with ``--jobs 1``. Each worker builds one geoparser, once, when
the :class:`GeoparserPlugin` is registered (and again on a worker that joins later).

With ``partitions_dir`` each chunk is also written by the worker that geoparsed it, as
``part-<first input position>.jsonl`` (atomically: a partition that exists is complete);
the partitions, concatenated in name order, equal the output. They suit very large runs
whose output is read again by Dask, Spark or DuckDB in parallel. The directory must be one
that every worker can write (a shared file system on a real cluster).

Running on a real cluster
-------------------------
1. On every worker machine, install placemap with the same version as the client, the spaCy
   model, and ``dask[distributed]``, then build the gazetteer once at the path the client
   will name (``placemap gazetteer build --gazetteer /data/placemap/gazetteer.sqlite``, or
   copy the store there)::

       pip install placemap "dask[distributed]" -r requirements/model.txt

2. Start a scheduler, then workers with one thread each (the geoparser is not shared
   between threads: a worker with several threads geoparses one chunk at a time)::

       dask scheduler --port 8786                      # older releases: dask-scheduler
       DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False \\
       dask worker tcp://HOST:8786 --nworkers 8 --nthreads 1 --memory-limit 1.5GB
                                                       # older releases: dask-worker

   (turning the statistical profiler off saves a few per cent of CPU; keep it on to use the
   dashboard's profile page).

3. Run from any machine that can reach the scheduler::

       placemap geoparse corpus.jsonl -o out.jsonl --engine dask --scheduler tcp://HOST:8786 \\
           --gazetteer /data/placemap/gazetteer.sqlite [--partitions /shared/out-parts] [--resume]

Without ``--scheduler`` a ``LocalCluster`` with ``--jobs`` single-threaded worker processes
is started and stopped around the run. A worker peaks at about 0.2 GB with the spaCy model
(``benchmarks/batch_throughput.py``); a worker that dies is replaced and its chunk run again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

try:
    from distributed import WorkerPlugin
except ImportError as err:  # placemap works without Dask; only this engine needs it
    raise ImportError('the Dask engine needs dask.distributed: pip install "dask[distributed]"') from err

from placemap.atomic import atomic_open
from placemap.docformat import InputDocument
from placemap.exc import ConfigurationError, PlacemapError

from .batch import CHUNKS_PER_WORKER, BatchStats, Positioned, chunks, parse_documents, run_ordered
from .resumable import Outcome, partial_paths

__all__ = ["GeoparserPlugin", "run_dask"]

PLUGIN_NAME = "placemap-geoparser"
#: Documents per Dask task: about four seconds of work with the spaCy model.
CHUNK_SIZE = 64
#: Seconds to wait for a remote scheduler's first worker.
WORKER_TIMEOUT = 120
_MANIFEST = "_placemap_partitions.json"
#: A local cluster has no dashboard, so no profiler (it samples the geoparsing thread's stack
#: every 10 ms, taking the GIL from it) and fewer wake-ups of each worker's event loop; and
#: glibc's default trimming: Dask's MALLOC_TRIM_THRESHOLD_=64 kB made workers spend ten times
#: the system time of a process-pool worker on the same documents.
LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


class GeoparserPlugin(WorkerPlugin):
    """Builds one geoparser on each worker, once, with ``make_geoparser``."""

    def __init__(self, make_geoparser: Callable[[], Any]) -> None:
        self.make_geoparser = make_geoparser
        self.geoparser: Any = None
        self.error: Exception | None = None

    def setup(self, worker: Any) -> None:
        self.lock = threading.Lock()
        try:
            self.geoparser = self.make_geoparser()
        except Exception as err:  # raised again by the first task, so the client sees the cause
            self.error = err

    # No teardown: closing the gazetteer while a chunk is still running would fail its documents.


def run_dask(
    items: Iterable[InputDocument],
    output: Path | None,
    *,
    make_geoparser: Callable[[], Any],
    scheduler: str | None = None,
    workers: int = 2,
    partitions_dir: Path | None = None,
    errors: list[str],
    resume: bool = False,
    progress: bool | None = None,
    total: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> BatchStats:
    """Geoparse ``items`` on a Dask cluster into JSON lines at ``output``, in input order.

    Parameters
    ----------
    items : Iterable[InputDocument]
        The inputs, read lazily on the client.
    output : Path | None
        The JSON lines (as ``run_batch``); standard output when ``None``.
    make_geoparser : Callable
        Picklable factory of one geoparser, run once on each worker; the gazetteer path it names must exist on every
        worker.
    scheduler : str | None
        Address of a running scheduler (``tcp://host:8786``); ``None`` starts a ``LocalCluster`` of ``workers``
        single-threaded processes.
    partitions_dir : Path | None
        Also write each chunk there as ``part-*.jsonl`` (replacing the ``part-*.jsonl`` files there, unless
        resuming).
    errors : list[str]
        ``"<id>: <message>"`` is appended for each document that raised.
    resume, progress, total
        As for ``run_batch``.

    Returns
    -------
    BatchStats
        Counts and time.
    """
    if workers < 1 or chunk_size < 1:
        raise ConfigurationError(f"workers and chunk_size must be at least 1, got {workers} and {chunk_size}")
    if partitions_dir is not None:
        # Partitions are kept only when there is a partial output to resume; else they are stale.
        resuming = resume and output is not None and partial_paths(Path(output))[0].exists()
        chunk_size = _prepare_partitions(Path(partitions_dir), chunk_size, resume=resuming)

    def engine(work: Iterator[Positioned]) -> Iterator[tuple[int, Outcome]]:
        return _on_cluster(work, make_geoparser, scheduler, workers, partitions_dir, chunk_size)

    return run_ordered(items, output, engine, resume=resume, progress=progress, errors=errors, total=total)


def _on_cluster(
    work: Iterator[Positioned],
    make_geoparser: Callable[[], Any],
    scheduler: str | None,
    workers: int,
    partitions_dir: Path | None,
    chunk_size: int,
) -> Iterator[tuple[int, Outcome]]:
    client, cluster = _connect(scheduler, workers)
    try:
        client.register_plugin(GeoparserPlugin(make_geoparser), name=PLUGIN_NAME)
        threads = sum(client.nthreads().values()) or workers
        window: deque = deque()
        for chunk in chunks(work, chunk_size):
            positions = [position for position, _ in chunk]
            partition = _partition_to_write(partitions_dir, chunk, chunk_size)
            items = [item for _, item in chunk]
            window.append((positions, client.submit(_parse_chunk, items, partition, pure=False)))
            while len(window) >= max(2, threads * CHUNKS_PER_WORKER):
                positions, future = window.popleft()
                yield from zip(positions, future.result(), strict=True)
        while window:
            positions, future = window.popleft()
            yield from zip(positions, future.result(), strict=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    if scheduler is not None:
        client = Client(scheduler)
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except TimeoutError as err:
            client.close()
            raise PlacemapError(f"no Dask worker joined {scheduler} within {WORKER_TIMEOUT} s") from err
        return client, None
    import dask

    with dask.config.set(LOCAL_CLUSTER_CONFIG):  # workers take the configuration at their start
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    return Client(cluster), cluster


def _parse_chunk(items: list[InputDocument], partition: str | None) -> list[Outcome]:
    """Runs on a worker: geoparse a chunk with the worker's geoparser (and write its partition)."""
    from distributed import get_worker

    plugin = get_worker().plugins[PLUGIN_NAME]
    if plugin.error is not None:
        raise plugin.error
    with plugin.lock:
        outcomes = parse_documents(plugin.geoparser, items)
    if partition is not None:
        with atomic_open(partition, "wb") as handle:
            handle.writelines(outcome.line for outcome in outcomes if outcome.line is not None)
    return outcomes


# -- partitions ---------------------------------------------------------------------------
def _prepare_partitions(directory: Path, chunk_size: int, *, resume: bool) -> int:
    """Create or reuse the partitions directory; return the chunk size its partitions use."""
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob(".part-*"):  # atomic_open's temporaries, of a worker stopped while writing
        leftover.unlink()
    manifest = directory / _MANIFEST
    if resume and manifest.exists():
        return int(json.loads(manifest.read_text(encoding="utf-8"))["chunk_size"])
    for stale in directory.glob("part-*.jsonl"):
        stale.unlink()
    manifest.write_text(json.dumps({"chunk_size": chunk_size}) + "\n", encoding="utf-8")
    return chunk_size


def _partition_to_write(directory: Path | None, chunk: list[Positioned], chunk_size: int) -> str | None:
    """The partition file a chunk should write, or ``None`` when it exists (or none is wanted).

    A chunk that starts inside its partition was cut by an interruption; its partition was
    written before any of its documents reached the output, so it exists.
    """
    if directory is None:
        return None
    first = chunk[0][0]
    path = directory / f"part-{first - first % chunk_size:012d}.jsonl"
    if path.exists():
        return None
    if first % chunk_size:
        raise ConfigurationError(f"cannot resume: {path} is missing (was the interrupted run without partitions?)")
    return str(path)
