"""Fetch official GeoNames dumps, check them, and build an extended store from them.

The embedded default is built only from registry packages, so a fresh offline install
works; this module is the one place placemap reaches the network, and only when a user
runs ``placemap gazetteer download``. A download goes to ``NAME.part`` beside its final
name and is resumed with an HTTP ``Range`` request when run again (``If-Range`` makes a
server that has a newer file since send it whole, so old and new bytes never mix). Each
file is checked before it is built from, and the store is written atomically: an
interrupted run leaves the old store (or none), never half of one.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import os
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from placemap.atomic import atomic_path
from placemap.exc import ConfigurationError, DownloadError, InputFormatError

from .build import DROPPED_KEY, store_lock
from .schema import stored_meta
from .sources import read_geonames_dump

__all__ = [
    "ALL_COUNTRIES",
    "DEFAULT_BASE_URL",
    "DumpFile",
    "Progress",
    "default_download_dir",
    "download_store",
    "dump_names",
    "fetch",
    "verify_dump",
]

#: GeoNames' public dump directory.
DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"
#: The dump of every country in one file (about 400 MB zipped).
ALL_COUNTRIES = "allCountries.zip"
#: Dumps that are not one country's but are named like one ("no-country": seas, oceans).
NAMED_DUMPS = frozenset({"no-country"})
#: Bytes read from the network at a time; also how often progress is reported.
CHUNK = 1 << 20
#: Seconds to wait for a server to answer or send the next bytes.
TIMEOUT = 60.0
#: Key of the store's ``meta`` table that lists the downloaded files, one line each.
META_KEY = "downloads"

#: Called as ``progress(name, bytes_done, bytes_total)``; the total is ``None`` when unknown.
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class DumpFile:
    """A downloaded and checked GeoNames dump, as the store's metadata records it."""

    name: str
    url: str
    size: int
    sha256: str
    rows: int
    modified: str
    downloaded: str

    def describe(self) -> str:
        """One line for ``gazetteer info``."""
        return (
            f"{self.name}: {self.rows:,} rows, {self.size:,} bytes, sha256 {self.sha256}, "
            f"modified {self.modified or '?'}, downloaded {self.downloaded} from {self.url}"
        )


def default_download_dir() -> Path:
    """Where downloads wait, half-done or unbuilt, between runs: the user's cache directory."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("placemap")) / "downloads"


def dump_names(countries: Sequence[str], *, all_countries: bool = False) -> list[str]:
    """File names in the dump directory for what the user asked for.

    ``"UA"`` is ``UA.zip``, ``"no-country"`` is ``no-country.zip``; a name with a dot
    (``"no-country.txt.gz"``, for a mirror that keeps other files) is taken as it is.

    Examples
    --------
    >>> dump_names(["ua", "no-country", "extra.txt.gz"])
    ['UA.zip', 'no-country.zip', 'extra.txt.gz']
    >>> dump_names([], all_countries=True)
    ['allCountries.zip']
    """
    names = [ALL_COUNTRIES] if all_countries else []
    for country in countries:
        if "." in country and "/" not in country:
            names.append(country)
        elif country in NAMED_DUMPS:
            names.append(f"{country}.zip")
        elif len(country) == 2 and country.isascii() and country.isalpha():
            names.append(f"{country.upper()}.zip")
        else:
            raise ConfigurationError(
                f"{country!r} is not an ISO-3166 alpha-2 country code, 'no-country' or a file name"
            )
    if not names:
        raise ConfigurationError("name at least one country code, or --all")
    return list(dict.fromkeys(names))


def _base_url(base_url: str) -> str:
    scheme = urllib.parse.urlsplit(base_url).scheme
    if scheme not in ("https", "http", "file"):
        raise ConfigurationError(f"--base-url must be an https://, http:// or file:// URL, got {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


# -- fetching ------------------------------------------------------------------------------
def fetch(url: str, target: Path, *, progress: Progress | None = None, timeout: float = TIMEOUT) -> str:
    """Download ``url`` to ``target`` through ``target.part``, resuming an earlier part.

    Parameters
    ----------
    url : str
        An ``https://``, ``http://`` or ``file://`` URL.
    target : Path
        Where the whole file ends up; ``NAME.part`` and ``NAME.part.json`` (the server's
        validator, for ``If-Range``) sit beside it until then.
    progress : callable, optional
        Called with (file name, bytes done, bytes total or ``None``) as bytes arrive.
    timeout : float
        Seconds to wait for the server to answer or to send more.

    Returns
    -------
    str
        The server's ``Last-Modified`` date, "" when it sends none.

    Raises
    ------
    DownloadError
        The server cannot be reached, refuses, or stops early; the part downloaded so far
        stays for the next run to resume.
    """
    target = Path(target)
    part = target.with_name(target.name + ".part")
    state_path = target.with_name(target.name + ".part.json")
    state = _read_state(state_path, url) if part.exists() else {}
    done = part.stat().st_size if state else 0
    request = urllib.request.Request(url, headers={"User-Agent": "placemap (gazetteer download)"})
    if done and state.get("validator"):
        request.add_header("Range", f"bytes={done}-")
        request.add_header("If-Range", state["validator"])
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416:  # the part is not a prefix of what the server has now: start again
            part.unlink(missing_ok=True)
            state_path.unlink(missing_ok=True)
            return fetch(url, target, progress=progress, timeout=timeout)
        raise DownloadError(f"{url}: the server answered HTTP {err.code} {err.reason}") from err
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        if urllib.parse.urlsplit(url).scheme == "file":
            raise DownloadError(f"{url}: {_reason(err)}") from err
        raise DownloadError(f"cannot reach {_where(url)}: {_reason(err)} (offline?)") from err
    with response:
        headers = response.headers
        resumed = done > 0 and response.status == 206 and headers.get("Content-Range", "").startswith(f"bytes {done}-")
        if done > 0 and response.status == 206 and not resumed:  # another range than asked for: start again
            part.unlink(missing_ok=True)
            state_path.unlink(missing_ok=True)
            return fetch(url, target, progress=progress, timeout=timeout)
        done = done if resumed else 0
        length = headers.get("Content-Length")
        total = done + int(length) if length and length.isdigit() else None
        validator = headers.get("ETag") or headers.get("Last-Modified") or ""
        state_path.write_text(json.dumps({"url": url, "validator": validator}), encoding="utf-8")
        with open(part, "ab" if resumed else "wb") as handle:
            done = _copy(response, handle, done, lambda got: progress and progress(target.name, got, total))
    if total is not None and done < total:
        raise DownloadError(
            f"{url}: the connection closed after {done:,} of {total:,} bytes; run the command again to resume"
        )
    os.replace(part, target)
    state_path.unlink(missing_ok=True)
    return headers.get("Last-Modified", "")


def _copy(response: http.client.HTTPResponse, handle: BinaryIO, done: int, report: Callable[[int], object]) -> int:
    report(done)
    # read1 returns what has arrived: read(CHUNK) would wait for a whole chunk, and an interrupt
    # meanwhile would lose it (and the bar would move once a megabyte on a slow line).
    read = getattr(response, "read1", response.read)
    try:
        while chunk := read(CHUNK):
            handle.write(chunk)
            done += len(chunk)
            report(done)
    except (OSError, http.client.HTTPException) as err:
        if isinstance(err, OSError) and not isinstance(err, (ConnectionError, TimeoutError)):
            raise  # a full disk is the user's to see as it is
        handle.flush()
        raise DownloadError(
            f"the download broke off after {done:,} bytes ({_reason(err)}); run the command again to resume"
        ) from err
    return done


def _read_state(path: Path, url: str) -> dict[str, str]:
    """What the server said about a part file; empty (start again) when it came from another URL."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("url") == url else {}


def _where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.netloc or url


def _reason(err: BaseException) -> str:
    reason = getattr(err, "reason", None) or err
    return str(reason) or type(reason).__name__


# -- checking ------------------------------------------------------------------------------
def verify_dump(path: Path) -> tuple[int, str]:
    """Check a dump end to end.

    Checks that a zip (or gzip) is whole (every member's CRC), that every row has GeoNames'
    19 columns, numbers where numbers go and coordinates in range, that there is at least
    one row, and that a country dump (``UA.zip``) holds only that country's places.

    Parameters
    ----------
    path : Path
        ``CC.zip``, ``allCountries.zip``, ``no-country.zip`` or a plain or gzipped table.

    Returns
    -------
    tuple of (int, str)
        The number of rows and the file's SHA-256 (hex).

    Raises
    ------
    InputFormatError
        Naming the file, and the line when one is at fault.
    """
    path = Path(path)
    stem = path.name.removesuffix(".zip")
    country = stem if len(stem) == 2 and stem.isalpha() and stem.isupper() else None
    rows = 0
    try:
        for record in read_geonames_dump(path):
            rows += 1
            if country and record.country_code != country:
                raise InputFormatError(
                    f"row {rows} is in country {record.country_code!r}, not {country}: not {path.name}",
                    path=str(path),
                )
    except (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError) as err:
        raise InputFormatError(f"damaged archive ({err})", path=str(path)) from err
    if rows == 0:
        raise InputFormatError("holds no GeoNames rows", path=str(path))
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return rows, digest.hexdigest()


# -- building ------------------------------------------------------------------------------
Builder = Callable[[Path, Iterable[Path]], object]


def download_store(
    target: Path,
    names: Sequence[str],
    *,
    base_url: str = DEFAULT_BASE_URL,
    download_dir: Path | None = None,
    progress: Progress | None = None,
    build: Builder | None = None,
    wait: bool = False,
) -> list[DumpFile]:
    """Download ``names`` from ``base_url``, check them, and build the store at ``target``.

    Parameters
    ----------
    target : Path
        The store to write (atomically: it appears whole, or the old one stays).
    names : sequence of str
        File names in the dump directory (see :func:`dump_names`).
    base_url : str
        The dump directory: GeoNames' own by default, a mirror, or a ``file://`` folder.
    download_dir : Path, optional
        Where downloads wait between runs (default :func:`default_download_dir`). A file
        downloaded whole but not yet built from is used again; the files are removed once
        the store is written.
    progress : callable, optional
        Called with (file name, bytes done, bytes total or ``None``) as bytes arrive.
    build : callable, optional
        ``build(path, dumps)`` writes a store; default the embedded default plus the dumps
        (:func:`placemap.gazetteer.build.build_with_geonames`).
    wait : bool
        Wait for another run writing ``target`` to finish instead of refusing (``FileBusy``):
        the store is locked from the first byte downloaded to the last one written
        (:func:`placemap.gazetteer.build.store_lock`), so two downloads or a download and a
        build never race, and an ``add`` meanwhile waits and keeps its rows.

    Returns
    -------
    list of DumpFile
        The files the store was built from, as recorded in its ``downloads`` metadata.
    """
    base = _base_url(base_url)
    folder = Path(download_dir) if download_dir is not None else default_download_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = Path(target)
    with store_lock(target, wait=wait):  # a second download or build of the store is refused
        files = _download_and_build(target, names, base, folder, progress, build)
        for file in files:
            _remove(folder / file.name)
    return files


def _download_and_build(
    target: Path, names: Sequence[str], base: str, folder: Path, progress: Progress | None, build: Builder | None
) -> list[DumpFile]:
    files: list[DumpFile] = []
    for name in names:
        url = urllib.parse.urljoin(base, urllib.parse.quote(name))
        path = folder / name
        stamp = _stamp_path(path)
        if path.exists() and stamp.exists():
            modified = stamp.read_text(encoding="utf-8")
        else:
            modified = fetch(url, path, progress=progress)
            stamp.write_text(modified, encoding="utf-8")
        try:
            rows, sha256 = verify_dump(path)
        except InputFormatError:
            _remove(path)  # a bad file is fetched afresh next time, not trusted
            raise
        files.append(DumpFile(name, url, path.stat().st_size, sha256, rows, modified, _now()))
    if build is None:
        from .build import build_with_geonames

        build = build_with_geonames
    with atomic_path(target) as temporary:
        build(temporary, [folder / file.name for file in files])
        _record(temporary, files, replaced=target)
    return files


def _record(store: Path, files: list[DumpFile], *, replaced: Path) -> None:
    db = sqlite3.connect(store)
    try:
        db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (META_KEY, "\n".join(file.describe() for file in files))
        )
        if dropped := stored_meta(replaced, "user_places"):
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (DROPPED_KEY, dropped))
        db.commit()
    finally:
        db.close()


def _stamp_path(path: Path) -> Path:
    # The Last-Modified date of a whole download not yet built from, kept for the metadata.
    return path.with_name(path.name + ".modified")


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    _stamp_path(path).unlink(missing_ok=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
