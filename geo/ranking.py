"""The ranker: the features of a name's candidates, their weights, and how sure a decision is.

Each candidate of each name gets a row of features a geographer would weigh (see
``features``); a log-linear model of learned weights (``ResolverWeights``) picks the
candidate with the highest score, and a logistic calibration turns the decision into the
chance that it is right (``calibration_inputs``). ``placemap.geo.resolve`` builds the
names and runs the decisions.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from placemap.exc import ConfigurationError
from placemap.gazetteer.geometry import EARTH_RADIUS_KM, unit_vectors
from placemap.types import Candidate

__all__ = [
    "CALIBRATION_INPUTS",
    "FEATURES",
    "DocumentContext",
    "Name",
    "ResolverWeights",
    "calibration_inputs",
    "country_votes_of_others",
    "document_context",
    "features",
    "nearest_km",
    "softmax_share",
]

#: The candidate features, in the order of ``ResolverWeights.vector()``.
FEATURES = (
    "log_prior",
    "country",
    "admin1",
    "admin1_named",
    "coherence",
    "label",
    "dateline",
    "is_country",
    "is_admin1",
    "is_admin2",
    "exact",
)
WEIGHTS_FILE = "resolver_weights.json"
#: What the score of a decision is computed from (see ``calibration_inputs``).
CALIBRATION_INPUTS = ("evidence", "share_logit", "log_candidates", "log_prior", "inside")


@dataclass(frozen=True, slots=True)
class ResolverWeights:
    """Weights of the candidate features (a log-linear model), the score calibration and the
    no-match threshold.

    The defaults are learned by ``benchmarks/train_resolver.py`` on the development
    corpora and shipped in ``geo/data/resolver_weights.json``; ``ResolverWeights()`` gives
    hand-set starting values.
    """

    log_prior: float = 0.4
    country: float = 4.0
    admin1: float = 2.0
    admin1_named: float = 0.0
    coherence: float = 1.5
    label: float = 1.0
    dateline: float = 2.0
    is_country: float = 0.0
    is_admin1: float = 0.0
    is_admin2: float = 0.0
    exact: float = 0.0
    rounds: int = 2
    min_score: float = 0.0
    #: Coefficients of ``CALIBRATION_INPUTS`` and a bias: a logistic map from the decision
    #: to the chance it is right (within 161 km). Empty: the softmax share of the choice.
    calibration: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.calibration and len(self.calibration) != len(CALIBRATION_INPUTS) + 1:
            raise ConfigurationError(
                f"the score calibration has {len(self.calibration)} coefficients, expected "
                f"{len(CALIBRATION_INPUTS) + 1} ({', '.join(CALIBRATION_INPUTS)} and a bias); refit it"
            )

    def vector(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in FEATURES)

    @classmethod
    def learned(cls, *, calibrated: bool = True, min_score: float = 0.0) -> ResolverWeights:
        """The weights shipped with the package (hand-set defaults if the file is absent), with
        ``min_score`` as the no-match threshold; ``calibrated=False`` leaves out the score
        calibration (to fit a new one)."""
        path = resources.files("placemap.geo") / "data" / WEIGHTS_FILE
        if not path.is_file():
            return cls(min_score=min_score)
        return cls.from_json(path.read_text(encoding="utf-8"), calibrated=calibrated, min_score=min_score)

    @classmethod
    def from_json(cls, text: str, *, calibrated: bool = True, min_score: float = 0.0) -> ResolverWeights:
        """Weights from the JSON of a weights file (as ``train_resolver.py`` writes it); keys
        that are no weight (``about``: the training data and their licences) are ignored."""
        values = json.loads(text)
        values["calibration"] = tuple(values.get("calibration", ())) if calibrated else ()
        values["min_score"] = min_score
        return cls(**{key: value for key, value in values.items() if key in cls.__dataclass_fields__})


_LABEL_CLASSES = {"LOC": frozenset("HTL"), "FAC": frozenset("SL"), "GPE": frozenset("AP")}
#: Feature codes that are not evidence of where a story happens, though they have a point.
_NOT_POINTS = frozenset({"CONT", "OCN", "RGN", "BLDG", "CSTL", "PAL"})


@dataclass(slots=True)
class Name:
    """One distinct name in the document, with its mentions and candidates."""

    key: str
    mentions: list[int]
    candidates: list[Candidate]
    label: str
    choice: int = 0
    vectors: NDArray[np.float64] | None = None  # unit vectors of the candidates, for coherence
    #: Key of the place named inside the name whose candidates these are ("weston" for
    #: "Weston Downtown Historic District"), else "". Such a name only echoes that place: it
    #: is no evidence for other names, and where the place is named on its own it decides.
    inside: str = ""
    #: A later mention qualified as another place of the same name ("named after Boston,
    #: Massachusetts"): it sits on one of the first name's candidates, so it is no evidence.
    namesake: bool = False

    @property
    def is_evidence(self) -> bool:
        return not (self.inside or self.namesake)


def _votes_of(name: Name) -> dict[str, float]:
    """How strongly one name points at each country: its best prior there."""
    votes: dict[str, float] = {}
    for candidate in name.candidates:
        code = candidate.place.country_code
        if code and candidate.prior > votes.get(code, 0.0):
            votes[code] = candidate.prior
    return votes


@dataclass(slots=True)
class DocumentContext:
    """What the document as a whole says: country votes, admin-1 units, resolved points."""

    countries: dict[str, float]
    admin1s: dict[tuple[str, str], float]
    #: Admin-1 units the text names itself ("Oregon"), as against units inferred from the
    #: place another ambiguous name went to ("Union" in New Jersey).
    named_admin1s: dict[tuple[str, str], float]
    points: list[tuple[str, float, float]]


def document_context(names: list[Name]) -> DocumentContext:
    countries: dict[str, float] = defaultdict(float)
    admin1s: dict[tuple[str, str], float] = defaultdict(float)
    named_admin1s: dict[tuple[str, str], float] = defaultdict(float)
    points: list[tuple[str, float, float]] = []
    for name in names:
        if not name.is_evidence or not name.candidates:
            continue
        for code, vote in _votes_of(name).items():
            countries[code] += vote
        chosen = name.candidates[name.choice].place
        if chosen.admin1_code and not chosen.is_country:
            admin1s[(chosen.country_code, chosen.admin1_code)] += 1.0
            if chosen.is_admin1:
                named_admin1s[(chosen.country_code, chosen.admin1_code)] += 1.0
        # Areas are not points: a name is not "near" the centroid of a country or an admin-1 unit.
        # Nor is a seat of power: "the White House said" speaks for a government, from anywhere.
        if not (chosen.is_country or chosen.is_admin1) and chosen.feature_code not in _NOT_POINTS:
            points.append((name.key, chosen.lat, chosen.lon))
    return DocumentContext(countries, admin1s, named_admin1s, points)


def _own_votes(name: Name) -> dict[str, float]:
    """The votes ``name`` itself put into the document context (none if it is no evidence)."""
    return _votes_of(name) if name.is_evidence else {}


def country_votes_of_others(name: Name, context: DocumentContext, code: str) -> float:
    """How strongly the story's other names point at the country ``code``."""
    return context.countries.get(code, 0.0) - _own_votes(name).get(code, 0.0)


def features(name: Name, context: DocumentContext, dateline: str | None) -> list[tuple[float, ...]]:
    """One feature row (in ``FEATURES`` order) per candidate of ``name``.

    Every context feature leaves ``name`` itself out, so a name cannot vote for itself.
    """
    own_votes = _own_votes(name)
    total = sum(context.countries.values()) - sum(own_votes.values()) or 1.0
    chosen = name.candidates[name.choice].place if name.candidates and name.is_evidence else None
    own_admin1 = (chosen.country_code, chosen.admin1_code) if chosen and chosen.admin1_code else None
    # A name that can be a state or a country ("Florida", "Idaho") is not moved off it to a
    # town of that name because the text names another state ("New York", "Colorado").
    can_be_unit = any(c.place.is_admin1 or c.place.is_country for c in name.candidates)
    coherences = _coherences(name, context.points).tolist()
    rows = []
    for candidate, coherence in zip(name.candidates, coherences, strict=True):
        place = candidate.place
        country = (context.countries.get(place.country_code, 0.0) - own_votes.get(place.country_code, 0.0)) / total
        admin1_key = (place.country_code, place.admin1_code)
        admin1 = context.admin1s.get(admin1_key, 0.0) - (admin1_key == own_admin1) if place.admin1_code else 0.0
        # (A name that cannot be a unit has no vote of its own among the named units.)
        named = context.named_admin1s.get(admin1_key, 0.0) if place.admin1_code and not can_be_unit else 0.0
        rows.append(
            (
                math.log(max(candidate.prior, 1e-9)),
                country,
                min(admin1, 1.0),
                float(named > 0),
                coherence,
                float(place.feature_class in _LABEL_CLASSES.get(name.label, ())),
                float(dateline == place.country_code) if dateline else 0.0,
                float(place.is_country),
                float(place.is_admin1),
                float(place.feature_code == "ADM2"),
                # The name is the place's own ("Victoria", British Columbia), not one of
                # its many alternates (Hong Kong's "Victoria").
                float(candidate.exact),
            )
        )
    return rows


def _coherences(name: Name, points: list[tuple[str, float, float]]) -> NDArray[np.float64]:
    """Per candidate: 1 when another resolved place is next door, falling towards 0 with distance."""
    others = [(lat, lon) for key, lat, lon in points if key != name.key]
    if not others or not name.candidates:
        return np.zeros(len(name.candidates))
    if name.vectors is None:
        places = [candidate.place for candidate in name.candidates]
        name.vectors = unit_vectors(np.array([p.lat for p in places]), np.array([p.lon for p in places]))
    distance_km = nearest_km(name.vectors, others)
    countries = np.array([candidate.place.is_country for candidate in name.candidates])
    return np.where(countries, 0.0, 1.0 / (1.0 + distance_km / 250.0))


def nearest_km(vectors: NDArray[np.float64], points: list[tuple[float, float]]) -> NDArray[np.float64]:
    """Per row of ``vectors`` (unit vectors of places): km to the nearest of ``points`` (lat, lon)."""
    lat, lon = np.array(points).T
    # The nearest point is the one with the largest dot product of unit vectors.
    cosine = np.clip((vectors @ unit_vectors(lat, lon).T).max(axis=1), -1.0, 1.0)
    return EARTH_RADIUS_KM * np.arccos(cosine)


def calibration_inputs(name: Name, scores: list[float]) -> tuple[float, ...]:
    """The inputs of the score calibration, in ``CALIBRATION_INPUTS`` order: the chosen
    candidate's linear score (how much evidence there is), the logit of its softmax share
    (how far ahead of the others), the log of the number of candidates, the log of the
    gazetteer's prior for it (Kharkiv is nearly always Kharkiv, Springfield is not), and
    whether the name is only a place named inside it ("Rue d'Enghien" placed at Rue, France).
    """
    share = min(max(softmax_share(scores, name.choice), 1e-6), 1.0 - 1e-6)
    prior = max(name.candidates[name.choice].prior, 1e-9)
    return (
        scores[name.choice],
        math.log(share / (1.0 - share)),
        math.log(len(scores)),
        math.log(prior),
        float(bool(name.inside)),
    )


def softmax_share(scores: list[float], index: int) -> float:
    top = max(scores)
    weights = [math.exp(score - top) for score in scores]
    return weights[index] / sum(weights)
