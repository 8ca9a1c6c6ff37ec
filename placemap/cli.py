"""The ``placemap`` command line: parses arguments, calls the library, prints.

Every failure the user can cause ends in one line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from placemap.exc import PlacemapError

__all__ = ["main"]

EXIT_ERROR = 1
EXIT_USAGE = 2


def _gazetteer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gazetteer",
        metavar="PATH",
        default=os.environ.get("PLACEMAP_GAZETTEER"),
        help="gazetteer store to use (default: $PLACEMAP_GAZETTEER, else the embedded default)",
    )


def _open_gazetteer(args: argparse.Namespace):  # noqa: ANN202 - keeps imports lazy
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
                print(f"{name}\t{place.name}\t{place.country_code}\t{place.lat:.5f}\t{place.lon:.5f}\t{place.geonameid or '-'}")
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
    return 0


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
    return 0


def _cmd_gazetteer_add(args: argparse.Namespace) -> int:
    from placemap.gazetteer.build import add_places

    store = _open_gazetteer(args).path
    count = add_places(store, args.csv)
    print(f"added {count} rows from {args.csv} to {store}")
    return 0


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
    add = actions.add_parser("add", help="add your own places and aliases from a CSV")
    add.add_argument("csv", metavar="PLACES.csv")
    _gazetteer_option(add)
    add.set_defaults(handler=_cmd_gazetteer_add)

    for register in _EXTRA_COMMANDS:
        register(commands)
    return parser


#: Commands defined in other modules register themselves here (geoparse, eval, map, demo).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``placemap`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except PlacemapError as err:
        print(f"placemap: error: {err}", file=sys.stderr)
    except (OSError, UnicodeError) as err:
        print(f"placemap: error: {err}", file=sys.stderr)
    except KeyboardInterrupt:
        print("placemap: interrupted", file=sys.stderr)
        return 130
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
