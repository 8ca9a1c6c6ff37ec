"""All exceptions placemap raises on purpose.

One root, ``PlacemapError``; each subclass also inherits the built-in exception a caller
would expect, so ``except FileNotFoundError`` still works for a missing gazetteer.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "DownloadError",
    "FileBusy",
    "GazetteerCorrupt",
    "GazetteerNotFound",
    "InputFormatError",
    "PlacemapError",
    "QueryError",
]


class PlacemapError(Exception):
    """Base class of every error placemap raises on purpose."""


class ConfigurationError(PlacemapError, ValueError):
    """An argument or setting is invalid."""


class FileBusy(PlacemapError, OSError):
    """Another process is writing the file (an output, a store) this one would write."""


class GazetteerNotFound(PlacemapError, FileNotFoundError):
    """The gazetteer store does not exist at the given path."""


class GazetteerCorrupt(PlacemapError, OSError):
    """The file exists but is not a placemap gazetteer (or is damaged)."""


class InputFormatError(PlacemapError, ValueError):
    """An input file (GeoNames dump, places CSV, JSONL) is malformed.

    ``path`` and ``line`` locate the problem when known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class QueryError(PlacemapError, ValueError):
    """A place-name query cannot be looked up (empty, too long, not text)."""


class DownloadError(PlacemapError, OSError):
    """A file could not be downloaded: no network, the server refused, or it stopped early."""
