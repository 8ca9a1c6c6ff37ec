"""Candidate place names of a text and what the learned recognizer reads about each.

Candidates are token spans of a processed spaCy ``Doc``: the spans the rules of
:mod:`.recognize` chose, the NER's entities of every name label (PERSON and ORG too), and
capitalised words or runs of them (up to four) that the gazetteer knows. Features describe
the span (label, case, length), its neighbours (a locative word before it, a designator or a
verb after it, a person's title), and the gazetteer's view of its name (how big its biggest
place is, whether the name is that place's own). No feature quotes the name itself, so the
model learns how places are written about, not which places a corpus happens to name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from placemap.gazetteer.fold import code_key
from placemap.gazetteer.query import DESIGNATORS

from .name_context import follows_a_place, is_subject, names_a_kind_of_place
from .recognition_words import (
    FACILITY_HEADS,
    INSTITUTION_HEADS,
    LOCATIVE_WORDS,
    NAME_PARTICLES,
    NOT_PLACES,
    ORGANISATION_WORDS,
    PLACE_NOUNS,
    SENTENCE_VERBS,
    TITLES,
    UNIT_WORDS,
)
from .windows import starts_sentence

__all__ = ["Candidate", "candidates", "choose"]

#: NER labels that never name a place (numbers, dates, amounts).
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
_MAX_WORDS = 4
_BIG = 1e9


@dataclass(frozen=True, slots=True)
class Candidate:
    """A token span ``[start, end)``, the label it would carry, and its features."""

    start: int
    end: int
    label: str
    features: dict[str, float]


def _capitalised(token: Any) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _spans(doc: Any, ents: tuple, rule_spans: list[tuple[int, int, str]], places: Any) -> dict[tuple[int, int], str]:
    """Every candidate span with its label: the rules', then the NER's, then gazetteer names."""
    found: dict[tuple[int, int], str] = {}
    for start, end, label in rule_spans:
        found.setdefault((start, end), label)
    for ent in ents:
        if ent.label_ in _NUMERIC_LABELS:
            continue
        start = ent.start + 1 if len(ent) > 1 and ent[0].lower_ == "the" else ent.start
        end = ent.end - 1 if ent.end - start > 1 and doc[ent.end - 1].text in ("'s", "’s") else ent.end
        if start < end and _capitalised(doc[start]):
            found.setdefault((start, end), ent.label_ if ent.label_ in ("GPE", "LOC", "FAC") else "GPE")
    index = 0
    while index < len(doc):
        if not _capitalised(doc[index]):
            index += 1
            continue
        stop = index
        while stop < len(doc) and _capitalised(doc[stop]) and stop - index < _MAX_WORDS:
            stop += 1
        for begin in range(index, stop):
            for end in range(begin + 1, stop + 1):
                if (begin, end) not in found and places.weight(doc[begin:end].text) > 0:
                    found[(begin, end)] = "GPE"
        index = stop
    return found


def candidates(recognizer: Any, doc: Any, ents: tuple, rule_spans: list[tuple[int, int, str]]) -> list[Candidate]:
    """The candidates of ``doc`` with their features (``recognizer``: the :class:`SpacyRecognizer`)."""
    places = recognizer._places
    person_words = {t.lower_ for ent in ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
    ent_of: dict[int, Any] = {i: ent for ent in ents for i in range(ent.start, ent.end)}
    exact = {(ent.start, ent.end): ent.label_ for ent in ents}
    exact.update({(ent.start + 1, ent.end): ent.label_ for ent in ents if len(ent) > 1 and ent[0].lower_ == "the"})
    rules = {(s, e): label for s, e, label in rule_spans}
    rule_texts = {doc[s:e].text for s, e, label in rule_spans if label != "NORP"}
    ends = {e for _, e, _ in rule_spans}
    out = []
    for (start, end), label in _spans(doc, ents, rule_spans, places).items():
        span = doc[start:end]
        text = span.text
        if label == "NORP" or recognizer._gazetteer.demonym(text) is not None:
            continue  # adjectives of nationality are the rules' (kept only with ``adjectives``)
        f: dict[str, float] = {}
        if (start, end) in rules:
            f["rules"] = 1.0
            f[f"rules:{rules[(start, end)]}"] = 1.0
        ner = exact.get((start, end))
        if ner is not None:
            f[f"ner:{ner}"] = 1.0
        else:
            inside = ent_of.get(start)
            if inside is not None and inside.start <= start and end <= inside.end:
                f[f"ner_in:{inside.label_}"] = 1.0
            elif any(i in ent_of for i in range(start, end)):
                f["ner_cross"] = 1.0
            else:
                f["ner:none"] = 1.0
        f[f"len:{min(end - start, 3)}"] = 1.0
        if text.isupper() and len(text) > 1:
            f["upper"] = 1.0
        if starts_sentence(doc, start):
            f["sentence_start"] = 1.0
        before = doc[start - 1] if start > 0 else None
        after = doc[end] if end < len(doc) else None
        if before is not None:
            if before.lower_ in LOCATIVE_WORDS:
                f["prev:locative"] = 1.0
            if before.lower_ == "of":
                f["prev:of"] = 1.0
            if before.lower_ == "the":
                f["prev:the"] = 1.0
            if before.lower_ in TITLES:
                f["prev:title"] = 1.0
            if _capitalised(before) and not starts_sentence(doc, start - 1):
                f["prev:capitalised"] = 1.0
            if before.lower_ in NAME_PARTICLES and before.is_lower:
                f["prev:particle"] = 1.0
        if after is not None:
            if after.lower_ in DESIGNATORS or after.lower_ in PLACE_NOUNS:
                f["next:designator"] = 1.0
            if _capitalised(after):
                f["next:capitalised"] = 1.0
            if after.lower_ in person_words:
                f["next:person_word"] = 1.0
            if after.lower_ in TITLES:
                f["next:title"] = 1.0
            if after.lower_ in UNIT_WORDS:
                f["next:unit"] = 1.0
            if after.text == ",":
                f["next:comma"] = 1.0
            if after.lower_ in SENTENCE_VERBS or is_subject(doc, end):
                f["next:verb"] = 1.0
        if recognizer._context_says_place(doc, start, end):
            f["context"] = 1.0
        if follows_a_place(doc, start, ends):
            f["listed"] = 1.0
        if names_a_kind_of_place(doc, start, end):
            f["kind_of_place"] = 1.0
        weight = places.weight(text)
        own = places.weight(text, primary=True)
        if weight <= 0:
            f["gaz:none"] = 1.0
        elif weight >= _BIG:
            f["gaz:area"] = 1.0
        else:
            f["gaz:log"] = math.log10(1.0 + weight) / 7.0
        if 0 < own < _BIG:
            f["gaz:own_log"] = math.log10(1.0 + own) / 7.0
        if own <= 0 < weight:
            f["gaz:alternate_only"] = 1.0
        if any(t.lower_ in person_words for t in span):
            f["person_word"] = 1.0
        last = span[-1].lower_
        if last in ORGANISATION_WORDS or last in INSTITUTION_HEADS:
            f["org_head"] = 1.0
        if last in FACILITY_HEADS:
            f["facility_head"] = 1.0
        if text.lower() in NOT_PLACES:
            f["not_place"] = 1.0
        if end - start == 1 and span[0].is_stop:
            f["stop_word"] = 1.0
        if code_key(text):
            f["code"] = 1.0
        if any(ch.isdigit() for ch in text):
            f["digits"] = 1.0
        if text in rule_texts and (start, end) not in rules:
            f["same_as_rule_span"] = 1.0
        for key in [k for k in f if k.startswith(("ner:", "ner_in:"))]:
            for partner in ("context", "gaz:none", "gaz:area", "sentence_start", "prev:of", "rules"):
                if partner in f:
                    f[f"{key}&{partner}"] = 1.0
        out.append(Candidate(start, end, label, f))
    return out


def choose(found: Iterable[Candidate], probabilities: Iterable[float], threshold: float) -> list[tuple[int, int, str]]:
    """The candidates at or above ``threshold`` that overlap no surer one, surest first."""
    ranked = sorted(
        zip(probabilities, found, strict=True), key=lambda pc: (-pc[0], -(pc[1].end - pc[1].start), pc[1].start)
    )
    taken: set[int] = set()
    chosen = []
    for probability, candidate in ranked:
        if probability < threshold:
            break
        tokens = range(candidate.start, candidate.end)
        if taken.intersection(tokens):
            continue
        taken.update(tokens)
        chosen.append((candidate.start, candidate.end, candidate.label))
    return chosen
