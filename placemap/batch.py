"""Geoparse many documents: several processes, a progress bar, resumable JSON-lines output.

The output holds one JSON object per document (``document_to_json``) in input order,
byte for byte the same whatever the number of processes or the engine (this module's
process pool, or ``placemap.dask_engine``): every document is geoparsed on its own,
never batched with others, so nothing depends on how the work was split.

Work goes to ``OUT.partial`` beside the output (``placemap.resumable``); documents that raise
are reported in ``errors``. ``resume=True`` continues after the documents an interrupted run
wrote, so a run interrupted any number of times ends with the bytes of an uninterrupted one.

>>> from functools import partial
>>> from placemap.documents import read_inputs
>>> from placemap.geo.pipeline import GeoparserSettings, build_geoparser
>>> errors = []
>>> make = partial(build_geoparser, GeoparserSettings(recognizer="gazetteer"))
>>> run_batch(read_inputs(["news/"], errors), Path("news.jsonl"), make_geoparser=make, jobs=4, errors=errors)
... # doctest: +SKIP
BatchStats(documents=9996, words=2103521, seconds=41.2, skipped=0, failed=4)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from placemap.docformat import InputDocument, document_from_json, document_to_json
from placemap.exc import ConfigurationError, PlacemapError
from placemap.resumable import Outcome, ResumableOutput, partial_paths, pending, text_digest
from placemap.types import Document

__all__ = ["BatchStats", "count_inputs", "geoparse_all", "partial_paths", "run_batch"]

#: Documents sent to a worker process at a time.
CHUNK_SIZE = 16
#: Chunks in flight per worker: enough to keep workers busy, few enough to keep memory flat.
CHUNKS_PER_WORKER = 3

Positioned = tuple[int, InputDocument]


@dataclass(frozen=True, slots=True)
class BatchStats:
    """What a batch run did.

    Attributes
    ----------
    documents : int
        Documents geoparsed and written by this run.
    words : int
        Words (whitespace-separated) of the documents this run geoparsed.
    seconds : float
        Wall-clock time of the run.
    skipped : int
        Documents already written by the interrupted run that this one resumed.
    failed : int
        Documents that raised, in this run or the one it resumed; not written.
    """

    documents: int
    words: int
    seconds: float
    skipped: int = 0
    failed: int = 0

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


# -- one document ------------------------------------------------------------------------
def parse_document(geoparser: Callable[..., Any], item: InputDocument) -> Outcome:
    """Geoparse one input into its UTF-8 JSON line; any exception becomes the outcome's error."""
    try:
        document = geoparser(item.text, doc_id=item.id, published=item.published, spans=item.spans)
        return _written(item, document)
    except Exception as err:  # a bad document is reported and skipped, never the end of the run
        message = str(err) if isinstance(err, ValueError | PlacemapError) else f"{type(err).__name__}: {err}"
        return Outcome(item.id, None, f"{item.id}: {message}", len(item.text.split()), text_digest(item.text))


def parse_documents(geoparser: Callable[..., Any], items: list[InputDocument]) -> list[Outcome]:
    """Geoparse inputs in one batch through ``geoparser.pipe`` (the NER and the event parser then
    run once for them all); a batch that raises is done again one document at a time, so a bad
    document costs only itself. Inputs with given spans are always done one at a time."""
    pipe = getattr(geoparser, "pipe", None)
    if pipe is None or len(items) < 2 or any(item.spans is not None for item in items):
        return [parse_document(geoparser, item) for item in items]
    try:
        documents = list(pipe([(item.id, item.text, item.published) for item in items]))
        return [_written(item, document) for item, document in zip(items, documents, strict=True)]
    except Exception:  # which document failed is found by doing them one by one
        return [parse_document(geoparser, item) for item in items]


def _written(item: InputDocument, document: Any) -> Outcome:
    line = json.dumps(document_to_json(document), ensure_ascii=False) + "\n"
    return Outcome(item.id, line.encode("utf-8"), None, len(item.text.split()))


def count_inputs(
    paths: Iterable[str], *, suffixes: tuple[str, ...] = (".txt", ".html", ".htm", ".xhtml"), max_bytes: int = 1 << 30
) -> int | None:
    """The number of documents ``read_inputs(paths)`` will yield, for the progress bar's time left.

    Bad JSONL lines are counted too. ``None`` for standard input, or when a JSONL file over
    ``max_bytes`` would take too long to count.
    """
    total = 0
    for path in paths:
        source = Path(path)
        if path == "-" or (source.is_file() and source.stat().st_size > max_bytes):
            return None
        if source.is_dir():
            total += sum(1 for child in source.rglob("*") if child.suffix.lower() in suffixes)
        elif source.suffix.lower() in (".jsonl", ".ndjson"):
            with open(source, "rb") as handle:
                total += sum(1 for line in handle if line.strip())
        elif source.is_file():
            total += 1
    return total


def chunks(items: Iterator[Positioned], size: int) -> Iterator[list[Positioned]]:
    """Consecutive items grouped so that positions ``k*size`` to ``(k+1)*size - 1`` share a chunk."""
    chunk: list[Positioned] = []
    for position, item in items:
        if chunk and position // size != chunk[0][0] // size:
            yield chunk
            chunk = []
        chunk.append((position, item))
    if chunk:
        yield chunk


# -- progress ---------------------------------------------------------------------------
class Progress:
    """A tqdm bar on stderr (documents, words/s, time left), or nothing."""

    def __init__(self, enabled: bool | None, *, total: int | None, initial: int) -> None:
        self._bar = None
        self._words = 0
        self._shown = 0.0
        self._first: float | None = None
        if enabled is None:
            enabled = sys.stderr.isatty()
        if not enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self._bar = tqdm(
            total=total,
            initial=initial,
            unit="doc",
            file=sys.stderr,
            dynamic_ncols=True,
            smoothing=0.05,
            mininterval=0.5,
        )

    def update(self, words: int) -> None:
        if self._bar is None:
            return
        now = time.perf_counter()
        if self._first is None:  # rates run from the first finished document: start-up is not counted
            self._first = now
        else:
            self._words += words
        self._bar.update(1)
        if now - self._shown >= 0.5:
            self._shown = now
            self._show_words()

    def _show_words(self) -> None:
        elapsed = time.perf_counter() - self._first if self._first is not None else 0.0
        if elapsed > 0 and self._words:
            self._bar.set_postfix_str(f"{self._words / elapsed:,.0f} words/s", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._show_words()
            self._bar.close()


# -- the run ------------------------------------------------------------------------------
Engine = Callable[[Iterator[Positioned]], Iterator[tuple[int, Outcome]]]


def run_ordered(
    items: Iterable[InputDocument],
    output: Path | None,
    engine: Engine,
    *,
    resume: bool,
    progress: bool | None,
    errors: list[str],
    total: int | None = None,
) -> BatchStats:
    """Feed the inputs not yet done to ``engine`` and write its ordered outcomes (any engine)."""
    started = time.perf_counter()
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    sink = ResumableOutput(Path(output) if output is not None else None, resume=resume)
    counts = {"documents": 0, "words": 0, "skipped": 0, "failed": 0}
    bar = None
    try:
        bar = Progress(progress, total=total, initial=sink.open())
        for position, outcome in engine(pending(items, sink, errors, counts)):
            sink.write(position, outcome)
            bar.update(outcome.words)
            if outcome.error is None:
                counts["documents"] += 1
                counts["words"] += outcome.words
            else:
                errors.append(outcome.error)
                counts["failed"] += 1
        if not sink.commit():
            kept = "left as it was" if sink.output.exists() else "not written"
            errors.append(f"{sink.output}: no document to write; {kept}")
    finally:
        if bar is not None:
            bar.close()
        sink.close()
    return BatchStats(seconds=time.perf_counter() - started, **counts)


def run_batch(
    items: Iterable[InputDocument],
    output: Path | None,
    *,
    make_geoparser: Callable[[], Any],
    jobs: int = 1,
    resume: bool = False,
    progress: bool | None = None,
    errors: list[str],
    total: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> BatchStats:
    """Geoparse ``items`` into JSON lines at ``output`` (standard output when ``None``).

    Parameters
    ----------
    items : Iterable[InputDocument]
        The inputs, read lazily (``read_inputs``).
    output : Path | None
        Where the JSON lines go; written through ``OUT.partial``.
    make_geoparser : Callable
        Builds a geoparser; picklable when ``jobs > 1`` (a module-level function or a ``functools.partial`` of one,
        such as ``partial(build_geoparser, settings)``).
    jobs : int
        Processes; each builds one geoparser, once.
    resume : bool
        Continue the interrupted run whose partial output is beside ``output``.
    progress : bool | None
        Show a progress bar on stderr; ``None``: when stderr is a terminal.
    errors : list[str]
        ``"<id>: <message>"`` is appended for each document that raised.
    total : int | None
        The number of inputs, when known, for the time left.

    Returns
    -------
    BatchStats
        Counts and time.
    """
    if jobs < 1:
        raise ConfigurationError(f"jobs must be at least 1, got {jobs}")
    if chunk_size < 1:
        raise ConfigurationError(f"chunk_size must be at least 1, got {chunk_size}")

    def engine(work: Iterator[Positioned]) -> Iterator[tuple[int, Outcome]]:
        if jobs == 1:
            return _in_process(work, make_geoparser, chunk_size)
        return _in_pool(work, make_geoparser, jobs, chunk_size)

    return run_ordered(items, output, engine, resume=resume, progress=progress, errors=errors, total=total)


def geoparse_all(
    items: Iterable[InputDocument],
    *,
    make_geoparser: Callable[[], Any],
    jobs: int = 1,
    errors: list[str],
    chunk_size: int = CHUNK_SIZE,
) -> list[Document]:
    """Geoparse ``items`` into documents in memory, in input order (``placemap map`` and ``eval``).

    Each document goes through its JSON line, as ``run_batch`` writes it, so a map or a score
    made from texts is the one made from their saved geoparse output.

    Parameters
    ----------
    items : Iterable[InputDocument]
        The texts.
    make_geoparser : Callable
        As for ``run_batch``.
    jobs : int
        Processes; each builds one geoparser, once.
    errors : list[str]
        ``"<id>: <message>"`` is appended for each document that raised.

    Returns
    -------
    list[Document]
        The documents that did not raise.
    """
    if jobs < 1:
        raise ConfigurationError(f"jobs must be at least 1, got {jobs}")
    work = enumerate(items)
    outcomes = (
        _in_process(work, make_geoparser, chunk_size) if jobs == 1 else _in_pool(work, make_geoparser, jobs, chunk_size)
    )
    documents = []
    for _, outcome in outcomes:
        if outcome.line is None:
            errors.append(outcome.error)
        else:
            documents.append(document_from_json(json.loads(outcome.line)))
    return documents


def _in_process(
    work: Iterator[Positioned], make_geoparser: Callable[[], Any], chunk_size: int
) -> Iterator[tuple[int, Outcome]]:
    geoparser = None
    for chunk in chunks(work, chunk_size):  # one NER and one parser batch per chunk
        if geoparser is None:  # built only when there is work: a finished run resumed loads nothing
            geoparser = make_geoparser()
        outcomes = parse_documents(geoparser, [item for _, item in chunk])
        yield from zip((position for position, _ in chunk), outcomes, strict=True)


def _in_pool(
    work: Iterator[Positioned], make_geoparser: Callable[[], Any], jobs: int, chunk_size: int
) -> Iterator[tuple[int, Outcome]]:
    """Chunks to ``jobs`` worker processes, a bounded window of them in flight, results in order."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    executor = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker, initargs=(make_geoparser,)
    )
    window: deque = deque()
    try:
        for chunk in chunks(work, chunk_size):
            positions = [position for position, _ in chunk]
            window.append((positions, executor.submit(_parse_chunk, [item for _, item in chunk])))
            while len(window) >= jobs * CHUNKS_PER_WORKER:
                positions, future = window.popleft()
                yield from zip(positions, future.result(), strict=True)
        while window:
            positions, future = window.popleft()
            yield from zip(positions, future.result(), strict=True)
    except BrokenProcessPool as err:
        raise PlacemapError("a worker process died (out of memory?); the run can be resumed") from err
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


_WORKER: dict[str, Any] = {}
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker(make_geoparser: Callable[[], Any]) -> None:
    """Build this worker's one geoparser; Ctrl-C is the parent's to handle, and its death ends us."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    for variable in _ONE_THREAD:  # one process per core: no thread pools inside (as Dask's workers)
        os.environ.setdefault(variable, "1")
    try:
        _WORKER["geoparser"] = make_geoparser()
    except Exception as err:  # raised again with the first chunk, so the parent sees the cause
        _WORKER["error"] = err


def _exit_with_parent(parent: int) -> None:
    # A parent killed with SIGKILL cannot shut the pool down; its idle workers would wait forever.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _parse_chunk(items: list[InputDocument]) -> list[Outcome]:
    if "error" in _WORKER:
        raise _WORKER["error"]
    return parse_documents(_WORKER["geoparser"], items)
