"""The ``placemap`` command line: parses arguments, calls the library, prints.

Every failure the user can cause ends in one line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placemap.atomic import atomic_open
from placemap.exc import PlacemapError

if TYPE_CHECKING:  # the geoparser loads numpy and spaCy: only the commands that geoparse import it
    from placemap.geo.pipeline import GeoparserSettings

__all__ = ["main"]

EXIT_ERROR = 1
EXIT_USAGE = 2
#: GeoNames' public dump directory (``placemap.gazetteer.download.DEFAULT_BASE_URL``, not
#: imported: ``placemap --help`` should not load the gazetteer).
DEFAULT_DUMP_URL = "https://download.geonames.org/export/dump/"


def _gazetteer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gazetteer",
        metavar="PATH",
        default=os.environ.get("PLACEMAP_GAZETTEER"),
        help="gazetteer store to use (default: $PLACEMAP_GAZETTEER, else the embedded default)",
    )


def _probability(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 0 to 1")
    return number


def _open_gazetteer(args: argparse.Namespace):
    from placemap.gazetteer import Gazetteer, default_store_path

    if args.gazetteer is None and not default_store_path().exists():
        print("placemap: building the embedded gazetteer (first run only, about a minute)...", file=sys.stderr)
    return Gazetteer.open(args.gazetteer)


# -- geocode ---------------------------------------------------------------------------
def _cmd_geocode(args: argparse.Namespace) -> int:
    gazetteer = _open_gazetteer(args)
    found_all = True
    results = []
    for name in args.names:
        candidates = gazetteer.lookup(name, country=args.country, limit=1)
        place = candidates[0].place if candidates else None
        found_all &= place is not None
        results.append((name, place, candidates[0].prior if candidates else None))
    if args.json:
        payload = [
            {
                "name": name,
                "place": place.name if place else None,
                "lat": place.lat if place else None,
                "lon": place.lon if place else None,
                "geonameid": place.geonameid if place else None,
                "country_code": place.country_code if place else None,
                "feature_code": place.feature_code if place else None,
                "score": round(score, 4) if score is not None else None,
            }
            for name, place, score in results
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for name, place, _ in results:
            if place is None:
                print(f"{name}\t(not found)")
            else:
                columns = (name, place.name, place.country_code, f"{place.lat:.5f}", f"{place.lon:.5f}")
                print("\t".join((*columns, str(place.geonameid or "-"))))
    return 0 if found_all else EXIT_ERROR


# -- gazetteer build / info / add ----------------------------------------------------------
def _cmd_gazetteer_build(args: argparse.Namespace) -> int:
    from placemap.gazetteer import default_store_path
    from placemap.gazetteer.build import build_embedded, build_with_geonames

    target = Path(args.output or args.gazetteer or default_store_path())
    if args.geonames:
        build_with_geonames(target, args.geonames)
    else:
        build_embedded(target)
    print(f"wrote {target}")
    _warn_dropped(target)
    return 0


def _warn_dropped(store: Path) -> None:
    """Say which files of added places the store just rebuilt no longer holds (read under its lock)."""
    from placemap.gazetteer.build import DROPPED_KEY
    from placemap.gazetteer.store import stored_meta

    if dropped := stored_meta(store, DROPPED_KEY):
        files = ", ".join(line.split(":")[0] for line in dropped.splitlines())
        print(f"placemap: the rebuilt store lacks the places added with gazetteer add; add them again ({files})",
              file=sys.stderr)  # fmt: skip


def _cmd_gazetteer_info(args: argparse.Namespace) -> int:
    gazetteer = _open_gazetteer(args)
    print(f"path: {gazetteer.path}")
    print(f"size: {gazetteer.path.stat().st_size / 1e6:.1f} MB")
    for key in ("kind", "built", "build_seconds", "schema_version"):
        print(f"{key}: {gazetteer.meta.get(key, '?')}")
    for table, count in gazetteer.counts().items():
        print(f"{table}: {count:,}")
    print("sources:")
    for line in gazetteer.meta.get("sources", "").splitlines():
        print(f"  {line}")
    for line in gazetteer.meta.get("user_places", "").splitlines():
        print(f"  user: {line}")
    for line in gazetteer.meta.get("downloads", "").splitlines():
        print(f"  downloaded: {line}")
    return 0


def _cmd_gazetteer_download(args: argparse.Namespace) -> int:
    from placemap.gazetteer import default_store_path
    from placemap.gazetteer.download import download_store, dump_names

    target = Path(args.output or args.gazetteer or default_store_path())
    names = dump_names(args.countries, all_countries=args.all)
    with _ByteBars() as bars:
        files = download_store(target, names, base_url=args.base_url, progress=bars.report)
    for file in files:
        print(f"{file.name}: {file.rows:,} rows, sha256 {file.sha256}")
    print(f"wrote {target}")
    _warn_dropped(target)
    return 0


class _ByteBars:
    """A tqdm bar per downloaded file: bytes done, rate and time left (on stderr)."""

    def __enter__(self) -> _ByteBars:
        self._bars: dict[str, Any] = {}
        return self

    def report(self, name: str, done: int, total: int | None) -> None:
        from tqdm import tqdm

        bar = self._bars.get(name)
        if bar is None:
            bar = self._bars[name] = tqdm(
                desc=name, total=total, initial=done, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr
            )
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()  # else its clock runs on through the build

    def __exit__(self, *exc_info: object) -> None:
        for bar in self._bars.values():
            bar.close()


def _cmd_gazetteer_add(args: argparse.Namespace) -> int:
    from placemap.gazetteer.build import add_places

    store = _open_gazetteer(args).path
    count = add_places(store, args.csv)
    print(f"added {count} rows from {args.csv} to {store}")
    return 0


# -- geoparse / eval / map: one set of options, one way to build the geoparser ------------------
def _geoparser_options(parser: argparse.ArgumentParser, *, texts_only: bool = False) -> None:
    """The options that say how texts are geoparsed; the same words mean the same in every command."""
    note = " (texts only: saved geoparse output is taken as it is)" if texts_only else ""
    parser.add_argument(
        "--resolver",
        choices=("context", "population"),
        default="context",
        help="context: the learned resolver; population: the most populous candidate" + note,
    )
    parser.add_argument(
        "--adjectives", action="store_true", help='also tag adjectives of nationality ("Russian")' + note
    )
    parser.add_argument(
        "--min-score",
        type=_probability,
        default=0.0,
        metavar="P",
        help="leave a name unplaced when its score (about the chance the place is right) is below P",
    )
    parser.add_argument(
        "--jobs", type=_positive, default=1, metavar="N", help="processes (or Dask workers) geoparsing; default 1"
    )


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("auto", "jsonl", "text"),
        default="auto",
        help="how to read standard input (-): JSON lines, one text, or auto (an error when the lines are mixed)",
    )


def _iso_day(value: str) -> str:
    """A publication date as the README writes it; anything else is refused, not ignored."""
    import re
    from datetime import date

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day written YYYY-MM-DD") from None


def _number(kind: type, low: float, high: float, what: str) -> Callable[[str], Any]:
    """An argparse type: a ``kind`` (int or float) from ``low`` to ``high``, else "... is not ``what``"."""

    def parse(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            number = math.nan
        if not low <= number <= high:  # nan is never in range
            raise argparse.ArgumentTypeError(f"{value!r} is not {what}")
        return number

    return parse


_positive = _number(int, 1, math.inf, "a whole number of at least 1")
_port = _number(int, 0, 65535, "a port number (0 to 65535)")
_megabytes = _number(float, 0.001, 10_000, "a size in MB (0.001 to 10000)")


def _settings(args: argparse.Namespace, gazetteer: Any, *, events: bool) -> GeoparserSettings:
    """The geoparser the options ask for, on the store already opened (and built) here."""
    from placemap.geo.pipeline import GeoparserSettings

    return GeoparserSettings(
        gazetteer=str(gazetteer.path),
        adjectives=args.adjectives,
        resolver=args.resolver,
        min_score=args.min_score,
        events=events,
    )


def _cmd_geoparse(args: argparse.Namespace) -> int:
    import dataclasses

    from placemap.batch import run_batch
    from placemap.documents import read_inputs
    from placemap.geo.pipeline import build_geoparser

    gazetteer = _open_gazetteer(args)  # built here, once, before any worker starts
    make = partial(build_geoparser, _settings(args, gazetteer, events=args.events))
    errors: list[str] = []
    items = (
        dataclasses.replace(item, published=item.published or args.published)
        for item in read_inputs(args.inputs, errors, stdin_format=args.format)
    )
    output = Path(args.output) if args.output else None
    if args.engine == "dask":
        from placemap.dask_engine import run_dask

        run_dask(
            items,
            output,
            make_geoparser=make,
            scheduler=args.scheduler,
            workers=args.jobs,
            errors=errors,
            resume=args.resume,
            partitions_dir=Path(args.partitions) if args.partitions else None,
        )
    else:
        run_batch(items, output, make_geoparser=make, jobs=args.jobs, resume=args.resume, errors=errors)
    _report(errors)
    return EXIT_ERROR if errors else 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from placemap.batch import geoparse_all
    from placemap.docformat import InputDocument, apply_min_score, document_to_json
    from placemap.evaluate import evaluate, format_report
    from placemap.geo.pipeline import build_geoparser

    gold = _read_gold(args.gold, args.limit)
    errors: list[str] = []
    with_events = any(doc.get("events") for doc in gold)
    gazetteer = _open_gazetteer(args)
    if args.system is not None:
        # A saved output is scored as it is: recognition and end to end (it was run on raw text).
        documents = [apply_min_score(d, args.min_score) for d in _saved_documents(args.system, errors)]
        report = evaluate(gold, [document_to_json(d) for d in documents], None)
    else:
        make = partial(build_geoparser, _settings(args, gazetteer, events=with_events))
        raw = [InputDocument(doc["id"], doc["text"], doc.get("published")) for doc in gold]
        spans = [
            InputDocument(doc["id"], doc["text"], spans=tuple(sorted((t["start"], t["end"]) for t in doc["toponyms"])))
            for doc in gold
        ]
        documents = [
            apply_min_score(d, args.min_score)
            for d in geoparse_all(raw, make_geoparser=make, jobs=args.jobs, errors=errors)
        ]
        resolved = [
            document_to_json(d) for d in geoparse_all(spans, make_geoparser=make, jobs=args.jobs, errors=errors)
        ]
        report = evaluate(gold, [document_to_json(d) for d in documents], resolved)
    if with_events:
        report.update(_event_report(gold, documents, gazetteer, args.min_score))
    print(json.dumps(report, indent=2) if args.json else format_report(report, title=Path(args.gold).name))
    _report(errors)
    return EXIT_ERROR if errors else 0


def _event_report(gold: list[dict], documents: list, gazetteer: Any, min_score: float) -> dict[str, Any]:
    """Events scored against gold dispatches, overall and by score (what ``--min-score`` keeps)."""
    from placemap.event_eval import Matcher, precision_by_score, score_events

    by_id = {document.id: document for document in documents}
    pairs = [(doc, by_id[doc["id"]]) for doc in gold if doc["id"] in by_id]
    matcher = Matcher(gazetteer)
    golds, predicted = [g for g, _ in pairs], [d for _, d in pairs]
    scores = score_events(matcher, golds, predicted)
    keys = ("gold", "predicted", "matched", "precision", "recall", "status", "date")
    thresholds = sorted({0.0, 0.5, 0.8, min_score})
    return {
        "events": {key: scores[key] for key in keys},
        "events_by_score": precision_by_score(matcher, golds, predicted, thresholds),
    }


def _saved_documents(path: str, errors: list[str]) -> list:
    """The geoparsed documents of a saved output; a line that is only a text is an error."""
    from placemap.documents import read_documents
    from placemap.types import Document

    documents = []
    for item in read_documents([path], errors):
        if isinstance(item, Document):
            documents.append(item)
        else:
            errors.append(f'{path}: {item.id}: not geoparsed (no "toponyms"); run placemap geoparse on it first')
    return documents


def _read_gold(path: str, limit: int | None) -> list[dict]:
    from placemap.exc import InputFormatError

    gold = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if limit is not None and len(gold) >= limit:
                break
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                doc["text"], doc["toponyms"]
                doc["id"] = str(doc["id"])  # predictions are paired with gold by id, and theirs are strings
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise InputFormatError(f"not a gold document ({err})", path=path, line=number) from err
            gold.append(doc)
    return gold


def _map_documents(
    inputs: list[str],
    gazetteer: Any,
    settings: GeoparserSettings,
    *,
    jobs: int,
    published: str | None,
    errors: list[str],
    published_for: dict[str, str] | None = None,
    stdin_format: str = "auto",
) -> list:
    """The documents to map, in input order: event tables resolved with their hints, saved
    geoparse output as it is (``--min-score`` applied to its saved scores), texts geoparsed
    (dated by their own date, else ``published_for`` by id, else ``published``)."""
    import dataclasses

    from placemap.batch import geoparse_all
    from placemap.docformat import InputDocument, apply_min_score
    from placemap.documents import read_documents
    from placemap.geo.pipeline import build_geoparser
    from placemap.tables import events_from_table, looks_like_event_table

    documents: list = []
    texts: list[tuple[int, InputDocument]] = []
    for path in inputs:
        if path != "-" and Path(path).is_file() and looks_like_event_table(path):
            problems: list = []
            documents.extend(events_from_table(path, gazetteer, problems))
            errors.extend(f"{path}: {problem}" for problem in problems)
            continue
        for item in read_documents([path], errors, stdin_format=stdin_format):
            if isinstance(item, InputDocument):
                when = item.published or (published_for or {}).get(item.id) or published
                texts.append((len(documents), dataclasses.replace(item, published=when)))
                documents.append(None)
            else:
                documents.append(apply_min_score(item, settings.min_score))
    if texts:
        failed = len(errors)
        parsed = geoparse_all(
            [item for _, item in texts], make_geoparser=partial(build_geoparser, settings), jobs=jobs, errors=errors
        )
        if len(errors) == failed:  # else the failed texts are missing from ``parsed``: match by id
            for (slot, _), document in zip(texts, parsed, strict=True):
                documents[slot] = apply_min_score(document, settings.min_score)
        else:
            by_id = {document.id: document for document in parsed}
            for slot, item in texts:
                found = by_id.get(item.id)
                documents[slot] = apply_min_score(found, settings.min_score) if found is not None else None
    return [document for document in documents if document is not None]


def _write_map(
    documents: list,
    gazetteer: Any,
    output: Path,
    *,
    title: str,
    offline: bool,
    geojson: str | None = None,
    gpkg: str | None = None,
    csv: str | None = None,
    kml: str | None = None,
) -> None:
    from placemap.maps import build_layers, render_map, write_csv, write_geojson, write_gpkg, write_kml

    layers = build_layers(documents, gazetteer=gazetteer)
    figure = render_map(layers, title=title, offline=offline, gazetteer=gazetteer)
    with atomic_open(output) as handle:
        handle.write(figure.get_root().render())
    for path, writer in ((geojson, write_geojson), (gpkg, write_gpkg), (csv, write_csv), (kml, write_kml)):
        if path:
            writer(layers, path)


#: What ``-o`` is not for: the map page is HTML, and each data format has its own option.
_DATA_SUFFIXES = {".geojson": "--geojson", ".json": "--geojson", ".gpkg": "--gpkg", ".csv": "--csv", ".kml": "--kml"}


def _cmd_map(args: argparse.Namespace) -> int:
    option = _DATA_SUFFIXES.get(Path(args.output).suffix.lower())
    if option:
        print(f"placemap: error: -o writes the HTML map; use {option} {args.output} for that format", file=sys.stderr)
        return EXIT_ERROR
    gazetteer = _open_gazetteer(args)
    errors: list[str] = []
    settings = _settings(args, gazetteer, events=True)
    documents = _map_documents(
        args.inputs,
        gazetteer,
        settings,
        jobs=args.jobs,
        published=args.published,
        errors=errors,
        stdin_format=args.format,
    )
    _report(errors)
    if not documents:
        print("placemap: error: nothing to map", file=sys.stderr)
        return EXIT_ERROR
    _write_map(
        documents,
        gazetteer,
        Path(args.output),
        title=args.title,
        offline=args.offline,
        geojson=args.geojson,
        gpkg=args.gpkg,
        csv=args.csv,
        kml=args.kml,
    )
    print(f"wrote {args.output}")
    return EXIT_ERROR if errors else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from placemap.docformat import document_to_json

    source = Path(args.input)
    if not source.is_dir():
        print(
            f"placemap: error: no example dispatches at {source} (run from the repository, or give --input)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    gazetteer = _open_gazetteer(args)
    errors: list[str] = []
    from placemap.geo.pipeline import GeoparserSettings

    settings = GeoparserSettings(gazetteer=str(gazetteer.path))
    published_for = _publication_dates(source / "published.csv")
    documents = _map_documents(
        [str(source)], gazetteer, settings, jobs=1, published=None, errors=errors, published_for=published_for
    )
    with atomic_open(out / "demo.jsonl") as handle:
        for document in documents:
            handle.write(json.dumps(document_to_json(document), ensure_ascii=False) + "\n")
    _write_map(
        documents, gazetteer, out / "demo.html", title="placemap demo", offline=True, geojson=str(out / "demo.geojson")
    )
    events = sum(len(document.events) for document in documents)
    toponyms = sum(len(document.toponyms) for document in documents)
    print(f"{len(documents)} dispatches, {toponyms} place names, {events} events")
    print(f"wrote {out / 'demo.jsonl'}, {out / 'demo.geojson'} and {out / 'demo.html'}")
    if args.open:
        import webbrowser

        webbrowser.open((out / "demo.html").resolve().as_uri())
    _report(errors)
    return EXIT_ERROR if errors else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import importlib

    try:
        serve = importlib.import_module("placemap.serve")
    except ImportError as err:
        print(
            f"placemap: error: placemap serve needs the serve extra ({err.name} is missing): "
            "pip install -c requirements/constraints.txt 'placemap[serve]'",
            file=sys.stderr,
        )
        return EXIT_ERROR
    sock = serve.bind_socket(args.host, args.port)  # a port in use: one line, before the model loads
    try:
        host, port = sock.getsockname()[:2]
        url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
        if not serve.is_loopback(args.host):
            print(
                f"placemap: warning: listening on {args.host}: anyone on that network can use this server "
                "(and have it fetch web pages)",
                file=sys.stderr,
            )
        gazetteer = _open_gazetteer(args)
        print("placemap: loading the geoparser...", file=sys.stderr)
        workers = serve.GeoparseWorkers.start(
            _settings(args, gazetteer, events=True), gazetteer=gazetteer, jobs=args.jobs
        )
        settings = serve.ServeSettings(
            max_body_bytes=int(args.max_body_mb * 1_000_000),
            allow_private_urls=args.allow_private_urls,
            min_score=args.min_score,
            allowed_hosts=serve.LOOPBACK_HOSTS if serve.is_loopback(args.host) else None,
        )
        app = serve.create_app(gazetteer, workers, settings)
        print(f"placemap: serving on {url} (Ctrl-C stops)", file=sys.stderr)
        if args.open:
            import threading
            import webbrowser

            opener = threading.Timer(1.0, webbrowser.open, args=(url,))  # once uvicorn listens
            opener.daemon = True
            opener.start()
        try:
            serve.run_server(app, sock, log_level="warning" if args.quiet else "info")
        finally:
            workers.close()
    finally:
        sock.close()
    return 0


def _report(errors: list[str]) -> None:
    for error in errors:
        print(f"placemap: {error}", file=sys.stderr)


def _publication_dates(path: Path) -> dict[str, str]:
    """``file -> YYYY-MM-DD`` from the demo's ``published.csv`` (none when it is missing):
    the dispatches' datelines give no year, and the map's time slider needs dates."""
    import csv

    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["file"]: row["published"] for row in csv.DictReader(handle) if row.get("file")}


# -- parser ----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="placemap", description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    geocode = commands.add_parser("geocode", help="resolve place names against the offline gazetteer")
    geocode.add_argument("names", nargs="+", metavar="NAME")
    geocode.add_argument("--country", metavar="CC", help="keep to this ISO-3166 alpha-2 country")
    geocode.add_argument("--json", action="store_true", help="print JSON instead of tab-separated lines")
    _gazetteer_option(geocode)
    geocode.set_defaults(handler=_cmd_geocode)

    gazetteer = commands.add_parser("gazetteer", help="build, inspect or extend the gazetteer")
    actions = gazetteer.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="(re)build the store, optionally with GeoNames dumps")
    build.add_argument("--geonames", nargs="+", metavar="FILE", help="GeoNames dumps: XX.zip, allCountries.zip, *.txt")
    build.add_argument("-o", "--output", metavar="PATH", help="where to write (default: --gazetteer or the default)")
    _gazetteer_option(build)
    build.set_defaults(handler=_cmd_gazetteer_build)
    info = actions.add_parser("info", help="print sources, counts and build date")
    _gazetteer_option(info)
    info.set_defaults(handler=_cmd_gazetteer_info)
    download = actions.add_parser("download", help="download GeoNames dumps and build an extended store from them")
    download.add_argument("countries", nargs="*", metavar="CC", help="ISO-2 country codes (UA.zip ...), no-country")
    download.add_argument("--all", action="store_true", help="allCountries.zip (about 400 MB)")
    download.add_argument("--base-url", default=DEFAULT_DUMP_URL, metavar="URL", help="mirror (https, http or file)")
    download.add_argument("-o", "--output", metavar="STORE", help="where to write (default: as for build)")
    _gazetteer_option(download)
    download.set_defaults(handler=_cmd_gazetteer_download)
    add = actions.add_parser("add", help="add your own places and aliases from a CSV")
    add.add_argument("csv", metavar="PLACES.csv")
    _gazetteer_option(add)
    add.set_defaults(handler=_cmd_gazetteer_add)

    geoparse = commands.add_parser("geoparse", help="find and resolve the place names of texts (JSON lines out)")
    geoparse.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt file, directory, .jsonl file or - (stdin)")
    geoparse.add_argument(
        "--published", type=_iso_day, metavar="YYYY-MM-DD", help="publication date for texts that carry none"
    )
    _format_option(geoparse)
    geoparse.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here (atomically) instead of stdout")
    _geoparser_options(geoparse)
    geoparse.add_argument("--no-events", dest="events", action="store_false", help="places only, no event extraction")
    geoparse.add_argument("--resume", action="store_true", help="continue an interrupted run of the same -o output")
    geoparse.add_argument("--engine", choices=("local", "dask"), default="local", help="where the work runs")
    geoparse.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786); default: a local cluster"
    )
    geoparse.add_argument("--partitions", metavar="DIR", help="with --engine dask: also write part-*.jsonl files here")
    _gazetteer_option(geoparse)
    geoparse.set_defaults(handler=_cmd_geoparse)

    evaluate = commands.add_parser("eval", help="score the geoparser against gold JSON lines")
    evaluate.add_argument("gold", metavar="GOLD.jsonl")
    evaluate.add_argument("--limit", type=int, metavar="N", help="only the first N documents")
    evaluate.add_argument(
        "--system",
        metavar="OUT.jsonl",
        help="score this saved geoparse output (recognition and end to end) instead of geoparsing the gold texts",
    )
    _geoparser_options(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    _gazetteer_option(evaluate)
    evaluate.set_defaults(handler=_cmd_eval)

    mapping = commands.add_parser("map", help="draw a layered map of the events and places in texts or event tables")
    mapping.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="texts as for geoparse, geoparse output, or CSV/JSONL event tables"
    )
    mapping.add_argument("-o", "--output", required=True, metavar="MAP.html")
    mapping.add_argument("--geojson", metavar="OUT.geojson", help="also write RFC 7946 GeoJSON")
    mapping.add_argument("--gpkg", metavar="OUT.gpkg", help="also write a GeoPackage (a table per layer)")
    mapping.add_argument("--csv", metavar="OUT.csv", help="also write a CSV (WKT geometry)")
    mapping.add_argument(
        "--kml",
        metavar="OUT.kml",
        help="also write KML for Google Earth (a placemark per feature, in the map's category colours)",
    )
    mapping.add_argument("--offline", action="store_true", help="one self-contained HTML file: no tiles, no CDN")
    mapping.add_argument(
        "--published", type=_iso_day, metavar="YYYY-MM-DD", help="publication date for texts that carry none"
    )
    _format_option(mapping)
    mapping.add_argument("--title", default="placemap", help="map title")
    _geoparser_options(mapping, texts_only=True)
    _gazetteer_option(mapping)
    mapping.set_defaults(handler=_cmd_map)

    demo = commands.add_parser("demo", help="geoparse the bundled example dispatches and map them")
    demo.add_argument("--input", default="examples/dispatches", metavar="DIR", help="default: examples/dispatches")
    demo.add_argument("--output-dir", default="out", metavar="DIR", help="default: out")
    demo.add_argument("--open", action="store_true", help="open the map in a browser")
    _gazetteer_option(demo)
    demo.set_defaults(handler=_cmd_demo)

    serving = commands.add_parser("serve", help="a local web app: paste a story or a link, get the map")
    serving.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    serving.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0: any free port)")
    serving.add_argument("--open", action="store_true", help="open the page in a browser")
    serving.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="let the URL field fetch loopback and private addresses (refused by default)",
    )
    serving.add_argument(
        "--max-body-mb", type=_megabytes, default=10.0, metavar="MB", help="larger requests get 413 (default 10)"
    )
    serving.add_argument("--quiet", action="store_true", help="no line per request")
    _geoparser_options(serving)
    _gazetteer_option(serving)
    serving.set_defaults(handler=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``placemap`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:
        # The reader went away (`placemap ... | head`): not an error of ours to report.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except PlacemapError as err:
        print(f"placemap: error: {err}", file=sys.stderr)
    except (OSError, UnicodeError) as err:
        print(f"placemap: error: {err}", file=sys.stderr)
    except sqlite3.DatabaseError as err:  # a store damaged where a query without a check reads it
        print(f"placemap: error: {_damaged(args, err)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("placemap: interrupted", file=sys.stderr)
        return 130
    return EXIT_ERROR


def _damaged(args: argparse.Namespace, err: sqlite3.DatabaseError) -> str:
    from placemap.gazetteer import default_store_path
    from placemap.gazetteer.store import damaged

    store = getattr(args, "gazetteer", None) or default_store_path()
    return str(damaged(Path(store), err))


if __name__ == "__main__":
    sys.exit(main())
