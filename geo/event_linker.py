"""Which places an event word happens at: a learned linker over the dependency parse.

For one event word (a verb such as "shelled", "captured", a noun such as "talks") and each
name in its sentence, the linker reads the path between them in spaCy's parse (the
relations up to their common head and down again), the preposition that governs the name,
how far apart they are, the words between and what the hand-written rules chose, and gives
the chance that the name is where the event happened. It is fitted by
``benchmarks/train_linker.py`` on Halterman's (2019) event_location newswire, never on its
RELABEL records, which measure it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .event_features import stem
from .event_model import EventModel
from .triggers import SPEECH_FORMS

__all__ = ["LINKER_FILE", "LINK_ROLE", "link_features", "linked_places"]

LINK_ROLE = "link"
LINKER_FILE = "event_linker.json"
#: Words between the event word and the name that are read one by one (more: only the count).
_BETWEEN = 8


def _path(a: Any, b: Any) -> tuple[list[str], list[str]]:
    """Dependency labels from ``a`` up to the common head, and from there down to ``b``."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: k for k, t in enumerate(up_b)}
    for k, token in enumerate(up_a):
        if token.i in index_b:
            return [t.dep_ for t in up_a[:k]], [t.dep_ for t in up_b[: index_b[token.i]]][::-1]
    return [t.dep_ for t in up_a], [t.dep_ for t in up_b][::-1]


def _governing_prep(token: Any) -> str:
    """The preposition a name hangs from ("in" of "in Aleppo", "of" of "the city of Homs")."""
    head = token
    while head.dep_ in ("compound", "amod", "nmod", "appos", "conj") and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        return head.head.lower_
    return f"<{head.dep_}>"


def _in_speakers_subject(token: Any) -> bool:
    """Whether the name sits in the subject of a verb of saying ("officials in Damascus said")."""
    child = token
    for head in token.ancestors:
        if head.lower_ in SPEECH_FORMS and child.dep_ in ("nsubj", "nsubjpass"):
            return True
        child = head
    return False


def link_features(trigger: Any, name: Any, *, ruled: bool, kind: str, others_between: int) -> list[str]:
    """Features of the pair (event word ``trigger``, name span ``name``) in one parse."""
    root = name.root
    up, down = _path(trigger, root)
    distance = root.i - trigger.i
    lo, hi = sorted((trigger.i, root.i))
    between = [t for t in trigger.doc[lo + 1 : hi] if t.i not in range(name.start, name.end)]
    features = [
        f"up:{'>'.join(up[:3])}",
        f"down:{'>'.join(down[:3])}",
        f"path:{'>'.join(up[:2])}|{'>'.join(down[:2])}",
        f"len:{min(len(up) + len(down), 6)}",
        f"prep:{_governing_prep(root)}",
        f"prep_trigger:{_governing_prep(root)}|{stem(trigger.text)}",
        f"dir:{'after' if distance > 0 else 'before'}",
        f"dist:{min(abs(distance), 12) // 3}",
        f"others:{min(others_between, 2)}",
        f"dep:{root.dep_}",
        f"head:{stem(root.head.text)}",
        f"trigger:{stem(trigger.text)}",
        f"tdep:{trigger.dep_}",
        f"kind:{kind}",
        f"ruled:{ruled}",
        f"punct:{min(sum(t.is_punct for t in between), 2)}",
        f"full:{'>'.join(up[:3])}|{'>'.join(down[:3])}",
        f"speaker:{_in_speakers_subject(root)}",
    ]
    if len(between) <= _BETWEEN:
        features += sorted({f"w:{stem(t.text)}" for t in between if t.is_alpha})
    else:
        features.append("w:<far>")
    if root.i + 1 < len(root.doc):
        features.append(f"next:{stem(root.doc[root.i + 1].text)}")
    if name.start > 0:
        features.append(f"prev:{stem(root.doc[name.start - 1].text)}")
    return features


def pair_features(trigger: Any, names: Sequence[tuple[int, Any, str]], ruled: set[int]) -> list[tuple[int, list[str]]]:
    """(toponym index, features) of the pair (``trigger``, name) for every name of the sentence;
    ``names`` and ``ruled`` as for :func:`linked_places`."""
    positions = sorted(span.root.i for _, span, _ in names)
    pairs = []
    for index, span, kind in names:
        lo, hi = sorted((trigger.i, span.root.i))
        others = sum(1 for p in positions if lo < p < hi)  # names between the two
        pairs.append((index, link_features(trigger, span, ruled=index in ruled, kind=kind, others_between=others)))
    return pairs


def linked_places(
    model: EventModel, trigger: Any, names: Sequence[tuple[int, Any, str]], ruled: set[int]
) -> list[tuple[int, float]]:
    """(toponym index, chance) of every name the linker takes for ``trigger``, best first.

    ``names`` holds (toponym index, span in the parse, kind of place); ``ruled`` the indices the
    hand-written rules chose.
    """
    found = []
    for index, features in pair_features(trigger, names, ruled):
        chance = model.probabilities(features, (LINK_ROLE,))[LINK_ROLE]
        if model.taken(LINK_ROLE, chance):
            found.append((index, chance))
    return sorted(found, key=lambda pair: -pair[1])
