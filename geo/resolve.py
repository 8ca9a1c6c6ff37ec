"""Resolve mentions to places using the whole document as context.

A story that says Ukraine and Belarus wants Brest in Belarus; a story about Odesa's
port wants Odesa, Ukraine, not Odessa, Texas. Each candidate of each name gets a score
from features a geographer would weigh:

- the gazetteer's prior (population, admin level, primary name);
- how much of the rest of the document points to the candidate's country and admin-1 unit;
- how close it lies to the places the other names resolved to (spatial coherence);
- whether its kind fits the NER label (a LOC is more likely a river than a town);
- an explicit qualifier in the text ("Brest, Belarus") or the dateline's country.

One sense per document: every mention of the same name gets the same place.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from placemap.gazetteer import Gazetteer, fold_name
from placemap.types import Candidate, Mention, Place, Toponym

__all__ = ["ContextResolver", "PopulationResolver", "Resolver", "ResolverWeights"]


class Resolver(Protocol):
    """Anything that turns mentions in a text into toponyms."""

    def __call__(self, text: str, mentions: Sequence[Mention]) -> list[Toponym]: ...


@dataclass(frozen=True, slots=True)
class ResolverWeights:
    """Weights of the candidate features (log-linear) and the no-match threshold."""

    prior: float = 1.0
    country: float = 4.0
    admin1: float = 2.0
    coherence: float = 1.5
    label: float = 1.0
    qualifier: float = 8.0
    dateline: float = 2.0
    rounds: int = 2
    min_score: float = 0.0


_LABEL_CLASSES = {"LOC": frozenset("HTL"), "FAC": frozenset("SL"), "GPE": frozenset("AP")}
_QUALIFIER_GAP = {",", ", ", " ,", ",\n"}
_CANDIDATES = 10


@dataclass(slots=True)
class _Name:
    """One distinct name in the document, with its mentions and candidates."""

    key: str
    mentions: list[int]
    candidates: list[Candidate]
    label: str
    qualifier: str | None = None
    choice: int = 0


class ContextResolver:
    """Document-context resolver (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer, *, weights: ResolverWeights = ResolverWeights()) -> None:
        self.gazetteer = gazetteer
        self.weights = weights

    def __call__(self, text: str, mentions: Sequence[Mention]) -> list[Toponym]:
        names = self._names(text, mentions)
        dateline = self._dateline_country(mentions, names)
        for _ in range(self.weights.rounds):
            countries, admin1s, points = _context(names)
            for name in names:
                if len(name.candidates) > 1:
                    scores = self._scores(name, countries, admin1s, points, dateline)
                    name.choice = max(range(len(scores)), key=scores.__getitem__)
        return self._toponyms(mentions, names, dateline)

    # -- building the names ------------------------------------------------------------
    def _names(self, text: str, mentions: Sequence[Mention]) -> list[_Name]:
        by_key: dict[str, _Name] = {}
        for index, mention in enumerate(mentions):
            key = fold_name(mention.text)
            if key not in by_key:
                by_key[key] = _Name(key, [], self.gazetteer.lookup(mention.text, limit=_CANDIDATES), mention.label)
            by_key[key].mentions.append(index)
        for previous, mention in itertools.pairwise(mentions):
            if text[previous.end : mention.start] in _QUALIFIER_GAP:
                qualifier = self.gazetteer.country_code_for(mention.text)
                if qualifier:
                    by_key[fold_name(previous.text)].qualifier = qualifier
        return list(by_key.values())

    def _dateline_country(self, mentions: Sequence[Mention], names: list[_Name]) -> str | None:
        if not mentions or mentions[0].start != 0 or not mentions[0].text.isupper():
            return None
        first = next(name for name in names if 0 in name.mentions)
        return first.candidates[0].place.country_code if first.candidates else None

    # -- scoring -----------------------------------------------------------------------
    def _scores(
        self,
        name: _Name,
        countries: dict[str, float],
        admin1s: dict[tuple[str, str], float],
        points: list[tuple[str, float, float]],
        dateline: str | None,
    ) -> list[float]:
        w = self.weights
        own_country = _votes_of(name)
        total = sum(countries.values()) - sum(own_country.values()) or 1.0
        scores = []
        for candidate in name.candidates:
            place = candidate.place
            country_share = (countries.get(place.country_code, 0.0) - own_country.get(place.country_code, 0.0)) / total
            admin1 = admin1s.get((place.country_code, place.admin1_code), 0.0) if place.admin1_code else 0.0
            score = w.prior * math.log(max(candidate.prior, 1e-9))
            score += w.country * country_share + w.admin1 * min(admin1, 1.0)
            score += w.coherence * _coherence(place, points, name.key)
            score += w.label * (place.feature_class in _LABEL_CLASSES.get(name.label, ()))
            score += w.qualifier * (name.qualifier == place.country_code) if name.qualifier else 0.0
            score += w.dateline * (dateline == place.country_code) if dateline else 0.0
            scores.append(score)
        return scores

    def _toponyms(self, mentions: Sequence[Mention], names: list[_Name], dateline: str | None) -> list[Toponym]:
        countries, admin1s, points = _context(names)
        result: list[Toponym | None] = [None] * len(mentions)
        for name in names:
            place, confidence = None, 0.0
            if name.candidates:
                scores = self._scores(name, countries, admin1s, points, dateline)
                confidence = _softmax_share(scores, name.choice)
                if confidence >= self.weights.min_score:
                    place = name.candidates[name.choice].place
            for index in name.mentions:
                result[index] = Toponym(mentions[index], place, round(confidence, 4), tuple(name.candidates[:5]))
        return [toponym for toponym in result if toponym is not None]


def _votes_of(name: _Name) -> dict[str, float]:
    """How strongly one name points at each country: its best prior there."""
    votes: dict[str, float] = {}
    for candidate in name.candidates:
        code = candidate.place.country_code
        if code and candidate.prior > votes.get(code, 0.0):
            votes[code] = candidate.prior
    return votes


def _context(
    names: list[_Name],
) -> tuple[dict[str, float], dict[tuple[str, str], float], list[tuple[str, float, float]]]:
    countries: dict[str, float] = defaultdict(float)
    admin1s: dict[tuple[str, str], float] = defaultdict(float)
    points: list[tuple[str, float, float]] = []
    for name in names:
        for code, vote in _votes_of(name).items():
            countries[code] += vote
        if not name.candidates:
            continue
        chosen = name.candidates[name.choice].place
        if chosen.admin1_code and chosen.feature_code != "PCLI":
            admin1s[(chosen.country_code, chosen.admin1_code)] += 1.0
        if not chosen.is_country and chosen.feature_code not in ("CONT", "OCN", "RGN"):
            points.append((name.key, chosen.lat, chosen.lon))
    return countries, admin1s, points


def _coherence(place: Place, points: list[tuple[str, float, float]], own_key: str) -> float:
    """1 when another resolved place is next door, falling towards 0 with distance."""
    if place.is_country:
        return 0.0
    nearest = min((_km(place.lat, place.lon, lat, lon) for key, lat, lon in points if key != own_key), default=None)
    if nearest is None:
        return 0.0
    return 1.0 / (1.0 + nearest / 250.0)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _softmax_share(scores: list[float], index: int) -> float:
    top = max(scores)
    weights = [math.exp(score - top) for score in scores]
    return weights[index] / sum(weights)


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
