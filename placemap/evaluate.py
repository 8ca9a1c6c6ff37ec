"""Score a geoparser's output against gold toponym corpora (``placemap.evaluate``).

Three views of a geoparser's quality are measured, following Gritta, Pilehvar and Collier (2019),
*A Pragmatic Guide to Geoparsing Evaluation*:

* **recognition** -- are the place names found? (precision, recall and F1, with exact or
  overlapping spans);
* **resolution** -- given the gold spans, is each one linked to the right place? (GeoNames-id
  accuracy, accuracy within 161 km, mean and median error, AUC of the log error);
* **end to end** -- from raw text, is each gold toponym found *and* placed within 161 km?

Corpora place a country or a region at different points (GeoVirus at Wikipedia's, GeoWebNews
at GeoNames'), so a right country can lie more than 161 km from the gold point. Given an
``area_of`` lookup (:func:`gazetteer_areas`), resolution and end to end also report
``acc@161+area``: a guess that is a country or admin-1 unit (:data:`AREA_CODES`) is also right
when it has the gold GeoNames id or its area holds the gold point. ``acc@161`` stays the plain
distance figure.

Documents are plain dicts as parsed from JSON lines. A gold document looks like
``{"id", "text", "toponyms": [{"start", "end", "text", "lat", "lon", "geonameid", "type"}]}``;
a predicted document follows the ``placemap geoparse`` output contract,
``{"id", "toponyms": [{"start", "end", "text", "geonameid", "name", "lat", "lon", ...}]}``, where
``lat``, ``lon`` and ``geonameid`` may be null. Predicted documents are paired with gold documents
by ``id``; predictions for documents absent from the gold data are ignored.

Every function here is pure: it returns numbers in dicts, and :func:`format_report` turns such a
dict into a plain-text table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from placemap.gazetteer.geometry import EARTH_RADIUS_KM

__all__ = [
    "ACCURACY_KM",
    "AREA_CODES",
    "EARTH_RADIUS_KM",
    "MAX_ERROR_KM",
    "Policy",
    "calibration_error",
    "corpus_name",
    "corpus_policy",
    "evaluate",
    "format_report",
    "gazetteer_areas",
    "haversine_km",
    "score_end_to_end",
    "score_recognition",
    "score_resolution",
]

#: Half the earth's circumference: the error charged for a missing or unplaced prediction.
MAX_ERROR_KM = 20039.0
#: A resolution is "correct" when within 161 km (100 miles) of the gold point.
ACCURACY_KM = 161.0

#: Feature codes of the places scored by area as well as by distance: countries and admin-1 units.
AREA_CODES = frozenset({"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "PCLIX", "TERR", "ADM1"})

Span = Mapping[str, Any]
Doc = Mapping[str, Any]
#: GeoNames id -> the place's area (a shapely geometry in lon/lat), or None when it has none.
AreaLookup = Callable[[int], Any]


@dataclass(frozen=True)
class Policy:
    """Which gold spans a geoparser is expected to find.

    Attributes
    ----------
    gold_types : frozenset of str or None
        Span ``type`` values that count as gold; ``None`` means every span is gold.
    neutral_types : frozenset of str
        Types of spans that are not gold but not wrong either: a prediction overlapping such a
        span (and matching no gold span) is neither a true nor a false positive.
    exhaustive : bool
        Whether every toponym in the text is annotated. When False, predictions that match no
        gold span are not counted as false positives and precision is not reported.
    header_line : bool
        Whether the text's first line is a header outside the annotation: spans that start in
        it, gold or predicted, are not scored.
    """

    gold_types: frozenset[str] | None = None
    neutral_types: frozenset[str] = frozenset()
    exhaustive: bool = True
    header_line: bool = False

    def is_gold(self, span: Span) -> bool:
        """Return True when ``span`` is a toponym the geoparser should find."""
        return self.gold_types is None or span.get("type") in self.gold_types

    def is_neutral(self, span: Span) -> bool:
        """Return True when predictions on ``span`` are to be ignored (a gold span never is)."""
        return not self.is_gold(span) and span.get("type") in self.neutral_types


#: GeoWebNews: literal and associative toponyms are gold; demonyms, language names and names
#: inside organisation names are neutral; ``Homonym`` is neither, so predicting one is an error.
#: ``Coercion`` spans share their offsets with a ``Non_Toponym`` span; the Coercion one is gold.
#: The first line ("TITLE: ... LINK: <url>") comes from the brat export: the authors' GWN.xml
#: texts leave it out, and 2 of the 3,152 spans fall in it, so it is not scored.
GEOWEBNEWS_POLICY = Policy(
    gold_types=frozenset(
        {
            "Literal",
            "Mixed",
            "Literal_Modifier",
            "Non_Literal_Modifier",
            "Embedded_Literal",
            "Coercion",
            "Metonymic",
        }
    ),
    neutral_types=frozenset({"Demonym", "Language", "Embedded_Non_Lit", "Non_Toponym"}),
    header_line=True,
)
#: WikToR annotates one target name per text: only recall and resolution are meaningful.
WIKTOR_POLICY = Policy(exhaustive=False)
#: Every other corpus: all spans are gold and annotation is taken as exhaustive.
DEFAULT_POLICY = Policy()


def corpus_name(doc: Doc) -> str:
    """Return the corpus a gold document belongs to (``"dispatches"`` when it has no ``corpus``)."""
    return doc.get("corpus") or "dispatches"


def corpus_policy(corpus_name: str) -> Policy:
    """Return the scoring policy for a corpus.

    Parameters
    ----------
    corpus_name : str
        The gold documents' ``corpus`` field, e.g. ``"GeoWebNews"``, ``"wiktor"``,
        ``"WoTR-test"``; case, spaces, hyphens and underscores are ignored.

    Returns
    -------
    Policy
        The GeoWebNews type policy, the non-exhaustive WikToR policy, or "every span is gold".
    """
    key = re.sub(r"[^a-z0-9]", "", corpus_name.casefold())
    if key == "geowebnews":
        return GEOWEBNEWS_POLICY
    if key.startswith("wiktor"):
        return WIKTOR_POLICY
    return DEFAULT_POLICY


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance in km between points given in degrees.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Latitudes and longitudes in degrees; broadcast against each other. NaN gives NaN.

    Returns
    -------
    numpy.ndarray
        Distances in km on a sphere of radius :data:`EARTH_RADIUS_KM`.

    Examples
    --------
    >>> round(float(haversine_km(50.45, 30.52, 49.84, 24.02)))
    468
    """
    phi1, lam1, phi2, lam2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    half_chord = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half_chord, 0.0, 1.0)))


# --------------------------------------------------------------------------- pairing and matching


def _paired_docs(
    gold_docs: Iterable[Doc], predicted_docs: Iterable[Doc], policy: Policy
) -> Iterator[tuple[list[Span], list[Span]]]:
    """Yield (gold toponyms, predicted toponyms) per gold document; a missing prediction is empty.

    Under a ``header_line`` policy, spans that start in the text's first line are left out.
    """
    predictions: dict[Any, list[Span]] = {}
    for doc in predicted_docs:
        if doc["id"] in predictions:
            raise ValueError(f"predicted documents repeat the id {doc['id']!r}")
        predictions[doc["id"]] = list(doc.get("toponyms") or [])
    for doc in gold_docs:
        gold, predicted = list(doc.get("toponyms") or []), predictions.get(doc["id"], [])
        if policy.header_line:
            body = (doc.get("text") or "").find("\n") + 1
            gold = [span for span in gold if span["start"] >= body]
            predicted = [span for span in predicted if span["start"] >= body]
        yield gold, predicted


def _bounds(spans: Sequence[Span]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Start and end offsets of ``spans`` as two integer arrays."""
    starts = np.array([span["start"] for span in spans], dtype=np.int64)
    ends = np.array([span["end"] for span in spans], dtype=np.int64)
    return starts, ends


def _overlap_matrix(spans_a: Sequence[Span], spans_b: Sequence[Span]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Characters shared and characters covered by every pair of spans, as (len(a), len(b)) arrays."""
    start_a, end_a = _bounds(spans_a)
    start_b, end_b = _bounds(spans_b)
    shared = np.minimum(end_a[:, None], end_b[None, :]) - np.maximum(start_a[:, None], start_b[None, :])
    covered = np.maximum(end_a[:, None], end_b[None, :]) - np.minimum(start_a[:, None], start_b[None, :])
    return np.maximum(shared, 0), covered


def _match(admissible: NDArray[np.bool_], preference: NDArray[np.float64]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of gold (rows) to predictions (columns).

    Admissible pairs are taken in order of decreasing ``preference``, ties by gold then
    prediction position; a pair is kept when neither side is matched yet. The result is maximal:
    no admissible pair of two unmatched spans is left.
    """
    rows, cols = np.nonzero(admissible)
    order = np.lexsort((cols, rows, -preference[rows, cols]))
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    pairs = []
    for row, col in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if row not in used_rows and col not in used_cols:
            used_rows.add(row)
            used_cols.add(col)
            pairs.append((row, col))
    return pairs


def _match_spans(gold: Sequence[Span], predicted: Sequence[Span], exact: bool) -> list[tuple[int, int]]:
    """Match gold to predicted spans one-to-one, by identical offsets or by any overlap.

    Overlapping pairs are preferred by their overlap over union, so an identical span wins.
    """
    shared, covered = _overlap_matrix(gold, predicted)
    jaccard = shared / np.maximum(covered, 1)
    admissible = jaccard == 1.0 if exact else shared > 0
    return _match(admissible, jaccard)


def _ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator``, or 0.0 when the denominator is 0."""
    return numerator / denominator if denominator else 0.0


# --------------------------------------------------------------------------- recognition


def _count_doc(gold_spans: list[Span], predicted: list[Span], policy: Policy, exact: bool) -> tuple[int, int, int]:
    """True positives, false positives and false negatives in one document."""
    gold = [span for span in gold_spans if policy.is_gold(span)]
    pairs = _match_spans(gold, predicted, exact)
    tp = len(pairs)
    if not policy.exhaustive:
        return tp, 0, len(gold) - tp
    unmatched = np.ones(len(predicted), dtype=bool)
    unmatched[[col for _, col in pairs]] = False
    neutral = [span for span in gold_spans if policy.is_neutral(span)]
    on_neutral = (_overlap_matrix(neutral, predicted)[0] > 0).any(axis=0)
    fp = int(np.count_nonzero(unmatched & ~on_neutral))
    return tp, fp, len(gold) - tp


def _prf(tp: int, fp: int, fn: int, exhaustive: bool) -> dict[str, Any]:
    """Counts with precision, recall and F1 (precision, F1 and fp are None when not exhaustive)."""
    recall = _ratio(tp, tp + fn)
    if not exhaustive:
        return {"tp": tp, "fp": None, "fn": fn, "precision": None, "recall": recall, "f1": None}
    precision = _ratio(tp, tp + fp)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def score_recognition(gold_docs: Iterable[Doc], predicted_docs: Iterable[Doc], policy: Policy) -> dict[str, Any]:
    """Precision, recall and F1 of toponym recognition.

    Each gold span matches at most one prediction and vice versa. A prediction that matches no
    gold span is a false positive unless it overlaps a neutral span of the ``policy`` or the
    corpus is not exhaustively annotated. Ratios with a zero denominator are 0.0.

    Parameters
    ----------
    gold_docs : iterable of dict
        Gold documents with ``id`` and ``toponyms``.
    predicted_docs : iterable of dict
        Predicted documents, paired with gold by ``id``; a gold document without one has all its
        gold spans counted as false negatives.
    policy : Policy
        Which gold spans count (see :func:`corpus_policy`).

    Returns
    -------
    dict
        ``{"exact": {...}, "overlap": {...}}``, each with ``tp``, ``fp``, ``fn``, ``precision``,
        ``recall`` and ``f1``. ``exact`` needs identical start and end; ``overlap`` any shared
        character. ``fp``, ``precision`` and ``f1`` are None for a non-exhaustive policy.
    """
    totals = {"exact": np.zeros(3, dtype=int), "overlap": np.zeros(3, dtype=int)}
    for gold_spans, predicted in _paired_docs(gold_docs, predicted_docs, policy):
        for mode, total in totals.items():
            total += _count_doc(gold_spans, predicted, policy, exact=mode == "exact")
    return {mode: _prf(*(int(x) for x in total), exhaustive=policy.exhaustive) for mode, total in totals.items()}


# --------------------------------------------------------------------------- resolution


def _has_point(span: Span) -> bool:
    """True when ``span`` carries both a latitude and a longitude."""
    return span.get("lat") is not None and span.get("lon") is not None


def _point(span: Span | None) -> tuple[float, float]:
    """(lat, lon) of ``span``, or (nan, nan) when it is missing or unplaced."""
    if span is None or not _has_point(span):
        return float("nan"), float("nan")
    return float(span["lat"]), float(span["lon"])


def _placeable_gold(spans: Iterable[Span], policy: Policy) -> list[Span]:
    """Gold spans under ``policy`` that have coordinates."""
    return [span for span in spans if policy.is_gold(span) and _has_point(span)]


def _error_km(gold_points: Sequence[tuple[float, float]], predicted_points: Sequence[tuple[float, float]]) -> NDArray:
    """Distance from each gold point to its predicted one, capped at :data:`MAX_ERROR_KM` (also for NaN)."""
    gold = np.array(gold_points, dtype=float).reshape(-1, 2)
    predicted = np.array(predicted_points, dtype=float).reshape(-1, 2)
    errors = haversine_km(gold[:, 0], gold[:, 1], predicted[:, 0], predicted[:, 1])
    return np.minimum(np.nan_to_num(errors, nan=MAX_ERROR_KM), MAX_ERROR_KM)


def _error_summary(errors: NDArray) -> dict[str, float | None]:
    """Accuracy within 161 km, mean and median error, and AUC of the log error (None when empty)."""
    if errors.size == 0:
        return {"acc@161": None, "mean_km": None, "median_km": None, "auc": None}
    return {
        "acc@161": float(np.mean(errors <= ACCURACY_KM)),
        "mean_km": float(np.mean(errors)),
        "median_km": float(np.median(errors)),
        # Each term is at most 1; the clip only removes rounding above it.
        "auc": min(1.0, float(np.mean(np.log1p(errors)) / np.log1p(MAX_ERROR_KM))),
    }


def gazetteer_areas(gazetteer: Any) -> AreaLookup:
    """An ``area_of`` lookup for the scorers, from an open ``Gazetteer`` (each id read once).

    Parameters
    ----------
    gazetteer : placemap.gazetteer.Gazetteer
        The store whose areas (simplified country and admin-1 polygons) are used.

    Returns
    -------
    callable
        ``area_of(geonameid)``: the shapely geometry of the place's area, or None.
    """

    @lru_cache(maxsize=4096)
    def area_of(geonameid: int) -> Any:
        place = gazetteer.get(geonameid)
        return gazetteer.area(place) if place is not None else None

    return area_of


def _right_by_area(gold: Span, guess: Span | None, area_of: AreaLookup) -> bool:
    """Whether ``guess`` is a country or admin-1 unit that is the gold place or holds its point."""
    if guess is None or guess.get("feature_code") not in AREA_CODES or guess.get("geonameid") is None:
        return False
    if gold.get("geonameid") is not None and gold["geonameid"] == guess["geonameid"]:
        return True
    import shapely

    area = area_of(guess["geonameid"])
    return area is not None and bool(shapely.intersects_xy(area, float(gold["lon"]), float(gold["lat"])))


def calibration_error(scores: ArrayLike, correct: ArrayLike, *, bins: int = 10) -> dict[str, float | None]:
    """How well scores state the chance of being right.

    Parameters
    ----------
    scores : array_like
        The geoparser's scores in [0, 1], one per placed guess.
    correct : array_like of bool
        Whether each guess was right (within 161 km).
    bins : int
        Equal-width score bins for the expected calibration error.

    Returns
    -------
    dict
        ``ece``: the mean, over guesses, of |mean score - share right| within each guess's
        bin (0 is perfect); ``brier``: the mean squared difference between score and outcome.
        Both None when there are no guesses.

    Examples
    --------
    >>> calibration_error([0.9, 0.9, 0.2, 0.2], [True, True, False, False])["ece"]
    0.15
    """
    p = np.asarray(scores, dtype=float)
    y = np.asarray(correct, dtype=float)
    if p.size == 0:
        return {"ece": None, "brier": None}
    which = np.minimum((p * bins).astype(int), bins - 1)
    counts = np.bincount(which, minlength=bins)
    gaps = np.abs(np.bincount(which, weights=p, minlength=bins) - np.bincount(which, weights=y, minlength=bins))
    return {"ece": round(float(gaps.sum() / counts.sum()), 6), "brier": float(np.mean((p - y) ** 2))}


def score_resolution(
    gold_docs: Iterable[Doc], predicted_docs: Iterable[Doc], policy: Policy, *, area_of: AreaLookup | None = None
) -> dict[str, Any]:
    """Accuracy of toponym resolution when the geoparser was given the gold spans.

    Every gold span (under ``policy``) with coordinates is looked up among the predictions by
    identical (start, end); the first such prediction is used. A missing prediction, or one with
    null coordinates, is wrong and its error is :data:`MAX_ERROR_KM` (20,039 km).

    Parameters
    ----------
    gold_docs : iterable of dict
        Gold documents with ``id`` and ``toponyms``.
    predicted_docs : iterable of dict
        The geoparser's output on the gold spans, paired with gold by ``id``.
    policy : Policy
        Which gold spans count (see :func:`corpus_policy`).
    area_of : callable, optional
        GeoNames id -> area (:func:`gazetteer_areas`); adds ``acc@161+area``.

    Returns
    -------
    dict
        ``n`` (gold spans scored); ``n_with_id`` (those with a GeoNames id) and ``exact_id``
        (share of them given the same ``geonameid``, None when no gold span has one);
        ``acc@161`` (share within 161 km); ``mean_km`` and ``median_km`` (error in km); and ``auc``,
        the area under the curve of log error of Gritta et al. (2018), computed as the mean of
        ``ln(error_km + 1) / ln(20039 + 1)``. AUC lies in [0, 1] and **lower is better** (0 = every
        point exact). The error statistics are None when ``n`` is 0. ``ece`` and ``brier``
        (:func:`calibration_error`) compare the scores of the placed guesses with their outcomes.
        With ``area_of``, ``acc@161+area``: the share within 161 km or right by area.
    """
    gold_points, predicted_points, id_hits, scores, by_area = [], [], [], [], []
    for gold_spans, predicted in _paired_docs(gold_docs, predicted_docs, policy):
        by_offsets: dict[tuple[int, int], Span] = {}
        for span in predicted:
            by_offsets.setdefault((span["start"], span["end"]), span)
        for span in _placeable_gold(gold_spans, policy):
            guess = by_offsets.get((span["start"], span["end"]))
            gold_points.append(_point(span))
            predicted_points.append(_point(guess))
            scores.append(guess.get("score") if guess is not None and _has_point(guess) else None)
            if span.get("geonameid") is not None:
                id_hits.append(guess is not None and guess.get("geonameid") == span["geonameid"])
            if area_of is not None:
                by_area.append(_right_by_area(span, guess, area_of))
    errors = _error_km(gold_points, predicted_points)
    summary = _error_summary(errors)
    if area_of is not None:
        right = (errors <= ACCURACY_KM) | np.array(by_area, dtype=bool)
        summary["acc@161+area"] = float(np.mean(right)) if right.size else None
    exact_id = float(np.mean(id_hits)) if id_hits else None
    scored = np.array([score is not None for score in scores], dtype=bool)
    calibration = calibration_error([score for score in scores if score is not None], errors[scored] <= ACCURACY_KM)
    return {"n": len(gold_points), "n_with_id": len(id_hits), "exact_id": exact_id, **summary, **calibration}


# --------------------------------------------------------------------------- end to end


def _found_and_placed(gold: list[Span], predicted: list[Span], area_of: AreaLookup | None = None) -> int:
    """Gold spans matched one-to-one to an overlapping prediction placed within 161 km (or, with
    ``area_of``, right by area)."""
    placed = [span for span in predicted if _has_point(span)]
    if not gold or not placed:
        return 0
    gold_lat, gold_lon = np.array([_point(span) for span in gold]).T
    pred_lat, pred_lon = np.array([_point(span) for span in placed]).T
    distance = haversine_km(gold_lat[:, None], gold_lon[:, None], pred_lat[None, :], pred_lon[None, :])
    shared, covered = _overlap_matrix(gold, placed)
    right = distance <= ACCURACY_KM
    if area_of is not None:
        for row, column in zip(*np.nonzero((shared > 0) & ~right), strict=True):
            right[row, column] = _right_by_area(gold[row], placed[column], area_of)
    return len(_match((shared > 0) & right, shared / np.maximum(covered, 1)))


def score_end_to_end(
    gold_docs: Iterable[Doc], predicted_docs: Iterable[Doc], policy: Policy, *, area_of: AreaLookup | None = None
) -> dict[str, Any]:
    """Share of gold toponyms both found and placed correctly by a geoparser run on raw text.

    A gold span (under ``policy``, with coordinates) counts as correct when it is matched,
    one-to-one, to an overlapping prediction whose point lies within 161 km of the gold point.

    Parameters
    ----------
    gold_docs : iterable of dict
        Gold documents with ``id`` and ``toponyms``.
    predicted_docs : iterable of dict
        The geoparser's output on the raw texts, paired with gold by ``id``.
    policy : Policy
        Which gold spans count (see :func:`corpus_policy`).
    area_of : callable, optional
        GeoNames id -> area (:func:`gazetteer_areas`); adds ``acc@161+area``.

    Returns
    -------
    dict
        ``n`` (gold spans scored) and ``acc@161`` (share correct; 0.0 when ``n`` is 0); with
        ``area_of``, ``acc@161+area`` (a country or admin-1 unit holding the gold point is right).
    """
    n = correct = by_area = 0
    for gold_spans, predicted in _paired_docs(gold_docs, predicted_docs, policy):
        gold = _placeable_gold(gold_spans, policy)
        n += len(gold)
        correct += _found_and_placed(gold, predicted)
        if area_of is not None:
            by_area += _found_and_placed(gold, predicted, area_of)
    result: dict[str, Any] = {"n": n, "acc@161": _ratio(correct, n)}
    if area_of is not None:
        result["acc@161+area"] = _ratio(by_area, n)
    return result


# --------------------------------------------------------------------------- the whole report


def _single_corpus(gold_docs: Sequence[Doc]) -> str:
    """The one corpus name shared by ``gold_docs`` (``"dispatches"`` when there are none)."""
    names = {corpus_name(doc) for doc in gold_docs}
    if len(names) > 1:
        raise ValueError(f"gold documents mix corpora {sorted(names)}; score each corpus separately")
    return names.pop() if names else "dispatches"


def evaluate(
    gold_docs: Iterable[Doc],
    recognised_docs: Iterable[Doc] | None,
    resolved_docs: Iterable[Doc] | None,
    *,
    policy: Policy | None = None,
    area_of: AreaLookup | None = None,
) -> dict[str, Any]:
    """Score a geoparser on one gold corpus.

    Parameters
    ----------
    gold_docs : iterable of dict
        Gold documents of a single corpus.
    recognised_docs : iterable of dict or None
        Output of the geoparser run on the raw texts: scored for recognition and end to end.
        None skips both.
    resolved_docs : iterable of dict or None
        Output of the geoparser given the gold spans: scored for resolution. None skips it.
    policy : Policy, optional
        Overrides the policy chosen from the gold documents' ``corpus`` field.
    area_of : callable, optional
        GeoNames id -> area (:func:`gazetteer_areas`): also score countries and admin-1 units
        by area (``acc@161+area``).

    Returns
    -------
    dict
        ``corpus`` and ``docs`` (number of gold documents), plus ``recognition`` and
        ``end_to_end`` and/or ``resolution`` as returned by the ``score_*`` functions.

    Raises
    ------
    ValueError
        When the gold documents come from several corpora, or predicted ids repeat.
    """
    gold = list(gold_docs)
    name = _single_corpus(gold)
    if policy is None:
        policy = corpus_policy(name)
    report: dict[str, Any] = {"corpus": name, "docs": len(gold)}
    if recognised_docs is not None:
        recognised = list(recognised_docs)
        report["recognition"] = score_recognition(gold, recognised, policy)
        report["end_to_end"] = score_end_to_end(gold, recognised, policy, area_of=area_of)
    if resolved_docs is not None:
        report["resolution"] = score_resolution(gold, resolved_docs, policy, area_of=area_of)
    return report


def _cell(key: str, value: Any) -> str:
    """Render one number: integers as is, km as whole km, other floats to 3 decimals, None as n/a."""
    if value is None:
        return "n/a"
    if key.endswith("_km"):
        return str(round(value))
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(label: str, keys: Sequence[str], rows: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Lines of an aligned table: one row per entry of ``rows``, one column per key."""
    header = [label, *keys]
    body = [[name, *(_cell(key, row.get(key)) for key in keys)] for name, row in rows.items()]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def render(cells: Sequence[str]) -> str:
        first, *rest = cells
        return "  ".join([first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))])

    return [render(header), render(["-" * w for w in widths]), *(render(line) for line in body)]


def format_report(report: Mapping[str, Any], title: str) -> str:
    """Render an :func:`evaluate` report as a plain-text table.

    Parameters
    ----------
    report : dict
        As returned by :func:`evaluate`; missing sections are left out.
    title : str
        First line of the text.

    Returns
    -------
    str
        The title, the corpus line and one aligned table per section (ratios to 3 decimals,
        distances in whole km, ``n/a`` for values not reported), without a trailing newline.
    """
    lines = [title, "=" * len(title), f"corpus: {report.get('corpus', '?')}  documents: {report.get('docs', '?')}"]
    if "recognition" in report:
        keys = ["tp", "fp", "fn", "precision", "recall", "f1"]
        lines += ["", *_table("recognition", keys, report["recognition"])]
    if "resolution" in report:
        keys = ["n", "exact_id", "acc@161", *_area_key(report["resolution"]), "mean_km", "median_km", "auc", "ece"]
        lines += ["", *_table("resolution", keys, {"gold spans": report["resolution"]})]
    if "end_to_end" in report:
        keys = ["n", "acc@161", *_area_key(report["end_to_end"])]
        lines += ["", *_table("end to end", keys, {"raw text": report["end_to_end"]})]
    if "events" in report:
        keys = ["gold", "predicted", "matched", "precision", "recall", "status", "date"]
        lines += ["", *_table("events", keys, {"all": report["events"]})]
    if "events_by_score" in report:
        keys = ["predicted", "matched", "precision", "recall"]
        lines += ["", *_table("events kept", keys, report["events_by_score"])]
    return "\n".join(lines)


def _area_key(section: Mapping[str, Any]) -> list[str]:
    """The area-scored column, where the section was scored by area too."""
    return ["acc@161+area"] if "acc@161+area" in section else []
