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

from collections.abc import Mapping, Sequence
from typing import Any

from .event_features import stem
from .event_model import EventModel
from .recognition_words import NOT_PLACES
from .triggers import SPEECH_FORMS

__all__ = ["LINKER_FILE", "LINK_ROLE", "link_features", "linked_places", "linked_spans", "locate_spans"]

LINK_ROLE = "link"
#: The threshold of an event word's likeliest candidate (the others take ``LINK_ROLE``'s).
BEST_ROLE = "link:best"
#: The threshold of a candidate coordinated with one taken ("in Cailaco and Manapa").
CONJ_ROLE = "link:conj"
#: The kind of a candidate that is no name the geoparser found.
UNNAMED = "unnamed"
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


def link_features(
    trigger: Any,
    name: Any,
    *,
    ruled: bool,
    kind: str,
    others_between: int,
    rank: int = 0,
    context: Sequence[str] = (),
) -> list[str]:
    """Features of the pair (event word ``trigger``, name span ``name``) in one parse; ``rank``
    counts the names nearer the word in the parse, ``context`` adds features that read the other names."""
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
    prep = _governing_prep(root)
    doc = root.doc
    features += [
        f"rank:{min(rank, 2)}",
        f"last:{stem(name[-1].text)}",
        f"ntok:{min(len(name), 4)}",
        f"start:{name.start == 0}",
        f"after:{stem(doc[name.end].text) if name.end < len(doc) else '<end>'}",
        f"prep_path:{prep}|{'>'.join(up[:2])}|{'>'.join(down[:2])}",
        f"kind_prep:{kind}|{prep}",
        f"kind_rank:{kind}|{min(rank, 2)}",
    ]
    features += context
    if len(between) <= _BETWEEN:
        features += sorted({f"w:{stem(t.text)}" for t in between if t.is_alpha})
    else:
        features.append("w:<far>")
    if name.start > 0:
        features.append(f"prev:{stem(root.doc[name.start - 1].text)}")
    return features


#: How fine a kind of place is: a country holds regions, a region towns.
_LEVEL = {"country": 0, "admin": 1}

#: Words that join the capitalised words of one name ("Beit Yahoun-Kaunin", "Jabal Afa'ii").
_JOINERS = frozenset({"-", "'", "\u2019"})
_ARTICLE_PREFIX = ("al-", "el-", "as-", "ad-", "ar-", "an-", "ash-", "az-")


def _capitalised(token: Any) -> bool:
    text = token.text
    if token.lower_ in NOT_PLACES or token.is_stop:
        return False  # "The", "In", "Monday", "President"
    return (text[:1].isupper() and any(c.isalpha() for c in text)) or text.lower().startswith(_ARTICLE_PREFIX)


def unnamed_spans(doc: Any, taken: set[int], trigger: Any) -> list[Any]:
    """Runs of capitalised words in ``doc`` that share no token with ``taken`` (the geoparser's
    names) nor the event word: places the gazetteer or the recognizer missed ("Kodori Gorge",
    "the Youth Housing Complex") are candidates too, and the model weighs them as such."""

    def inside(token: Any, opened: bool) -> bool:
        if token.i in taken or token.i == trigger.i:
            return False
        if _capitalised(token):
            return True
        joined = token.text in _JOINERS and token.i + 1 < len(doc) and _capitalised(doc[token.i + 1])
        return opened and joined

    spans, start = [], None
    for token in doc:
        if inside(token, start is not None):
            start = token.i if start is None else start
        elif start is not None:
            spans.append(doc[start : token.i])
            start = None
    if start is not None:
        spans.append(doc[start:])
    return spans


def with_unnamed(trigger: Any, names: Sequence[tuple[int, Any, str]]) -> list[tuple[int | None, Any, str]]:
    """``names`` and, with index ``None`` and kind "unnamed", the capitalised runs the geoparser
    did not take for names (:func:`unnamed_spans`)."""
    taken = {i for _, span, _ in names for i in range(span.start, span.end)}
    return [*names, *((None, span, UNNAMED) for span in unnamed_spans(trigger.doc, taken, trigger))]


def pair_features(
    trigger: Any, names: Sequence[tuple[int | None, Any, str]], ruled: set[int]
) -> list[tuple[int | None, list[str]]]:
    """(toponym index, features) of the pair (``trigger``, name) for every name of the sentence;
    ``names`` and ``ruled`` as for :func:`linked_places` (an unnamed run has index ``None``)."""
    positions = sorted(span.root.i for _, span, _ in names)
    lengths = [sum(map(len, _path(trigger, span.root))) for _, span, _ in names]
    pairs = []
    for (index, span, kind), length in zip(names, lengths, strict=True):
        lo, hi = sorted((trigger.i, span.root.i))
        others = sum(1 for p in positions if lo < p < hi)  # names between the two
        rank = sum(1 for other in lengths if other < length)  # names nearer in the parse
        head = span.root.head
        attached = next((k for _, other, k in names if other is not span and other.start <= head.i < other.end), None)
        finer = any(_LEVEL.get(k, 2) > _LEVEL.get(kind, 2) for _, other, k in names if other is not span)
        context = (
            f"chain:{span.root.dep_ if attached else '-'}|{attached or '-'}",  # "Winnipeg, Manitoba"; "A and B"
            f"finer:{kind}|{finer}",  # "Jordan" beside "Amman"
        )
        features = link_features(
            trigger, span, ruled=index in ruled, kind=kind, others_between=others, rank=rank, context=context
        )
        pairs.append((index, features))
    return pairs


def conjuncts(spans: Sequence[Any]) -> list[list[int]]:
    """For each span, the positions of the others it is coordinated with ("Cailaco and Manapa"):
    one's root is a conjunct of a word inside the other."""

    def joined(a: Any, b: Any) -> bool:
        return a.root.dep_ == "conj" and b.start <= a.root.head.i < b.end

    return [[k for k, b in enumerate(spans) if b is not a and (joined(a, b) or joined(b, a))] for a in spans]


def taken_pairs(
    thresholds: Mapping[str, float], chances: Sequence[float], coordinated: Sequence[Sequence[int]]
) -> list[bool]:
    """Which of one event word's candidates the linker takes, given their chances: the likeliest
    from the ``link:best`` threshold, the others from the ``link`` one (most event words have one
    place: the best candidate needs less evidence than a second one); then, from ``link:conj``,
    a candidate coordinated with one so taken (``coordinated`` as :func:`conjuncts` gives)."""
    best = max(range(len(chances)), key=lambda k: chances[k], default=None)
    other = thresholds.get(LINK_ROLE, 0.5)
    first = thresholds.get(BEST_ROLE, other)
    joined = thresholds.get(CONJ_ROLE, 1.01)
    taken = [p >= (first if k == best else other) for k, p in enumerate(chances)]
    return [
        was or (p >= joined and any(taken[j] for j in partners))
        for was, p, partners in zip(taken, chances, coordinated, strict=True)
    ]


def linked_spans(
    model: EventModel, trigger: Any, names: Sequence[tuple[int, Any, str]], ruled: set[int]
) -> list[tuple[int | None, Any, float]]:
    """(toponym index or ``None``, span in the parse, chance) of every candidate the linker takes
    for ``trigger``, names and unnamed runs alike, best first; arguments as for :func:`linked_places`."""
    candidates = with_unnamed(trigger, names)
    pairs = pair_features(trigger, candidates, ruled)
    chances = [model.probabilities(features, (LINK_ROLE,))[LINK_ROLE] for _, features in pairs]
    coordinated = conjuncts([span for _, span, _ in candidates])
    taken = taken_pairs(model.thresholds, chances, coordinated)
    found = [(index, span, p) for (index, span, _), p, keep in zip(candidates, chances, taken, strict=True) if keep]
    return sorted(found, key=lambda item: -item[2])


def linked_places(
    model: EventModel, trigger: Any, names: Sequence[tuple[int, Any, str]], ruled: set[int]
) -> list[tuple[int, float]]:
    """(toponym index, chance) of every name the linker takes for ``trigger``, best first.

    ``names`` holds (toponym index, span in the parse, kind of place); ``ruled`` the indices the
    hand-written rules chose. Unnamed runs compete (:func:`linked_spans`) but are not returned.
    """
    return [(index, chance) for index, _, chance in linked_spans(model, trigger, names, ruled) if index is not None]


def bare(span: Any) -> Any:
    """``span`` without the lower-case words that end it ("Kandahar province" -> "Kandahar"): where
    an event happens is the name, as Halterman's annotators mark it (on his training records a
    final "district", "province", "region" or "city" is outside the gold span 191 times in 200)."""
    end = span.end
    while end - 1 > span.start and span.doc[end - 1].is_lower:
        end -= 1
    return span.doc[span.start : end]


def sentence_offset(text: str, doc: Any, start: int) -> int | None:
    """Where in ``text`` the parsed sentence ``doc`` that holds the character ``start`` begins (the
    parse is of ``text[s:e]``, so its text occurs there)."""
    found = text.find(doc.text, max(0, start - len(doc.text) + 1), start + len(doc.text))
    return None if found < 0 else found


def locate_spans(extractor: Any, document: Any, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of ``document`` where the event word at ``[start, end)`` happens: the
    names the linker takes and the capitalised runs it takes that the geoparser did not
    ("Kodori Gorge"). For comparing the linker with Halterman (2019), whose spans need not be
    in a gazetteer; ``EventExtractor.locate`` gives the toponyms alone."""
    found = extractor.link_candidates(document, start, end)
    if found is None or extractor.linker is None:
        return []
    trigger, names, ruled = found
    offset = sentence_offset(document.text, trigger.doc, start)
    if offset is None:
        return []
    chosen = (bare(span) for _, span, _ in linked_spans(extractor.linker, trigger, names, ruled))
    return sorted((offset + span.start_char, offset + span.end_char) for span in chosen)
