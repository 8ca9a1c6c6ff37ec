"""The learned recognizer's weights: a logistic regression over candidate place names.

Every candidate span of a text (the rules' spans, the NER's entities of every label, and
capitalised words the gazetteer knows) gets the features of :mod:`.place_candidates`; the
model gives each the chance that it is a place name, and the surest candidates that do not
overlap are kept. The weights are fitted by ``benchmarks/train_recognizer.py`` on openly
licensed development data only and shipped as JSON (a few kilobytes), so scoring needs no
scikit-learn: a sparse dot product and a logistic function, deterministic and offline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["PLACE_MODEL_FILE", "PlaceModel"]

PLACE_MODEL_FILE = "place_model.json"


@dataclass(frozen=True)
class PlaceModel:
    """Weights of the candidate classifier.

    Parameters
    ----------
    weights : mapping of feature name to weight (a feature is present or not, or a number)
    bias : the intercept
    threshold : the probability a candidate must reach to be kept
    about : what trained the model (corpora, their licences, counts), for the record
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5
    about: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> PlaceModel:
        """The shipped model in ``geo/data``, or the one at ``path``."""
        source = resources.files("placemap.geo.data").joinpath(PLACE_MODEL_FILE) if path is None else Path(path)
        data = json.loads(source.read_text(encoding="utf-8"))
        return cls(data["weights"], data["bias"], data["threshold"], data.get("about", {}))

    def to_json(self) -> str:
        """The model as JSON with sorted keys and weights rounded to 4 decimals (diffable, deterministic)."""
        data = {
            "about": dict(self.about),
            "bias": round(self.bias, 4),
            "threshold": round(self.threshold, 3),
            "weights": {f: round(w, 4) for f, w in sorted(self.weights.items()) if round(w, 4)},
        }
        return json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    def probability(self, features: Mapping[str, float]) -> float:
        """The chance that a candidate with ``features`` is a place name."""
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probabilities(self, rows: Iterable[Mapping[str, float]]) -> list[float]:
        return [self.probability(row) for row in rows]
