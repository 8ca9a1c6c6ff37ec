"""What the event model sees of a place in a sentence: the words around it, no parse needed.

A feature is a string (present or not). The learned event model (:mod:`.event_model`) gives
each feature a weight per event role, so which words announce shelling or a corridor, and
which words before a name make it a venue, an origin or a speaker, are learned from
annotated text rather than listed by hand. Words are lower-cased and cut to a crude stem
("shelled", "shelling" -> "shell") so that a form the training text never used still counts.
"""

from __future__ import annotations

import re
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
    text: str, names: Sequence[PlaceInSentence], lexicon: Mapping[str, str] | None = None
) -> list[list[str]]:
    """Features of every name of one sentence ``text`` (one list per name, in the given order).

    ``lexicon`` maps listed trigger words to their category: ``t:`` features say which
    categories the sentence names, ``tn:`` which are within a few words of the name.
    """
    words = tokens(text)
    bag = sentence_features(text, names, words, lexicon)
    total = len(names)
    ordered = sorted(range(total), key=lambda i: names[i].start)
    rank = {index: position for position, index in enumerate(ordered)}
    features = []
    for index, name in enumerate(names):
        others = [n for n in names if n is not name]
        left = _words(words, others, 0, name.start)
        right = _words(words, others, name.end, len(text))
        own = [
            f"kind:{place_kind(name.place, name.anaphor)}",
            f"b1:{left[-1] if left else '<s>'}",
            f"b2:{' '.join(left[-2:]) if len(left) > 1 else '<s>'}",
            f"a1:{right[0] if right else '</s>'}",
            f"a2:{' '.join(right[:2]) if len(right) > 1 else '</s>'}",
            f"pos:{'first' if rank[index] == 0 else 'later'}",
            f"places:{min(total, 4)}",
            f"early:{min(len(left), 8) // 2}",
        ]
        own += sorted({f"l:{w}" for w in left[-NEAR:] if w.isalpha()})
        own += sorted({f"r:{w}" for w in right[:NEAR] if w.isalpha()})
        own += _pairs(left, right)
        if lexicon:
            own += _near_triggers(text, words, name, lexicon)
        features.append(own + bag)
    return features


def _words(words, others: Sequence[PlaceInSentence], start: int, end: int) -> list[str]:
    """The stems between ``start`` and ``end``, the other names each one ``<place>``."""
    out = []
    for word_start, word_end, word in words:
        if word_start < start or word_end > end:
            continue
        if any(n.start < word_end and word_start < n.end for n in others):
            if not out or out[-1] != "<place>":
                out.append("<place>")
            continue
        out.append(word)
    return out


def _near_triggers(text: str, words, name: PlaceInSentence, lexicon: Mapping[str, str]) -> list[str]:
    position = next((k for k, (s, e, _) in enumerate(words) if s >= name.start), len(words))
    near = words[max(0, position - NEAR) : position + NEAR]
    return sorted({f"tn:{lexicon[text[s:e].lower()]}" for s, e, _ in near if text[s:e].lower() in lexicon})


def _pairs(left: list[str], right: list[str]) -> list[str]:
    """Conjunctions a linear model cannot form: the preposition before a name with the name's verb."""
    prep = left[-1] if left else "<s>"
    verb = next((w for w in reversed(left[-NEAR:]) if w.isalpha() and len(w) > 3), "<none>")
    after = next((w for w in right[:3] if w.isalpha() and len(w) > 2), "<none>")
    return [f"pv:{prep}|{verb}", f"pa:{prep}|{after}"]
