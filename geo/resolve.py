"""Resolve mentions to places using the whole document as context.

A story that says Ukraine and Belarus wants Brest in Belarus; a story about Odesa's
port wants Odesa, Ukraine, not Odessa, Texas. Each candidate of each name gets a score
from features a geographer would weigh:

- the gazetteer's prior (population, admin level, primary name);
- how much of the rest of the document points to the candidate's country and admin-1 unit,
  and whether the text names that unit itself ("Oregon") rather than through another
  name's choice;
- how close it lies to the places the other names resolved to (spatial coherence);
- whether its kind fits the NER label (a LOC is more likely a river than a town);
- whether the name is the candidate's own or one of its alternates;
- an explicit qualifier in the text ("Brest, Belarus") or the dateline's country.

One sense per document: every mention of the same name gets the same place. The
features, their weights and the score calibration are in ``placemap.geo.ranking``; this
module builds a document's names (qualifiers, appositives, claims, places named inside
longer names) and makes the decisions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from placemap.exc import QueryError
from placemap.gazetteer import Gazetteer, fold_name
from placemap.gazetteer.geometry import unit_vectors
from placemap.gazetteer.query import DESIGNATORS
from placemap.types import Candidate, Mention, Place, Toponym

from .ranking import (
    CALIBRATION_INPUTS,
    FEATURES,
    DocumentContext,
    Name,
    ResolverWeights,
    calibration_inputs,
    country_votes_of_others,
    document_context,
    features,
    nearest_km,
    softmax_share,
)

__all__ = [
    "CALIBRATION_INPUTS",
    "FEATURES",
    "FOCUS_SCORE",
    "ContextResolver",
    "PopulationResolver",
    "Resolver",
    "ResolverWeights",
]


class Resolver(Protocol):
    """Anything that turns mentions in a text into toponyms."""

    def __call__(self, text: str, mentions: Sequence[Mention]) -> list[Toponym]: ...


_QUALIFIER_GAP = {",", ", ", " ,", ",\n"}
#: "bound for Tripoli in Lebanon", "Vasylivka in the Zaporizhzhia region": a country or state
#: after "in" qualifies the place before it as a comma does.
_IN_GAP = {" in ", " in the "}
#: Between the last two items of a list: "Washington, New York and Boston".
_LIST_GAP = re.compile(r",? (?:and|or) ")
#: A designator after a caller's span ("Dnipro" + " river", "New York" + " state"); not a
#: capitalised "State", which ends names of organisations ("Moscow State University").
_DESIGNATOR_AFTER = re.compile(r"[ \t]+(" + "|".join(DESIGNATORS) + r")\b", re.IGNORECASE)
_CANDIDATES = 40
#: How many of a country's places of a name are read when a state qualifies it and none of
#: the first ``_CANDIDATES`` lies in that state (Ukraine has 107 places called Oleksandrivka).
_QUALIFIED_CANDIDATES = 400
#: Words of a territorial claim, and the words after which a name is the territory claimed.
_CLAIM_CUE = re.compile(r"\b(?:annex(?:e[ds]|ing|ation)?|referend(?:um|ums|a)|independence|sovereignty)\b")
_CLAIMED_AFTER = re.compile(r"\b(?:in|of|annex(?:e[ds]|ing)?)\s+(?:the\s+)?$")
#: Between any two items of a list of claimed territories ("Donetsk, Luhansk and Kherson"),
#: where ``_LIST_GAP`` is only the gap before the last item.
_LIST_ITEM_GAP = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_SENTENCE_END = re.compile(r"[.!?]\s+|\n")
#: How far back the sentence of a claim is read.
_CLAIM_REACH = 300
#: "the Ukrainian port of Odesa", "the southern Belarusian city of Brest", "the Texas town of
#: Odessa": a nationality or a country or state, then a kind of place, right before the name.
_APPOSITIVE_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Aa])\s+"
    r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?!(?:North|South|East|West|Central)(?:ern)?\b)([A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?)\s+"
    r"(?:port|city|town|village|capital|region|province|state|island|oblast|district|county|settlement"
    r"|resort|enclave|border town|frontline town|seaside town)\s+of\s+$"
)
#: A street, church or estate the gazetteer lacks ("Royal Street", "Holy Redeemer Church")
#: is placed at the story's town with this score: such a guess is within 161 km of the truth
#: 20-47% of the time on the development corpora, 42% on the held-out news halves.
FOCUS_SCORE = 0.3
#: How far before a name an appositive may start.
_APPOSITIVE_REACH = 80
#: Words of direction that modify the name after them rather than name a place inside it.
_COMPASS_WORDS = frozenset(
    "north south east west central northern southern eastern western upper lower greater".split()
)
#: A town named inside a longer name ("Kramatorsk railway station") must be at least this big.
_INNER_POPULATION = 1000
#: A town named inside a longer name, smaller than this, with no other resolved place within
#: ``_STRAY_KM`` and not in an admin-1 unit the text names, is more likely the person the name
#: honours ("Stonewall Golf Club", "Collins Avenue"); a city ("Kramatorsk railway station")
#: is named for itself. A whole name that is such a town must also be in a country nothing
#: else in the story points to (see ``_strays``).
_STRAY_POPULATION = 100_000
_STRAY_KM = 250.0


class ContextResolver:
    """Document-context resolver (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer, *, weights: ResolverWeights | None = None) -> None:
        self.gazetteer = gazetteer
        self.weights = weights if weights is not None else ResolverWeights.learned()
        self._vector = self.weights.vector()

    def __call__(self, text: str, mentions: Sequence[Mention]) -> list[Toponym]:
        names, dateline = self._decide(text, mentions)
        return self._toponyms(mentions, names, dateline)

    def candidate_features(
        self, text: str, mentions: Sequence[Mention]
    ) -> list[tuple[list[int], list[Candidate], list[tuple[float, ...]]]]:
        """For each distinct name: its mention indices, candidates and feature rows.

        The rows are those the final decision is made on (for training and explaining).
        """
        names, dateline = self._decide(text, mentions)
        context = document_context(names)
        return [(name.mentions, name.candidates, features(name, context, dateline)) for name in names]

    def calibration_rows(self, text: str, mentions: Sequence[Mention]) -> dict[int, tuple[Place, tuple[float, ...]]]:
        """Per mention with candidates: the ranker's choice and the inputs of its score's
        calibration (for training it; a fallback to the story's town may replace the choice)."""
        names, dateline = self._decide(text, mentions)
        context = document_context(names)
        rows = {}
        for name in names:
            if name.candidates:
                scores = self._scores(name, context, dateline)
                row = (
                    name.candidates[name.choice].place,
                    calibration_inputs(name, scores),
                )
                rows.update(dict.fromkeys(name.mentions, row))
        return rows

    def _decide(self, text: str, mentions: Sequence[Mention]) -> tuple[list[Name], str | None]:
        names = self._names(text, mentions)
        self._dateline_is_a_town(mentions, names)
        dateline = self._dateline_country(mentions, names)
        for _ in range(self.weights.rounds):
            context = document_context(names)
            for name in names:
                if len(name.candidates) > 1:
                    scores = self._scores(name, context, dateline)
                    name.choice = max(range(len(scores)), key=scores.__getitem__)
        by_key = {name.key: name for name in names}
        for name in names:
            echoed = by_key.get(name.inside) if name.inside else None
            if echoed is not None and echoed.candidates:
                name.candidates, name.choice, name.vectors = echoed.candidates, echoed.choice, echoed.vectors
        return names, dateline

    # -- building the names ------------------------------------------------------------
    def _names(self, text: str, mentions: Sequence[Mention]) -> list[Name]:
        by_key: dict[str, Name] = {}
        keys = []
        claimed = _claimed_regions(text, mentions)
        for index, mention in enumerate(mentions):
            # A country claimed is the country ("the independence of Kosovo"); a capital speaks
            # for its government ("Kyiv rejected the referendum").
            is_region = index in claimed and not self._is_country_or_capital(mention.text)
            key = self._add_name(_query(text, mention, claimed=is_region), mention, by_key)
            keys.append(key)
            by_key[key].mentions.append(index)
        for index in range(1, len(mentions)):
            previous, mention = mentions[index - 1], mentions[index]
            gap = text[previous.end : mention.start]
            if gap not in _IN_GAP and (
                gap not in _QUALIFIER_GAP or (_is_list_item(text, mentions, index) and _is_town(by_key[keys[index]]))
            ):
                continue
            name = by_key[keys[index - 1]]
            if index - 1 != name.mentions[0]:
                # A later "named after Boston, Massachusetts" in a story about Boston, New York,
                # is another place: the qualified mention becomes a name of its own.
                name = self._namesake(text, previous, index - 1)
            if self._apply_qualifier(name, mention.text):
                _keep_units(by_key[keys[index]])
                if name.key not in by_key:
                    by_key[name.key] = name
                    by_key[keys[index - 1]].mentions.remove(index - 1)
                    keys[index - 1] = name.key
        for index, mention in enumerate(mentions):
            appositive = _APPOSITIVE_BEFORE.search(text, max(0, mention.start - _APPOSITIVE_REACH), mention.start)
            name = by_key[keys[index]]
            # "the Punjab province of Pakistan" reads the other way round: a country is not qualified.
            # Only a first mention is introduced so; a later "the English city of Lancaster" in
            # a story about Lancaster, Pennsylvania, is the namesake the story compares.
            if appositive and index == name.mentions[0] and not any(c.place.is_country for c in name.candidates):
                self._apply_qualifier(name, self._country_or_state(appositive.group(1)))
        return list(by_key.values())

    def _add_name(self, query: str, mention: Mention, by_key: dict[str, Name]) -> str:
        """The key of the name ``query`` looks up, added to ``by_key`` when new."""
        key = fold_name(query)
        if key in by_key:
            return key
        candidates = self._named(query)
        if not candidates and query != mention.text:
            # "Russian state media": the designator belongs to the sentence, not the name.
            query, key = mention.text, fold_name(mention.text)
            if key in by_key:
                return key
            candidates = self._named(query)
        inside, inner = self._inner_place(query) if not candidates else ("", [])
        by_key[key] = Name(key, [], candidates or inner, mention.label, inside=fold_name(inside))
        return key

    def _namesake(self, text: str, mention: Mention, index: int) -> Name:
        """A name of its own for mention ``index``, with all the candidates of its name."""
        own: dict[str, Name] = {}
        name = own[self._add_name(_query(text, mention), mention, own)]
        name.key, name.mentions, name.namesake = f"{name.key}@{index}", [index], True
        return name

    def _is_country_or_capital(self, name: str) -> bool:
        """Whether ``name`` names a country, or its likeliest place is a country's capital."""
        if self.gazetteer.country_code_for(name) is not None:
            return True
        candidates = self._named(name)
        return bool(candidates) and candidates[0].place.feature_code == "PPLC"

    def _country_or_state(self, word: str) -> str:
        """The name a qualifier word stands for: "Ukrainian" is Ukraine, "Texas" is Texas."""
        country = self.gazetteer.demonym(word)
        return country.name if country is not None else word

    def _apply_qualifier(self, name: Name, qualifier: str) -> bool:
        """Keep to the qualifier's country or state: "Brest, Belarus", "Odessa, Texas".

        A list of countries ("Syria, Iraq") is left alone: the first name would have no
        candidate left that is not itself a country. Returns whether the qualifier applied.
        """
        scopes = []
        country = self.gazetteer.country_code_for(qualifier)
        if country:
            scopes.append((country, None))
        state = self.gazetteer.admin1_for(qualifier)
        if state:
            scopes.append(state)
        for code, admin1 in scopes:
            kept = [
                c
                for c in name.candidates
                if c.place.country_code == code and not c.place.is_country and admin1 in (None, c.place.admin1_code)
            ]
            if (
                not kept
                and admin1 is not None
                and len(name.candidates) >= _CANDIDATES
                and not any(c.place.is_country or c.place.is_admin1 for c in name.candidates)
            ):
                # "Oleksandrivka, Kharkiv Oblast": when the candidates were cut at
                # ``_CANDIDATES``, a common town name's namesakes in the state may all have
                # ranked below the cut; look in the state itself.
                kept = [
                    c
                    for c in self.gazetteer.lookup(name.key.split("@", 1)[0], country=code, limit=_QUALIFIED_CANDIDATES)
                    if c.place.admin1_code == admin1 and not (c.place.is_country or c.place.is_admin1)
                ]
            if kept:
                name.candidates, name.vectors = kept, None
                return True
        return False

    def candidates_for(self, name: str) -> list[Candidate]:
        """The candidates a name is resolved among (most likely first by the gazetteer's prior)."""
        return self._named(name) or self._inner_place(name)[1]

    def _named(self, name: str) -> list[Candidate]:
        """The places called ``name``."""
        # An adjective of nationality refers to its country: "Canadian" is Canada, not the
        # town of Canadian, Texas.
        country = self.gazetteer.demonym(name)
        if country is not None:
            return [Candidate(country, 1.0, True)]
        try:
            return self.gazetteer.lookup(name, limit=_CANDIDATES)
        except QueryError:  # a span too long to be a place name has no candidates
            return []

    def _inner_place(self, name: str) -> tuple[str, list[Candidate]]:
        """For a name the gazetteer lacks, the place named inside it and its candidates: "Donetsk airport",
        "Illinois State Armory", "South Kilburn Estate" lie in or near Donetsk, Illinois, Kilburn.

        The longest run of capitalised words that is the primary name of a town or of a
        larger unit wins; counties by their bare name ("Imperial") are too often words. The
        head noun is not a place: "Royal Street" is not in Street, Somerset, nor "University
        of Alberta" in University, Ontario.
        """
        words = name.split()
        head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                part = words[start : start + size]
                if start <= head < start + size or not all(word[:1].isupper() for word in part):
                    continue
                if size == 1 and part[0].lower() in _COMPASS_WORDS:
                    continue  # "Eastern Qalamoun" is not in Zambia's Eastern Province
                try:
                    found = self.gazetteer.lookup(" ".join(part), limit=_CANDIDATES)
                except QueryError:
                    continue
                kept = [
                    c
                    for c in found
                    if c.exact
                    and c.place.feature_code != "ADM2"
                    and (c.place.feature_class != "P" or c.place.population >= _INNER_POPULATION)
                ]
                if kept:
                    return " ".join(part), kept
        return "", []

    @staticmethod
    def _dateline_name(mentions: Sequence[Mention], names: list[Name]) -> Name | None:
        """The name of a dateline ("GOMEL, Belarus, Feb 28 -"): the text opens with it in capitals."""
        if not mentions or mentions[0].start != 0 or not mentions[0].text.isupper():
            return None
        return next(name for name in names if 0 in name.mentions)

    def _dateline_is_a_town(self, mentions: Sequence[Mention], names: list[Name]) -> None:
        """A dateline names the town the story was filed from, not the province of the same name:
        its name keeps only populated places, when it has any."""
        first = self._dateline_name(mentions, names)
        towns = [c for c in first.candidates if c.place.feature_class == "P"] if first is not None else []
        if towns and len(towns) < len(first.candidates):
            first.candidates, first.choice, first.vectors = towns, 0, None

    def _dateline_country(self, mentions: Sequence[Mention], names: list[Name]) -> str | None:
        first = self._dateline_name(mentions, names)
        return first.candidates[0].place.country_code if first is not None and first.candidates else None

    def _is_local(self, mention: Mention) -> bool:
        """Whether a name the gazetteer lacks may lie in the story's town: not an adjective
        ("Kurdish") nor a nation's institution ("Russian Embassy", "Korean Peninsula")."""
        return mention.label != "NORP" and self.gazetteer.demonym(mention.text.split()[0]) is None

    # -- scoring -----------------------------------------------------------------------
    def _scores(self, name: Name, context: DocumentContext, dateline: str | None) -> list[float]:
        return [sum(w * f for w, f in zip(self._vector, row, strict=True)) for row in features(name, context, dateline)]

    def _confidence(self, name: Name, scores: list[float]) -> float:
        """The chance that the chosen candidate is right, by the shipped calibration."""
        if not self.weights.calibration:
            return softmax_share(scores, name.choice)
        inputs = calibration_inputs(name, scores)
        *coefficients, bias = self.weights.calibration
        logit = bias + sum(c * x for c, x in zip(coefficients, inputs, strict=True))
        return 1.0 / (1.0 + math.exp(-logit))

    def _toponyms(self, mentions: Sequence[Mention], names: list[Name], dateline: str | None) -> list[Toponym]:
        context = document_context(names)
        # A caller who asks for more confidence than a guess at the story's town has gets none.
        focus = _focus_town(names) if self.weights.min_score <= FOCUS_SCORE else None
        keys = {name.key for name in names}
        result: list[Toponym | None] = [None] * len(mentions)
        for name in names:
            place, confidence = None, 0.0
            if name.candidates:
                confidence = self._confidence(name, self._scores(name, context, dateline))
                if confidence >= self.weights.min_score:
                    place = name.candidates[name.choice].place
            if (
                focus is not None
                and (not name.candidates or _strays(name, place, context, keys))
                and self._is_local(mentions[name.mentions[0]])
            ):
                place, confidence = focus, FOCUS_SCORE
            for index in name.mentions:
                result[index] = Toponym(mentions[index], place, round(confidence, 4), tuple(name.candidates[:5]))
        return [toponym for toponym in result if toponym is not None]


def _focus_town(names: list[Name]) -> Place | None:
    """The town the story is about: the populated place chosen for the most mentions
    (the first named wins a tie), else ``None``."""
    best, most = None, 0
    for name in names:
        if name.candidates and len(name.mentions) > most:
            place = name.candidates[name.choice].place
            if place.feature_class == "P":
                best, most = place, len(name.mentions)
    return best


def _strays(name: Name, place: Place | None, context: DocumentContext, keys: set[str]) -> bool:
    """Whether ``place``, a small town far from the story's other places, has no support in it.

    "Stonewall Golf Club" in a story about a Virginia town is in that town, not in
    Stonewall, Mississippi; "Soledar salt mine" in a story that names the Donetsk region,
    or Bakhmut, is in Soledar. A place the story also names on its own is where it says.
    A name that is all a small town's must also be the only pointer to that town's country:
    "Rehab" in a story about Cairo is a clinic there, not a village in Jordan.
    """
    if place is None or (name.inside and name.inside in keys):
        return False
    if place.feature_class != "P" or place.population >= _STRAY_POPULATION:
        return False
    if (place.country_code, place.admin1_code) in context.named_admin1s:
        return False
    if not name.inside and country_votes_of_others(name, context, place.country_code) > 0.0:
        return False
    others = [(lat, lon) for key, lat, lon in context.points if key != name.key]
    if not others:
        return True
    vector = unit_vectors(np.array([place.lat]), np.array([place.lon]))
    return bool(nearest_km(vector, others)[0] > _STRAY_KM)


def _keep_units(name: Name) -> None:
    """A qualifier names a country or a state: in "Buffalo, New York", New York is the state."""
    units = [c for c in name.candidates if c.place.is_country or c.place.is_admin1]
    if units:
        name.candidates = units


def _query(text: str, mention: Mention, *, claimed: bool = False) -> str:
    """What to look up for a mention: its text, with the kind of place the text gives.

    "the Zaporizhzhia and Kherson regions": the recogniser's ADM1 label asks for the
    admin-1 reading, as "Kherson region" would, and so does a territory a claim is about
    ("referendums in Donetsk and Luhansk"); a caller's span "Dnipro" followed by "river"
    asks for the river. A name with no such region is looked up as it is.
    """
    if mention.label == "ADM1" or claimed:
        return f"{mention.text} region"
    following = _DESIGNATOR_AFTER.match(text, mention.end)
    if following is None or following.group(1) == "State":
        return mention.text
    return f"{mention.text} {following.group(1)}"


def _claimed_regions(text: str, mentions: Sequence[Mention]) -> set[int]:
    """Indices of the mentions a territorial claim is about: after "in", "of" or "annexed"
    in a sentence that speaks of annexation, a referendum or independence, and the names
    listed after them ("the annexation of Donetsk, Luhansk and Kherson"). A claim is made
    on regions, not on their capitals; the claimant ("Moscow annexed") is left alone.
    """
    claimed: set[int] = set()
    if not _CLAIM_CUE.search(text):
        return claimed  # most stories: no sentence to read
    for index, mention in enumerate(mentions):
        before = _SENTENCE_END.split(text[max(0, mention.start - _CLAIM_REACH) : mention.start])[-1]
        after = _SENTENCE_END.split(text[mention.end : mention.end + _CLAIM_REACH])[0]
        if not (_CLAIM_CUE.search(before) or _CLAIM_CUE.search(after)):
            continue
        gap = text[mentions[index - 1].end : mention.start] if index else ""
        if _CLAIMED_AFTER.search(before) or (index - 1 in claimed and _LIST_ITEM_GAP.fullmatch(gap)):
            claimed.add(index)
    return claimed


def _is_town(name: Name) -> bool:
    """Whether a name's likeliest sense, by the prior alone, is a town ("New York", not "Texas")."""
    return bool(name.candidates) and name.candidates[0].place.feature_class == "P"


def _is_list_item(text: str, mentions: Sequence[Mention], index: int) -> bool:
    """Whether mention ``index`` may be an item of a list of places rather than a qualifier of the
    one before it: "Washington, New York and Boston", not "Springfield, Illinois and Columbus, Ohio"."""
    if index + 1 >= len(mentions) or not _LIST_GAP.fullmatch(text[mentions[index].end : mentions[index + 1].start]):
        return False
    after = index + 2
    return after >= len(mentions) or text[mentions[index + 1].end : mentions[after].start] not in _QUALIFIER_GAP


class PopulationResolver:
    """Baseline: every name goes to its most populous candidate, ignoring context."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, text: str, mentions: Sequence[Mention]) -> list[Toponym]:
        toponyms = []
        for mention in mentions:
            candidates = self.gazetteer.lookup(mention.text, limit=20)
            best = max(candidates, key=lambda candidate: candidate.place.population, default=None)
            toponyms.append(Toponym(mention, best.place if best else None, 1.0 if best else 0.0))
        return toponyms
