"""The learned event model: logistic regressions over :mod:`.event_features`, one per event role.

A *role* is what a name is to an event stated in its sentence: ``shelling:location`` (the
place hit), ``corridor:origin``, ``refugees:destination``, ``claim:area`` ...; a
``category:none`` role belongs to the sentence itself, for events that name no place ("talks
by telephone"). Each role is a separate binary classifier, so one name can be both the site
of an advance and of a strike. The weights are fitted by ``benchmarks/train_events.py`` on
our annotated development dispatches (scikit-learn; never the monitor reports, which have no
licence and are for measuring only) and shipped as JSON, so
scoring needs no scikit-learn: a sparse dot product and a logistic function.

The probabilities are the model's own (logistic regression is close to calibrated); the
training script prints their calibration error on held-out conflicts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["LOCATION_CATEGORIES", "MODEL_FILE", "PLACE_ROLES", "SENTENCE_ROLES", "EventModel"]

#: Categories whose event has one place, where it happens.
LOCATION_CATEGORIES = ("talks", "shelling", "ceasefire", "military")
PLACE_ROLES = (
    *(f"{category}:location" for category in LOCATION_CATEGORIES),
    "corridor:origin",
    "corridor:destination",
    "refugees:origin",
    "refugees:destination",
    "claim:area",
)
#: Events a sentence states without naming their place.
SENTENCE_ROLES = ("talks:none", "ceasefire:none", "corridor:none", "shelling:none", "military:none")
MODEL_FILE = "event_model.json"


@dataclass(frozen=True)
class EventModel:
    """Per-role weights and bias; ``thresholds`` is the probability a role must reach.

    Parameters
    ----------
    weights : mapping of role to mapping of feature to weight
    bias : mapping of role to intercept
    thresholds : mapping of role to the probability above which the role is taken
    about : what trained the model (corpora, counts, regularisation), for the record
    calibration : (a, b) of ``sigmoid(a * logit(p) + b)``, the chance that a role the parse rules
        proposed is right, fitted on predictions for conflicts the model was not fitted to
    """

    weights: Mapping[str, Mapping[str, float]]
    bias: Mapping[str, float]
    thresholds: Mapping[str, float]
    about: Mapping[str, Any] = field(default_factory=dict)
    calibration: tuple[float, float] = (1.0, 0.0)
    #: Feature -> its (role, weight) pairs, derived from ``weights``: a row's features are looked up
    #: once, not once per role.
    by_feature: Mapping[str, tuple[tuple[str, float], ...]] = field(init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None, *, file: str = MODEL_FILE, missing_ok: bool = False) -> Any:
        """The shipped model ``file`` in ``geo/data`` (the event model by default), or the one at
        ``path``; ``None`` when ``missing_ok`` and there is none."""
        source = resources.files("placemap.geo.data").joinpath(file) if path is None else Path(path)
        if missing_ok and not source.is_file():
            return None
        text = source.read_text(encoding="utf-8")
        data = json.loads(text)
        calibration = tuple(data.get("calibration", (1.0, 0.0)))
        return cls(data["weights"], data["bias"], data["thresholds"], data.get("about", {}), calibration)

    def to_json(self) -> str:
        """The model as JSON: sorted keys, weights rounded to 4 decimals, so retraining is diffable."""
        weights = {
            role: {f: round(w, 4) for f, w in sorted(ws.items()) if round(w, 4)} for role, ws in self.weights.items()
        }
        data = {
            "about": dict(self.about),
            "bias": {role: round(b, 4) for role, b in self.bias.items()},
            "calibration": [round(v, 4) for v in self.calibration],
            "thresholds": {role: round(t, 3) for role, t in self.thresholds.items()},
            "weights": weights,
        }
        return json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    def __post_init__(self) -> None:
        by_feature: dict[str, list[tuple[str, float]]] = {}
        for role, weights in self.weights.items():
            for feature, weight in weights.items():
                by_feature.setdefault(feature, []).append((role, weight))
        object.__setattr__(self, "by_feature", {f: tuple(pairs) for f, pairs in by_feature.items()})

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.bias)

    def probabilities(self, features: Iterable[str], roles: Iterable[str] | None = None) -> dict[str, float]:
        """P(role) for one row of features, for every role (or those given)."""
        wanted = self.roles if roles is None else tuple(roles)
        z = {role: self.bias.get(role, -10.0) for role in wanted}
        for feature in set(features):
            for role, weight in self.by_feature.get(feature, ()):
                if role in z:
                    z[role] += weight
        return {role: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for role, v in z.items()}

    def calibrated(self, probability: float) -> float:
        """The chance that a role the parse rules proposed is right, given the model's probability."""
        a, b = self.calibration
        p = min(max(probability, 1e-6), 1 - 1e-6)
        z = a * math.log(p / (1 - p)) + b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def taken(self, role: str, probability: float) -> bool:
        return probability >= self.thresholds.get(role, 0.5)

    def strongest(self, role: str, features: Iterable[str], prefix: str = "s:") -> list[tuple[float, str]]:
        """The features with ``prefix`` that most push ``role`` up, strongest first (which word made it)."""
        weights = self.weights.get(role, {})
        found = [(weights[f], f[len(prefix) :]) for f in set(features) if f.startswith(prefix) and f in weights]
        return sorted((w, f) for w, f in found if w > 0)[::-1]
