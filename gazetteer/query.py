"""Understand the qualifiers news attaches to a place name.

"Brest, Belarus" → Brest within BY; "Donetsk region" → the admin-1 unit Donetsk;
"the Dnipro river" → the stream Dnipro. A query becomes an ordered list of attempts;
the gazetteer returns the candidates of the first attempt that finds any.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .fold import code_key, fold_name

__all__ = ["DESIGNATORS", "Attempt", "name_keys", "parse_query"]

_ADMIN1_FIRST = ("ADM1", "ADM2")
_ADMIN2_FIRST = ("ADM2", "ADM1", "ADM3")
_STREAM = ("STM", "STMS", "STMI", "CNL")
_LAKE = ("LK", "LKS", "RSV")

#: Words that follow a name and say what kind of place it is, with the feature codes
#: they point to. Folded forms.
DESIGNATORS: dict[str, tuple[str, ...]] = {
    "region": _ADMIN1_FIRST,
    "oblast": _ADMIN1_FIRST,
    "province": _ADMIN1_FIRST,
    "governorate": _ADMIN1_FIRST,
    "state": _ADMIN1_FIRST,
    "krai": _ADMIN1_FIRST,
    "kray": _ADMIN1_FIRST,
    "prefecture": _ADMIN1_FIRST,
    "county": _ADMIN2_FIRST,
    "district": _ADMIN2_FIRST,
    "raion": _ADMIN2_FIRST,
    "rayon": _ADMIN2_FIRST,
    "parish": _ADMIN2_FIRST,
    "river": _STREAM,
    "lake": _LAKE,
    "reservoir": _LAKE,
}
_PREFIXES = {"lake": _LAKE, "river": _STREAM, "mount": ("MT", "MTS", "PK")}
_LEADING_ARTICLE = re.compile(r"^the\s+")
_DIRECTIONS = frozenset(
    "north northern south southern east eastern west western central upper lower greater northeast "
    "northeastern northwest northwestern southeast southeastern southwest southwestern".split()
)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One way to read a query: a folded key and the filters that come with it."""

    key: str
    feature_codes: tuple[str, ...] = ()
    country: str | None = None
    admin1: str | None = None


def parse_query(
    name: str,
    country_code_for: Callable[[str], str | None],
    admin1_for: Callable[[str], tuple[str, str] | None] | None = None,
) -> list[Attempt]:
    """The attempts for ``name``, most specific first (empty for a blank name)."""
    scopes: list[tuple[str | None, str | None]] = []
    head = name
    if "," in name:
        left, _, right = name.rpartition(",")
        # "Brest, Belarus" names a country; "Atlanta, Georgia" a state: try both readings.
        country = country_code_for(right.strip())
        if country is not None:
            scopes.append((country, None))
        found = admin1_for(right.strip()) if admin1_for is not None else None
        if found is not None:
            scopes.append(found)
        if scopes and fold_name(left):
            head = left
    attempts = []
    for country, admin1 in scopes or [(None, None)]:
        attempts.extend(_attempts_for(head, country, admin1))
    if head is not name:
        attempts.extend(_attempts_for(name, None, None))
    elif "," in name:
        # "Washington, D.C." style: an unrecognised qualifier; fall back to the head alone.
        attempts.extend(_attempts_for(name, None, None))
        attempts.extend(_attempts_for(name.rpartition(",")[0], None, None))
    return [attempt for attempt in dict.fromkeys(attempts) if attempt.key]


def name_keys(name: str) -> list[str]:
    """The keys ``name`` is looked up by, in order: a code first ("IN" is Indiana), then the
    folded words it may also be ("KYIV" in a dateline)."""
    code = code_key(name)
    return [code, fold_name(name)] if code else [fold_name(name)]


def _attempts_for(head: str, country: str | None, admin1: str | None) -> list[Attempt]:
    *codes, key = name_keys(head)
    key = _LEADING_ARTICLE.sub("", key)
    if not key:
        return []
    attempts = [Attempt(code, (), country, admin1) for code in codes]
    words = key.split(" ")
    if len(words) > 1 and words[-1] in DESIGNATORS:
        codes = DESIGNATORS[words[-1]]
        # Admin levels in order of preference: "New York state" is the state even though
        # New York County has more people; streams or lakes are one group.
        groups = [(code,) for code in codes] if codes in (_ADMIN1_FIRST, _ADMIN2_FIRST) else [codes]
        attempts.extend(Attempt(" ".join(words[:-1]), group, country, admin1) for group in groups)
    elif len(words) > 1 and words[0] in _PREFIXES:
        attempts.append(Attempt(key, (), country, admin1))
        attempts.append(Attempt(" ".join(words[1:]), _PREFIXES[words[0]], country, admin1))
    attempts.append(Attempt(key, (), country, admin1))
    if len(words) > 1 and words[0] in _DIRECTIONS:
        # "Northern California", "Greater Manchester": when no place has the whole name,
        # the part of the place named is nearer the place than anything else.
        attempts.extend(_attempts_for(" ".join(words[1:]), country, admin1))
    return attempts
