"""``placemap serve``: paste a story or a link, get the map, in a local web app.

A FastAPI application under uvicorn. The page (``GET /``) takes pasted stories, a
publication date, a URL (fetched by :mod:`placemap.fetch`) and dropped files (``.txt``,
``.html``, ``.jsonl``, event tables as CSV or ACLED exports); the answer
(``GET /results/{key}``) shows the offline map ``placemap map --offline`` draws, with its
event list, and links to download the map, GeoJSON, CSV and the geoparse JSON lines. For
scripts: ``POST /api/geoparse``, ``POST /api/map``, ``GET /healthz`` and the OpenAPI
description at ``/openapi.json`` (listed at ``/docs``).

Everything the app needs is passed to :func:`create_app`: the gazetteer, opened once, and
the :class:`GeoparseWorkers` that run the geoparser (loaded once) off the event loop, so
a slow geoparse never holds up the other requests. Nothing is kept in module globals.

>>> from placemap.gazetteer import Gazetteer
>>> from placemap.geo.pipeline import GeoparserSettings
>>> gazetteer = Gazetteer.open()  # doctest: +SKIP
>>> workers = GeoparseWorkers.start(GeoparserSettings(), gazetteer=gazetteer)  # doctest: +SKIP
>>> app = create_app(gazetteer, workers)  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import multiprocessing
import re
import secrets
import socket
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from placemap import __version__
from placemap.batch import _init_worker, _parse_chunk, parse_documents
from placemap.docformat import (
    MAX_TEXT_CHARS,
    InputDocument,
    apply_min_score,
    document_from_json,
    document_to_json,
    input_from_json,
    is_geoparsed,
)
from placemap.exc import PlacemapError
from placemap.maps.sanitize import escape
from placemap.types import Document

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "LOOPBACK_HOSTS",
    "MAX_BODY_BYTES",
    "UPLOAD_SUFFIXES",
    "GeoparseWorkers",
    "ResultStore",
    "ServeSettings",
    "bind_socket",
    "create_app",
    "is_loopback",
    "run_server",
    "serve_in_thread",
    "split_stories",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: Request bodies over this many bytes get 413.
MAX_BODY_BYTES = 10_000_000
#: What the page takes as files: texts, article pages, JSON lines (texts, geoparse output or
#: event rows) and event tables (CSV, ACLED exports).
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".csv")
#: The downloads of a result: name -> media type.
RESULT_FILES = {
    "map.html": "text/html; charset=utf-8",
    "events.geojson": "application/geo+json",
    "events.csv": "text/csv; charset=utf-8",
    "documents.jsonl": "application/x-ndjson; charset=utf-8",
}
#: A line of three or more dashes (alone on its line) separates pasted stories.
_STORY_BREAK = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.MULTILINE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

# Pages of the app load only their own files; the map page runs its inline scripts and
# styles and loads nothing (the offline map has Leaflet and the base map inlined).
_APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)
_MAP_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """How the server behaves (the geoparser's own options are in ``GeoparserSettings``).

    Attributes
    ----------
    max_body_bytes : int
        Larger request bodies get 413.
    allow_private_urls : bool
        Let the URL field fetch loopback and private addresses too.
    fetch_timeout : float
        Seconds to wait for a fetched page (to connect, and for each read).
    min_score : float
        Applied to geoparse output that is uploaded (texts get it from the geoparser).
    results_kept : int
        Maps kept for their download links; the oldest goes first.
    allowed_hosts : tuple of str or None
        The ``Host`` names answered (others get 400: a web page that rebinds its own name
        to 127.0.0.1 cannot reach the app); ``None`` answers any.
    """

    max_body_bytes: int = MAX_BODY_BYTES
    allow_private_urls: bool = False
    fetch_timeout: float = 15.0
    min_score: float = 0.0
    results_kept: int = 16
    allowed_hosts: tuple[str, ...] | None = None


#: The names a server bound to a loopback address answers to.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


# -- the geoparser, off the event loop ---------------------------------------------------------
class GeoparseWorkers:
    """Where the geoparser runs: never on the event loop.

    With one job, one worker thread calls the one geoparser built in this process (from the
    gazetteer opened once and the model loaded once); requests take turns on it while the
    event loop serves the rest. With more, that many processes each build their geoparser
    once (from ``GeoparserSettings``; a process cannot share an open gazetteer) and
    requests are spread over them.
    """

    def __init__(self, executor: Executor, geoparser: Any = None, *, jobs: int = 1) -> None:
        self._executor = executor
        self._geoparser = geoparser
        self.jobs = jobs

    @classmethod
    def start(cls, settings: Any, *, gazetteer: Any, jobs: int = 1) -> GeoparseWorkers:
        """Build the geoparser (``jobs == 1``) or start ``jobs`` worker processes.

        Parameters
        ----------
        settings : placemap.geo.pipeline.GeoparserSettings
            The geoparser's parts.
        gazetteer : placemap.gazetteer.Gazetteer
            The open gazetteer (used by the in-process geoparser).
        jobs : int
            Worker processes; 1 runs the geoparser in a thread of this process.
        """
        from functools import partial

        from placemap.geo.pipeline import build_geoparser

        if jobs <= 1:
            return cls.in_thread(build_geoparser(settings, gazetteer=gazetteer))
        executor = ProcessPoolExecutor(
            jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(partial(build_geoparser, settings),),
        )
        # One empty task per worker: every process is started, and has built its geoparser (or
        # raised why it could not), before the first request.
        for ready in [executor.submit(_parse_chunk, []) for _ in range(jobs)]:
            ready.result()
        return cls(executor, jobs=jobs)

    @classmethod
    def in_thread(cls, geoparser: Callable[..., Document]) -> GeoparseWorkers:
        """Run ``geoparser`` (built once by the caller) in one worker thread."""
        return cls(ThreadPoolExecutor(1, thread_name_prefix="placemap-geoparse"), geoparser)

    async def geoparse(self, items: Sequence[InputDocument]) -> tuple[list[Document], list[str]]:
        """Geoparse ``items`` in order; returns the documents and a message per failed item."""
        if not items:
            return [], []
        loop = asyncio.get_running_loop()
        if self._geoparser is not None:
            outcomes = await loop.run_in_executor(self._executor, _parse_all, self._geoparser, list(items))
        else:
            outcomes = await loop.run_in_executor(self._executor, _parse_chunk, list(items))
        documents: list[Document] = []
        errors: list[str] = []
        for outcome in outcomes:
            if outcome.line is None:
                errors.append(outcome.error)
            else:  # through the JSON line, as placemap geoparse writes it
                documents.append(document_from_json(json.loads(outcome.line)))
        return documents, errors

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _parse_all(geoparser: Callable[..., Document], items: list[InputDocument]) -> list[Any]:
    return parse_documents(geoparser, items)


# -- results kept for their downloads ----------------------------------------------------------
class ResultStore:
    """The last ``capacity`` maps made, by an unguessable key (thread-safe)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = max(1, capacity)
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, result: dict[str, Any]) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._items[key] = result
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._items.get(key)


# -- inputs ------------------------------------------------------------------------------------
def split_stories(text: str) -> list[str]:
    """The stories of a pasted text: separated by a line of three or more dashes.

    >>> split_stories("Talks in Antalya.\r\n---\r\nShelling in Kharkiv.")
    ['Talks in Antalya.', 'Shelling in Kharkiv.']
    """
    text = text.replace("\r\n", "\n")  # a form's textarea sends CRLF
    return [story.strip() for story in _STORY_BREAK.split(text) if story.strip()]


def _iso_day(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise PlacemapError(f"{value[:40]!r} is not a day written YYYY-MM-DD") from None


def _safe_file_name(name: str) -> str:
    """A file name that is only a name (no folder, no odd character), keeping its suffix."""
    return _SAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip("._")[-100:] or "upload"


def _read_uploads(folder: Path, names: list[str], gazetteer: Any, min_score: float) -> tuple[list[Any], list[str]]:
    """The documents of uploaded files, in order: tables and geoparse output as documents,
    texts and pages as inputs still to geoparse. Problems are returned, not raised."""
    from placemap.documents import read_documents
    from placemap.tables import events_from_table, looks_like_event_table

    items: list[Any] = []
    problems: list[str] = []
    for name in names:  # each in its own folder, so that its id is its own name
        path = folder / name
        shown = path.name
        if looks_like_event_table(path):
            table_problems: list[Any] = []
            items.extend(events_from_table(path, gazetteer, table_problems))
            problems.extend(f"{shown}: {problem}" for problem in table_problems)
            continue
        errors: list[str] = []
        for item in read_documents([str(path)], errors):
            items.append(apply_min_score(item, min_score) if isinstance(item, Document) else item)
        problems.extend(error.replace(str(path), shown) for error in errors)
    return items, problems


# -- outputs -----------------------------------------------------------------------------------
def _jsonl(documents: Sequence[Document]) -> bytes:
    return "".join(json.dumps(document_to_json(d), ensure_ascii=False) + "\n" for d in documents).encode("utf-8")


def _geojson(layers: Any) -> bytes:
    from placemap.maps import write_geojson

    with tempfile.TemporaryDirectory(prefix="placemap-serve-") as folder:
        path = Path(folder) / "events.geojson"
        write_geojson(layers, path)
        return path.read_bytes()


def _outputs(documents: Sequence[Document], gazetteer: Any, title: str) -> dict[str, bytes]:
    """The map page, GeoJSON, CSV and JSON lines of ``documents`` (what ``placemap map`` writes)."""
    from placemap.maps import build_layers, render_map, write_csv

    layers = build_layers(documents, gazetteer=gazetteer)
    page = render_map(layers, title=title, offline=True, gazetteer=gazetteer).get_root().render()
    with tempfile.TemporaryDirectory(prefix="placemap-serve-") as folder:
        csv_path = Path(folder) / "events.csv"
        write_csv(layers, csv_path)
        table = csv_path.read_bytes()
    return {
        "map.html": page.encode("utf-8"),
        "events.geojson": _geojson(layers),
        "events.csv": table,
        "documents.jsonl": _jsonl(documents),
    }


def _map_geojson(documents: Sequence[Document], gazetteer: Any) -> bytes:
    from placemap.maps import build_layers

    return _geojson(build_layers(documents, gazetteer=gazetteer))


# -- the API's bodies --------------------------------------------------------------------------
def _real_day(value: str | None) -> str | None:
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real day") from None
    return value


class GeoparseRequest(BaseModel):
    """One text to geoparse."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="the story")
    published: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="publication date (YYYY-MM-DD): anchors relative dates"
    )
    id: str | None = Field(None, max_length=500, description="the document's id; default a hash of the text")

    _day = field_validator("published")(_real_day)


class MapRequest(BaseModel):
    """Documents to map: texts (``{"id", "text", "published"?}``) or geoparse output."""

    model_config = ConfigDict(extra="forbid")

    documents: list[dict[str, Any]] = Field(min_length=1, description="texts to geoparse, or geoparsed documents")
    published: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="publication date for texts that carry none"
    )

    _day = field_validator("published")(_real_day)


# -- middleware --------------------------------------------------------------------------------
class SecurityHeaders:
    """Adds the content security policy and its companions to every answer (pure ASGI)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_security_headers(scope["path"])]
            await send(message)

        await self.app(scope, receive, with_headers)


def _security_headers(path: str) -> list[tuple[bytes, bytes]]:
    policy = _MAP_CSP if path.endswith("/map.html") else _APP_CSP
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]


# -- the application ---------------------------------------------------------------------------
@dataclass
class _State:
    gazetteer: Any
    workers: GeoparseWorkers
    settings: ServeSettings
    results: ResultStore
    templates: Jinja2Templates
    fetch: Callable[..., Any]
    #: Maps drawn at once (each holds its layers and page in memory); the rest wait their turn.
    render_slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(2))

    async def draw(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a thread, at most two at a time, off the event loop."""

        def bounded() -> Any:
            with self.render_slots:
                return function(*args)

        return await asyncio.to_thread(bounded)


def _templates() -> Jinja2Templates:
    import jinja2

    # Every {{ value }} goes through the maps' sanitiser: one escaping for every page.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("placemap", "templates"),
        autoescape=False,
        finalize=escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def create_app(
    gazetteer: Any,
    workers: GeoparseWorkers,
    settings: ServeSettings | None = None,
    *,
    fetch: Callable[..., Any] | None = None,
) -> FastAPI:
    """The web application.

    Parameters
    ----------
    gazetteer : placemap.gazetteer.Gazetteer
        Open once and passed in: tables are resolved and maps drawn with it.
    workers : GeoparseWorkers
        Where texts are geoparsed; the caller closes them.
    settings : ServeSettings, optional
        Limits and the URL policy.
    fetch : Callable, optional
        ``placemap.fetch.fetch_url`` by default (its keyword arguments are the settings').

    Returns
    -------
    fastapi.FastAPI
        Serve it with :func:`run_server` (or any ASGI server).
    """
    settings = settings or ServeSettings()
    if fetch is None:
        from placemap.fetch import fetch_url as fetch
    state = _State(gazetteer, workers, settings, ResultStore(settings.results_kept), _templates(), fetch)
    app = FastAPI(
        title="placemap",
        version=__version__,
        description="Geoparse news about conflicts: places, events, maps. Local and offline.",
        docs_url=None,  # FastAPI's own docs pages load their scripts from a CDN; /docs is ours
        redoc_url=None,
        max_body_size=settings.max_body_bytes,  # larger bodies get 413, declared or streamed
    )
    app.state.placemap = state
    app.add_middleware(SecurityHeaders)
    if settings.allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.mount("/static", StaticFiles(packages=[("placemap", "static")]), name="static")
    app.add_exception_handler(RequestValidationError, _validation_error)
    _page_routes(app, state)
    _api_routes(app, state)
    return app


async def _validation_error(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, RequestValidationError)
    problems = list(err.errors())
    if any(problem.get("type") == "json_invalid" for problem in problems):
        where = next(p for p in problems if p.get("type") == "json_invalid")
        detail = where.get("ctx", {}).get("error", "not JSON")
        return JSONResponse({"detail": f"malformed JSON: {detail}"}, status_code=400)
    cleaned = [{key: problem.get(key) for key in ("type", "loc", "msg")} for problem in problems]
    return JSONResponse({"detail": cleaned}, status_code=422)


def _page_routes(app: FastAPI, state: _State) -> None:
    templates = state.templates

    @app.get("/", include_in_schema=False)
    async def form_page(request: Request) -> Response:
        return _form(request, state)

    @app.post("/map", include_in_schema=False)
    async def make_map(request: Request) -> Response:
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            return JSONResponse({"detail": "the form is taken from this server's own page only"}, status_code=403)
        fields = {"text": "", "published": "", "url": ""}
        try:
            form = await request.form(max_files=50, max_fields=20, max_part_size=state.settings.max_body_bytes)
        except MultiPartException as err:  # too many files or fields, a broken body: one line on the page
            return _form(request, state, error=f"the form could not be read ({err})", status=400)
        try:
            for name in fields:
                value = form.get(name)
                fields[name] = value if isinstance(value, str) else ""
            uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile) and item.filename]
            try:
                key = await _make_result(state, fields, uploads)
            except PlacemapError as err:
                return _form(request, state, error=str(err), status=400, fields=fields)
        finally:
            await form.close()
        return RedirectResponse(f"/results/{key}", status_code=303)

    @app.get("/results/{key}", include_in_schema=False)
    async def result_page(request: Request, key: str) -> Response:
        result = state.results.get(key)
        if result is None:
            return _form(request, state, error="that map is no longer kept; make it again", status=404)
        context = {"key": key, "files": list(RESULT_FILES), **result["summary"]}
        return templates.TemplateResponse(request, "result.html", context)

    @app.get("/results/{key}/{name}", include_in_schema=False)
    async def result_file(key: str, name: str, download: bool = False) -> Response:
        result = state.results.get(key)
        if result is None or name not in RESULT_FILES:
            return JSONResponse({"detail": "not found"}, status_code=404)
        headers = {"Content-Disposition": f'attachment; filename="placemap-{name}"'} if download else {}
        return Response(result["files"][name], media_type=RESULT_FILES[name], headers=headers)

    @app.get("/docs", include_in_schema=False)
    async def docs_page(request: Request) -> Response:
        paths = app.openapi().get("paths", {})
        endpoints = [
            {"method": method.upper(), "path": path, "summary": item.get("summary", ""), "doc": item.get("description")}
            for path, methods in paths.items()
            for method, item in methods.items()
        ]
        return templates.TemplateResponse(request, "docs.html", {"endpoints": endpoints})


def _form(
    request: Request, state: _State, *, error: str | None = None, status: int = 200, fields: dict | None = None
) -> Response:
    context = {
        "error": error,
        "fields": fields or {"text": "", "published": "", "url": ""},
        "suffixes": ", ".join(UPLOAD_SUFFIXES),
        "max_mb": state.settings.max_body_bytes / 1e6,
    }
    return state.templates.TemplateResponse(request, "form.html", context, status_code=status)


async def _make_result(state: _State, fields: dict[str, str], uploads: list[UploadFile]) -> str:
    """Geoparse and map what the form gave; the key of the stored result."""
    published = _iso_day(fields["published"])
    items: list[Any] = []
    warnings: list[str] = []
    title = "placemap"
    for number, story in enumerate(split_stories(fields["text"]), start=1):
        items.append(InputDocument(id=f"story-{number}", text=story, published=published))
    url = fields["url"].strip()
    if url:
        page = await _fetch_article(state, url)
        items.append(page if page.published else _dated(page, published))
        title = page.title or title
    if uploads:
        items.extend(await _uploads(state, uploads, warnings))
    if not items:
        raise PlacemapError("nothing to map: paste a story, give a link or drop a file")
    items = [_dated(item, published) if isinstance(item, InputDocument) else item for item in items]
    texts = [item for item in items if isinstance(item, InputDocument)]
    parsed, failed = await state.workers.geoparse(texts)
    warnings.extend(failed)
    by_id = iter(parsed) if not failed else None
    documents: list[Document] = []
    found = {document.id: document for document in parsed}
    for item in items:
        if isinstance(item, Document):
            documents.append(item)
        elif by_id is not None:
            documents.append(next(by_id))
        elif item.id in found:
            documents.append(found[item.id])
    if not documents:
        raise PlacemapError("nothing to map: " + ("; ".join(warnings) or "no document could be read"))
    files = await state.draw(_outputs, documents, state.gazetteer, title)
    summary = {
        "title": title,
        "documents": len(documents),
        "places": sum(1 for d in documents for t in d.toponyms if t.place is not None),
        "events": sum(len(d.events) for d in documents),
        "warnings": warnings,
    }
    return state.results.put({"files": files, "summary": summary})


def _dated(item: InputDocument, published: str | None) -> InputDocument:
    import dataclasses

    if item.published or not published:
        return item
    return dataclasses.replace(item, published=published)


async def _fetch_article(state: _State, url: str) -> Any:
    from placemap.html import HtmlDocument, read_html

    settings = state.settings
    page = await asyncio.to_thread(
        state.fetch, url, allow_private=settings.allow_private_urls, timeout=settings.fetch_timeout
    )
    if page.content_type == "text/plain":
        text = page.body.decode("utf-8", errors="replace")
        if not text.strip():
            raise PlacemapError(f"{page.url}: the page is empty")
        return HtmlDocument(id=page.url, text=text[:MAX_TEXT_CHARS], url=page.url, source=page.url)
    if page.content_type not in ("", "text/html", "application/xhtml+xml"):
        raise PlacemapError(f"{page.url}: a {page.content_type} file, not an article page")
    return await asyncio.to_thread(read_html, page.body, id=page.url, url=page.url)


async def _uploads(state: _State, uploads: list[UploadFile], warnings: list[str]) -> list[Any]:
    with tempfile.TemporaryDirectory(prefix="placemap-upload-") as folder:
        names = []
        for index, upload in enumerate(uploads):
            original = upload.filename or "upload"
            if Path(original).suffix.lower() not in UPLOAD_SUFFIXES:
                raise PlacemapError(f"{original}: not one of the files taken ({', '.join(UPLOAD_SUFFIXES)})")
            name = _safe_file_name(original)
            if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
                name += Path(original).suffix.lower()
            path = Path(folder) / f"{index:02d}" / name
            path.parent.mkdir()
            path.write_bytes(await upload.read())
            names.append(str(path.relative_to(folder)))
        items, problems = await asyncio.to_thread(
            _read_uploads, Path(folder), names, state.gazetteer, state.settings.min_score
        )
    warnings.extend(problems)
    return items


def _api_routes(app: FastAPI, state: _State) -> None:
    @app.get("/healthz", summary="Is the server up?", tags=["api"])
    async def healthz() -> dict[str, Any]:
        """`{"status": "ok"}` while the server answers (OpenAPI descriptions are Markdown)."""
        return {"status": "ok", "version": __version__, "jobs": state.workers.jobs}

    @app.post("/api/geoparse", summary="Geoparse one text", tags=["api"])
    async def api_geoparse(body: GeoparseRequest) -> Response:
        """The places and events of one text: the JSON object `placemap geoparse` writes per line
        (`docs/document.schema.json`)."""
        doc_id = body.id or hashlib.sha1(body.text.encode("utf-8", "replace")).hexdigest()[:12]
        documents, errors = await state.workers.geoparse([InputDocument(doc_id, body.text, body.published)])
        if errors:
            return JSONResponse({"detail": errors[0]}, status_code=422)
        return JSONResponse(document_to_json(documents[0]))

    @app.post("/api/map", summary="Map documents as GeoJSON", tags=["api"], response_class=Response)
    async def api_map(body: MapRequest) -> Response:
        """GeoJSON (RFC 7946) of the events and places of the documents: texts are geoparsed,
        geoparse output is taken as it is. One FeatureCollection; `layer` names the category."""
        items: list[Any] = []
        try:
            for number, obj in enumerate(body.documents, start=1):
                if is_geoparsed(obj):
                    items.append(apply_min_score(document_from_json(obj), state.settings.min_score))
                else:
                    items.append(_dated(input_from_json(obj, number=number), body.published))
        except PlacemapError as err:
            return JSONResponse({"detail": f"documents[{number - 1}]: {err}"}, status_code=422)
        texts = [item for item in items if isinstance(item, InputDocument)]
        parsed, errors = await state.workers.geoparse(texts)
        if errors:
            return JSONResponse({"detail": "; ".join(errors)}, status_code=422)
        documents = iter(parsed)
        ordered = [item if isinstance(item, Document) else next(documents) for item in items]
        payload = await state.draw(_map_geojson, ordered, state.gazetteer)
        return Response(payload, media_type="application/geo+json")


# -- running it --------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """True when ``host`` is reached from this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one); ``OSError`` when it cannot be had."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(address)
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def _server(app: Any, *, log_level: str) -> Any:
    import uvicorn

    config = uvicorn.Config(app, log_level=log_level, timeout_graceful_shutdown=5, server_header=False)
    return uvicorn.Server(config)


def run_server(app: Any, sock: socket.socket, *, log_level: str = "info") -> None:
    """Serve ``app`` with uvicorn on the bound ``sock`` until Ctrl-C."""
    _server(app, log_level=log_level).run(sockets=[sock])


@contextlib.contextmanager
def serve_in_thread(app: Any, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a background thread while the block runs; yields the base URL.

    For tests and benchmarks: the server stops (and its thread ends) when the block exits.
    """
    import time

    sock = bind_socket(host, port)
    server = _server(app, log_level="warning")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        bound_host, bound_port = sock.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        yield f"http://{shown}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
