"""Write a file so that it appears whole or not at all.

Every output placemap writes (gazetteer stores, maps, GeoJSON, GeoPackage and CSV exports,
JSON lines, Dask partitions) goes through :func:`atomic_path`: the work goes to a hidden
temporary file beside the target, which replaces the target only when the work succeeded. A
crash, a full disk or Ctrl-C leaves the old file (or none), never half a file. Two runs
writing one file take turns or the second is refused (:func:`locked`). Standard library
only, so every package may use it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_path", "locked"]

#: Permissions of a finished file: readable by all, as a plain ``open`` would leave it under the
#: usual umask (a shared gazetteer store must be readable by other users).
FILE_MODE = 0o644


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` that replaces ``path`` when the block succeeds.

    Parameters
    ----------
    path : str or PathLike
        The file to write. Its directory is created when missing.

    Yields
    ------
    Path
        A path that does not exist yet, in the same directory (so the final rename is atomic)
        and with the same suffix (GDAL drivers look at it). Write it however you like: open
        it, hand it to SQLite or GDAL, copy a file to it.

    Examples
    --------
    >>> with atomic_path("out/places.csv") as temporary:  # doctest: +SKIP
    ...     frame.to_csv(temporary)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}{target.suffix}")
    try:
        yield temporary
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the block succeeds.

    Parameters
    ----------
    path : str or PathLike
        The file to write.
    mode : {"w", "wb"}
        Text (UTF-8, ``\\n`` line ends) or bytes.

    Yields
    ------
    file object
        The open temporary file; it is closed before it is renamed.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', got {mode!r}")
    text = {"encoding": "utf-8", "newline": "\n"} if mode == "w" else {}
    with atomic_path(path) as temporary, open(temporary, mode, **text) as handle:
        yield handle


@contextmanager
def locked(path: str | os.PathLike[str], *, wait: bool = False) -> Iterator[IO[bytes]]:
    """Hold an exclusive lock on the file at ``path`` (created, empty, when missing).

    Two runs writing one file lose rows or leave NUL bytes; the one that comes second
    either waits for the first (``wait=True``) or is refused. The lock is ``flock`` on the
    file itself, so it needs no lock file and dies with its process. A file replaced by
    :func:`atomic_path` while we waited is a new file: it is locked again, by its new inode.

    Parameters
    ----------
    path : str or PathLike
        The file to lock: an output being written, or a store being updated.
    wait : bool
        Wait for another holder to finish instead of raising ``BlockingIOError``.

    Yields
    ------
    file object
        The file, open for appending and reading (``a+b``; nothing is truncated), locked.

    Raises
    ------
    BlockingIOError
        Another process holds the lock and ``wait`` is False (callers raise
        ``placemap.exc.FileBusy`` from it: this module imports nothing of placemap).
    """
    import fcntl

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        handle = open(target, "a+b")  # noqa: SIM115 (closed below, or by the caller's block)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            raise
        try:
            current = os.stat(target)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(current, os.fstat(handle.fileno())):
            break
        handle.close()  # renamed or replaced while we waited for it: lock the file now there
    try:
        yield handle
    finally:
        handle.close()
