"""Dispatch-like text of any length on one line with no sentence end, for timing long inputs.

    python benchmarks/long_text.py [--chars N] [--seed S] > line.txt

Issue 20, item 6: a 1.2 MB line with no sentence end was one "sentence" to the parser. The text
is composed here from our own words (no news text is copied): clauses of shelling, fighting,
evacuation and aid, with places, times and sources, joined by commas and "and", never by a full
stop, so that no sentence splitter can cut it.
"""

from __future__ import annotations

import argparse
import random
import sys

__all__ = ["long_line"]

PLACES = (
    "Kharkiv", "Izium", "Kramatorsk", "Sloviansk", "Bakhmut", "Mariupol", "Zaporizhzhia", "Kherson",
    "Mykolaiv", "Odesa", "Dnipro", "Sumy", "Chernihiv", "Lysychansk", "Severodonetsk", "Kupiansk",
    "Avdiivka", "Pokrovsk", "Melitopol", "Berdiansk", "Enerhodar", "Nikopol", "Kryvyi Rih", "Poltava",
)  # fmt: skip
REGIONS = ("the Donetsk region", "the Kharkiv region", "Luhansk oblast", "southern Ukraine", "the Black Sea coast")
FORCES = ("Russian forces", "Ukrainian troops", "artillery units", "drones", "armoured columns", "the army")
STRIKES = ("shelled", "struck", "bombarded", "fired rockets at", "hit", "attacked")
MOVES = ("advanced towards", "withdrew from", "crossed the river near", "regrouped outside", "pushed into")
TARGETS = ("a fuel depot in", "residential blocks in", "the railway station in", "a bridge near", "a school in")
TIMES = ("overnight", "on Tuesday", "early on Friday", "late on Sunday", "for a third day", "since dawn")
SOURCES = ("officials in {p} said", "the regional governor said", "according to the mayor of {p}",
           "a spokesman for the army said", "witnesses in {p} reported")  # fmt: skip
PEOPLE = ("civilians", "families", "residents", "hundreds of people", "about 400 people", "children")


def _clause(pick: random.Random) -> str:
    place, other = pick.sample(PLACES, 2)
    kind = pick.randrange(5)
    if kind == 0:
        text = f"{pick.choice(FORCES)} {pick.choice(STRIKES)} {pick.choice(TARGETS)} {place} {pick.choice(TIMES)}"
    elif kind == 1:
        text = f"{pick.choice(FORCES)} {pick.choice(MOVES)} {place} in {pick.choice(REGIONS)}"
    elif kind == 2:
        text = f"{pick.choice(PEOPLE)} were evacuated from {place} to {other} {pick.choice(TIMES)}"
    elif kind == 3:
        text = f"aid convoys reached {place} and {other} after fighting {pick.choice(TIMES)}"
    else:
        text = f"explosions were heard in {place} {pick.choice(TIMES)}"
    if pick.random() < 0.4:
        text += ", " + pick.choice(SOURCES).format(p=other)
    return text


def long_line(chars: int, seed: int = 0) -> str:
    """At least ``chars`` characters of dispatch-like clauses on one line, without a full stop.

    Examples
    --------
    >>> text = long_line(500)
    >>> len(text) >= 500 and "." not in text and "\\n" not in text
    True
    """
    pick = random.Random(seed)
    clauses: list[str] = []
    size = 0
    while size < chars:
        clause = _clause(pick)
        clauses.append(clause)
        size += len(clause) + 2
    return _join(clauses, pick)


def _join(clauses: list[str], pick: random.Random) -> str:
    parts = [clauses[0][0].upper() + clauses[0][1:]]
    for clause in clauses[1:]:
        parts.append(pick.choice((", ", ", and ", " and ", ", while ")) + clause)
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_200_000, help="length of the line (default 1.2 MB)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.stdout.write(long_line(args.chars, args.seed) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
