"""What the event model sees of a place in a sentence: the words around it, no parse needed.

A feature is a string (present or not). The learned event model (:mod:`.event_model`) gives
each feature a weight per event role, so which words announce shelling or a corridor, and
which words before a name make it a venue, an origin or a speaker, are learned from
annotated text rather than listed by hand. Words are lower-cased and cut to a crude stem
("shelled", "shelling" -> "shell") so that a form the training text never used still counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from placemap.types import Place

__all__ = ["PlaceInSentence", "place_features", "place_kind", "sentence_features", "stem", "tokens"]

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_NUMBER = re.compile(r"^\d[\d,.]*$")
#: Words close to a name: the clause that states what happened there.
NEAR = 6


def stem(word: str) -> str:
    """A crude, deterministic stem: enough to join a word's inflections.

    >>> [stem(w) for w in ("Shelled", "shelling", "strikes", "crossed", "talks", "Gaza", "1,900")]
    ['shell', 'shell', 'strike', 'cross', 'talk', 'gaza', '<num>']
    """
    word = word.lower().replace("’", "'")
    if _NUMBER.match(word):
        return "<num>"
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    if word.endswith(("sses", "shes", "ches", "xes")) and len(word) > 5:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of every word and punctuation mark of ``text``."""
    return [(m.start(), m.end(), stem(m.group(0))) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class PlaceInSentence:
    """One name in one sentence: its character span (relative to the sentence) and place."""

    start: int
    end: int
    place: Place | None
    anaphor: bool = False


def place_kind(place: Place | None, anaphor: bool = False) -> str:
    """The kind of place a name is, as the features say it (country, admin, city, town ...)."""
    if anaphor:
        return "anaphor"
    if place is None:
        return "none"
    code = place.feature_code
    if place.is_country:
        return "country"
    if code in ("ADM1", "ADM2", "ADM3", "RGN") or code.startswith("ADM"):
        return "admin"
    if place.feature_class == "P":
        return "city" if place.population >= 100_000 or code in ("PPLC", "PPLA") else "town"
    if place.feature_class in ("H", "T", "L"):
        return "nature"
    return "site"


def sentence_features(
    text: str,
    names: Sequence[PlaceInSentence],
    words: list[tuple[int, int, str]] | None = None,
    lexicon: Mapping[str, str] | None = None,
) -> list[str]:
    """The sentence's words (not those of its names) as ``s:`` features, its listed triggers as ``t:``."""
    words = tokens(text) if words is None else words
    inside = [(n.start, n.end) for n in names]
    bag = {
        f"s:{w}"
        for start, end, w in words
        if w.isalpha() and len(w) > 2 and not any(s < end and start < e for s, e in inside)
    }
    if lexicon:
        bag |= {f"t:{lexicon[text[s:e].lower()]}" for s, e, _ in words if text[s:e].lower() in lexicon}
    return sorted(bag)


def place_features(
    text: str,
    names: Sequence[PlaceInSentence],
    lexicon: Mapping[str, str] | None = None,
    *,
    bag: list[str] | None = None,
) -> list[list[str]]:
    """Features of every name of one sentence ``text`` (one list per name, in the given order).

    ``lexicon`` maps listed trigger words to their category: ``t:`` features say which
    categories the sentence names, ``tn:`` which are within a few words of the name. ``bag``
    is the sentence's own features (:func:`sentence_features`) when the caller has them.
    """
    words = tokens(text)
    bag = sentence_features(text, names, words, lexicon) if bag is None else bag
    total = len(names)
    ordered = sorted(range(total), key=lambda i: names[i].start)
    rank = {index: position for position, index in enumerate(ordered)}
    sequence, positions = _masked(words, names)
    starts = [start for start, _, _ in words]
    features = []
    for index, name in enumerate(names):
        here = positions[index]
        left, right = sequence[max(0, here - NEAR) : here], sequence[here + 1 : here + 1 + NEAR]
        own = [
            f"kind:{place_kind(name.place, name.anaphor)}",
            f"b1:{left[-1] if left else '<s>'}",
            f"b2:{' '.join(left[-2:]) if len(left) > 1 else '<s>'}",
            f"a1:{right[0] if right else '</s>'}",
            f"a2:{' '.join(right[:2]) if len(right) > 1 else '</s>'}",
            f"pos:{'first' if rank[index] == 0 else 'later'}",
            f"places:{min(total, 4)}",
            f"early:{min(here, 8) // 2}",
        ]
        own += sorted({f"l:{w}" for w in left[-NEAR:] if w.isalpha()})
        own += sorted({f"r:{w}" for w in right[:NEAR] if w.isalpha()})
        own += _pairs(left, right)
        if lexicon:
            own += _near_triggers(text, words, bisect_left(starts, name.start), lexicon)
        features.append(own + bag)
    return features


def _masked(words: list[tuple[int, int, str]], names: Sequence[PlaceInSentence]) -> tuple[list[str], list[int]]:
    """The sentence's stems with each name one ``<place>`` token, and where each name stands.

    One pass over words and names (both in text order), so a sentence of many names costs
    no more per name than a short one.
    """
    spans = sorted((n.start, n.end, i) for i, n in enumerate(names))
    sequence: list[str] = []
    positions = [0] * len(names)
    placed: set[int] = set()
    k = 0
    for start, end, word in words:
        while k < len(spans) and spans[k][1] <= start:
            if spans[k][2] not in placed:  # a name no word fell inside
                positions[spans[k][2]] = len(sequence)
                placed.add(spans[k][2])
                sequence.append("<place>")
            k += 1
        if k < len(spans) and spans[k][0] < end:
            if spans[k][2] not in placed:
                positions[spans[k][2]] = len(sequence)
                placed.add(spans[k][2])
                sequence.append("<place>")
            continue
        sequence.append(word)
    for _, _, i in spans[k:]:
        if i not in placed:
            positions[i] = len(sequence)
            sequence.append("<place>")
    return sequence, positions


def _near_triggers(text: str, words, position: int, lexicon: Mapping[str, str]) -> list[str]:
    near = words[max(0, position - NEAR) : position + NEAR]
    return sorted({f"tn:{lexicon[text[s:e].lower()]}" for s, e, _ in near if text[s:e].lower() in lexicon})


def _pairs(left: list[str], right: list[str]) -> list[str]:
    """Conjunctions a linear model cannot form: the preposition before a name with the name's verb."""
    prep = left[-1] if left else "<s>"
    verb = next((w for w in reversed(left[-NEAR:]) if w.isalpha() and len(w) > 3), "<none>")
    after = next((w for w in right[:3] if w.isalpha() and len(w) > 2), "<none>")
    return [f"pv:{prep}|{verb}", f"pa:{prep}|{after}"]
