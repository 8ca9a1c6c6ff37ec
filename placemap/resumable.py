"""The output of a batch run, written so that an interrupted run can be resumed.

Work goes to ``OUT.partial`` beside the output, one line per finished document, flushed in
input order; documents that raise are recorded in ``OUT.partial-failed`` (position, id,
message). When every input has been seen the partial file is renamed to ``OUT``. Resuming
repairs the partial file (a line cut short by a kill is dropped) and checks the documents
already done against the inputs, position by position, id by id and text by text. The
partial file is locked while a run writes it: a second run to the same output is refused
(``FileBusy``) instead of mixing its lines into the first's. A run that writes no document
leaves an existing output as it was.

This is the one output not written through ``placemap.atomic``: its partial file must
outlive a crash, to be resumed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, NamedTuple

from placemap.atomic import locked
from placemap.docformat import InputDocument
from placemap.exc import ConfigurationError, FileBusy

__all__ = ["Outcome", "ResumableOutput", "partial_paths", "pending", "text_digest"]


class Outcome(NamedTuple):
    """One document's result as it travels back from a worker: its JSON line, or an error."""

    id: str
    line: bytes | None
    error: str | None
    words: int
    #: :func:`text_digest` of the input's text, kept with a failure so a resumed run can
    #: tell that the input was edited since (a written line carries its text itself).
    digest: str | None = None


def text_digest(text: str) -> str:
    """A short fingerprint of a text: does an input still hold what the interrupted run read?"""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def partial_paths(output: Path) -> tuple[Path, Path]:
    """The partial output and the failure log of a run writing ``output``."""
    return output.with_name(output.name + ".partial"), output.with_name(output.name + ".partial-failed")


def _repair(path: Path) -> int:
    """Cut ``path`` after its last newline (a line a kill cut short); return the lines kept."""
    if not path.exists():
        return 0
    with open(path, "r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            block = handle.read(end - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                end = start + newline + 1
                break
            end = start
        if end != size:
            handle.truncate(end)
        handle.seek(0)
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _line_entry(line: bytes, path: Path) -> tuple[str, str]:
    """The id and the text digest of a written line."""
    try:
        document = json.loads(line.decode("utf-8"))
        return str(document["id"]), text_digest(document["text"])
    except (ValueError, KeyError, TypeError) as err:
        raise ConfigurationError(f"cannot resume: {path} is damaged ({err}); run without resuming") from err


class ResumableOutput:
    """``OUT.partial`` (and its failure log) written in input order, renamed to ``OUT`` at the end.

    ``output=None`` writes to standard output instead, with nothing to resume.
    """

    def __init__(self, output: Path | None, *, resume: bool) -> None:
        if output is None and resume:
            raise ConfigurationError("resuming needs an output file, not standard output")
        self.output = output
        self.resume = resume
        self.done = 0
        self._out: IO[bytes] | None = None
        self._failed: IO[bytes] | None = None
        self._lock = ExitStack()

    def open(self) -> int:
        """Open for writing; return how many inputs the run being resumed already did."""
        if self.output is None:
            self._out = sys.stdout.buffer
            return 0
        partial, failed = partial_paths(self.output)
        try:
            # Held until the partial file is renamed: a second run to the same output is refused.
            self._out = self._lock.enter_context(locked(partial))
        except BlockingIOError as err:
            raise FileBusy(f"{self.output} is being written by another placemap run; wait for it to finish") from err
        if self.resume:
            self.done = _repair(partial) + _repair(failed)
        if not self.done:
            self._out.truncate(0)
        self._failed = open(failed, "ab" if self.done else "wb")  # noqa: SIM115 (closed by close())
        return self.done

    def done_entries(self) -> Iterator[tuple[str, str | None, str | None]]:
        """``(id, error or None, text digest or None)`` of each input already done, in input order."""
        if not self.done or self.output is None:
            return
        partial, failed_path = partial_paths(self.output)
        with open(partial, "rb") as lines, open(failed_path, "rb") as failures:
            failure = _next_failure(failures)
            for position in range(self.done):
                if failure is not None and failure["position"] == position:
                    yield failure["id"], failure["error"], failure.get("digest")
                    failure = _next_failure(failures)
                else:
                    done_id, digest = _line_entry(lines.readline(), partial)
                    yield done_id, None, digest

    def write(self, position: int, outcome: Outcome) -> None:
        if outcome.line is not None:
            self._out.write(outcome.line)
            self._out.flush()
        elif self._failed is not None:
            record = {"position": position, "id": outcome.id, "error": outcome.error, "digest": outcome.digest}
            self._failed.write(json.dumps(record).encode("ascii") + b"\n")
            self._failed.flush()

    def commit(self) -> bool:
        """Every input is done: make the output appear whole, at once.

        Returns False, and leaves an existing output as it was, when no document was written
        (a missing, binary or over-long input, or only failures): a typo in a file name must
        not wipe the results of an earlier run.
        """
        if self.output is None:
            self._out.flush()
            return True
        self._out.flush()
        os.fsync(self._out.fileno())
        empty = os.fstat(self._out.fileno()).st_size == 0
        partial, failed = partial_paths(self.output)
        # Renamed while still locked: released first, the file could be taken by another run.
        if empty:
            partial.unlink(missing_ok=True)
        else:
            os.replace(partial, self.output)
        failed.unlink(missing_ok=True)
        self.close()
        return not empty

    def close(self) -> None:
        for handle in (self._out, self._failed):
            if handle is not None and handle is not sys.stdout.buffer:
                handle.close()
        self._lock.close()


def _next_failure(handle: IO[bytes]) -> dict[str, Any] | None:
    line = handle.readline()
    return json.loads(line) if line else None


def pending(items: Iterable[InputDocument], sink: ResumableOutput, errors: list[str], counts: dict[str, int]):
    """Yield ``(position, item)`` for the inputs not yet done, checking those that are.

    Raises ConfigurationError when the inputs do not begin with the documents the partial
    output holds (other inputs, or another order): resuming would mix two runs.
    """
    done = sink.done_entries()
    position = -1
    for position, item in enumerate(items):
        if position < sink.done:
            done_id, error, digest = next(done)
            if done_id != item.id:
                raise ConfigurationError(_mismatch(sink, f"input {position + 1} is {item.id!r}, not {done_id!r}"))
            if digest is not None and digest != text_digest(item.text):
                raise ConfigurationError(_mismatch(sink, f"the text of input {position + 1}, {item.id!r}, was edited"))
            if position + 1 == sink.done:
                done.close()  # the partial file is read no further
            if error is None:
                counts["skipped"] += 1
            else:
                errors.append(error)
                counts["failed"] += 1
            continue
        yield position, item
    if position + 1 < sink.done:
        raise ConfigurationError(_mismatch(sink, f"{position + 1} inputs, but {sink.done} were done before"))


def _mismatch(sink: ResumableOutput, detail: str) -> str:
    partial, _ = partial_paths(sink.output)
    return f"cannot resume: {partial} was written from other inputs ({detail}); run without resuming to start over"
