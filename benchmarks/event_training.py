"""Training rows for the event model from annotated documents, and the fit (scikit-learn).

Shared by ``train_events.py`` (fits the shipped model on every development group) and
``events_accuracy.py`` (refits it without the group it scores: leave one conflict out).

Rows come from the geoparser's own output on the gold text, so the model learns from the
names it will see at run time: a gold role is carried to the geoparser's name that overlaps
the gold name inside the event's quote. The same place named again elsewhere for the same
event is left out of that role's rows (neither a positive nor a negative: the text restates
the event, and the merge step joins restatements).

Groups (one conflict or genre each): ``dev`` the first dispatches (Ukraine 2022); ``dv-a``
Syria, Gaza, Lebanon, Ukraine 2023-25; ``dv-b`` Sudan, Tigray, DR Congo, Libya, Yemen;
``dv-c`` Nagorno-Karabakh, Georgia, Myanmar, the Balkans, Iraq; ``monitor`` real monitor
captions (Ukraine 2022), for measuring only: the shipped model is never fitted on them.
"""

from __future__ import annotations

import math
import pickle
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from placemap.event_eval import haversine
from placemap.geo.event_model import PLACE_ROLES, SENTENCE_ROLES, EventModel
from placemap.geo.events import EventExtractor
from placemap.types import Document

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
GROUPS = ("dev", "dv-a", "dv-b", "dv-c", "monitor")
MONITOR_KM = 25.0
MIN_WEIGHT = 0.02


def group_of(doc_id: str, corpus: str) -> str:
    if corpus == "monitor":
        return "monitor"
    return "dev" if doc_id.startswith("dev-") else doc_id[:4]


@dataclass
class Row:
    group: str
    features: list[str]
    labels: set[str]
    ignore: set[str]
    sentence: bool  # a sentence row (placeless roles) rather than a name row
    doc_id: str | None = None  # the monitor report a row comes from (for its folds)


def _overlapping(document: Document, start: int, end: int) -> list[int]:
    return [i for i, t in enumerate(document.toponyms) if t.mention.start < end and start < t.mention.end]


def _gold_roles(gold: dict) -> Iterable[tuple[str, int]]:
    for event in gold["events"]:
        category = event["category"]
        if event.get("location") is not None:
            yield f"{category}:location", event["location"]
        for role in ("origin", "destination"):
            if event.get(role) is not None:
                yield f"{category}:{role}", event[role]
        for area in event.get("areas", []):
            yield f"{category}:area", area


def dispatch_rows(extractor: EventExtractor, gold: dict, document: Document, group: str) -> list[Row]:
    """Rows of one annotated dispatch (gold roles carried to the geoparser's names)."""
    positives: dict[int, set[str]] = defaultdict(set)  # system toponym -> roles stated in its sentence
    restated: dict[str, set[str]] = defaultdict(set)  # role -> place names (lower case) of its events
    sentence_labels: list[tuple[int, int, str]] = []
    for event in gold["events"]:
        roles = [(r, i) for r, i in _gold_roles({"events": [event]})]
        if not roles and event["category"] + ":none" in SENTENCE_ROLES:
            sentence_labels.append((event["quote_start"], event["quote_end"], event["category"] + ":none"))
        for role, index in roles:
            if role not in PLACE_ROLES:
                continue
            toponym = gold["toponyms"][index]
            restated[role].add(toponym["text"].lower())
            if not (event["quote_start"] <= toponym["start"] < event["quote_end"]):
                continue  # "the city" in the quote stands for a name further back
            for i in _overlapping(document, toponym["start"], toponym["end"]):
                positives[i].add(role)
    rows = []
    for sentence in extractor.rows(document)[0]:
        start, end = sentence.span
        for index, features in zip(sentence.names, sentence.name_features, strict=True):
            labels = positives.get(index, set())
            text = document.toponyms[index].mention.text.lower()
            ignore = {r for r, texts in restated.items() if text in texts and r not in labels}
            rows.append(Row(group, features, labels, ignore, sentence=False))
        labels = {role for s, e, role in sentence_labels if s < end and start < e}
        rows.append(Row(group, sentence.features, labels, set(), sentence=True))
    return rows


def monitor_rows(extractor: EventExtractor, report: dict, document: Document) -> list[Row]:
    """Rows of one monitor caption: the name nearest the analysts' point (within 25 km) is the site."""
    role = f"{report['category']}:location"
    best, best_km = None, MONITOR_KM
    for i, toponym in enumerate(document.toponyms):
        if toponym.place is not None:
            km = haversine(report["lat"], report["lon"], toponym.place.lat, toponym.place.lon)
            if km <= best_km:
                best, best_km = i, km
    rows = []
    for sentence in extractor.rows(document)[0]:
        for index, features in zip(sentence.names, sentence.name_features, strict=True):
            labels = {role} if index == best else set()
            rows.append(Row("monitor", features, labels, set(), sentence=False, doc_id=report["id"]))
        rows.append(Row("monitor", sentence.features, set(), set(), sentence=True, doc_id=report["id"]))
    return rows


def load_corpora(geoparser: Any, cache: Path | None = None) -> dict[str, list[tuple[dict, Document]]]:
    """Gold documents and the geoparser's documents (no events) for the dispatches and monitor reports."""
    import json

    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    corpora = {}
    for name, file in (
        ("dispatches", "dispatches-dev.jsonl"),
        ("dispatches2", "dispatches-dev2.jsonl"),
        ("monitor", "monitor-reports-dev.jsonl"),
    ):
        gold = [json.loads(line) for line in (EVAL / file).open(encoding="utf-8")]
        documents = list(geoparser.pipe([(d["id"], d["text"], d.get("published")) for d in gold]))
        corpora[name] = list(zip(gold, documents, strict=True))
    if cache is not None:
        cache.write_bytes(pickle.dumps(corpora))
    return corpora


def all_rows(
    extractor: EventExtractor, corpora: dict[str, list[tuple[dict, Document]]], *, monitor: bool = False
) -> list[Row]:
    """Training rows of the dispatches, and of the monitor reports only when ``monitor``: their
    README allows them for measuring only (no licence), so no shipped weight may come from them."""
    rows = []
    for name, pairs in corpora.items():
        for gold, document in pairs:
            if name == "monitor":
                if monitor:
                    rows += monitor_rows(extractor, gold, document)
            else:
                rows += dispatch_rows(extractor, gold, document, group_of(gold["id"], name))
    return rows


def fit_role(rows: list[Row], role: str, c: float, solver: str = "lbfgs") -> tuple[dict[str, float], float] | None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    usable = [r for r in rows if role not in r.ignore]
    y = [role in r.labels for r in usable]
    if sum(y) < 2:
        return None
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(r.features, 1) for r in usable])
    model = LogisticRegression(C=c, solver=solver, max_iter=2000)
    model.fit(x, y)
    names = vectorizer.get_feature_names_out()
    # Weights under MIN_WEIGHT change no decision measurably and would triple the shipped file.
    weights = {str(f): float(w) for f, w in zip(names, model.coef_[0], strict=True) if abs(w) >= MIN_WEIGHT}
    return weights, float(model.intercept_[0])


def fit(rows: list[Row], *, c: float = 0.5, thresholds: dict[str, float] | None = None) -> EventModel:
    """One logistic regression per role; thresholds from ``thresholds`` or inner leave-one-group-out."""
    weights, bias = {}, {}
    for role in (*PLACE_ROLES, *SENTENCE_ROLES):
        subset = [r for r in rows if r.sentence == (role in SENTENCE_ROLES)]
        fitted = fit_role(subset, role, c)
        if fitted is not None:
            weights[role], bias[role] = fitted
    calibration = (1.0, 0.0)
    if thresholds is None:
        thresholds, calibration = choose_thresholds(rows, c=c)
    about = {"rows": len(rows), "groups": sorted({r.group for r in rows}), "C": c}
    return EventModel(weights, bias, {r: thresholds.get(r, 0.5) for r in bias}, about, calibration)


def choose_thresholds(rows: list[Row], *, c: float) -> tuple[dict[str, float], tuple[float, float]]:
    """Per role, the threshold with the best F1 on predictions for groups the fit did not see; and
    the calibration of the chance of a role the parse rules proposed, on the same predictions."""
    groups = sorted({r.group for r in rows})
    scored: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    proposed: list[tuple[float, bool]] = []
    for held in groups:
        model = fit([r for r in rows if r.group != held], c=c, thresholds={})
        for row in rows:
            if row.group != held:
                continue
            roles = [r for r in (SENTENCE_ROLES if row.sentence else PLACE_ROLES) if r in model.bias]
            for role, p in model.probabilities(row.features, roles).items():
                if role not in row.ignore:
                    scored[role].append((p, role in row.labels))
                    if f"rule:{role}" in row.features:
                        proposed.append((p, role in row.labels))
    thresholds = {}
    for role, pairs in scored.items():
        best, best_f1 = 0.5, -1.0
        for threshold in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7):
            tp = sum(1 for p, y in pairs if p >= threshold and y)
            fp = sum(1 for p, y in pairs if p >= threshold and not y)
            fn = sum(1 for p, y in pairs if p < threshold and y)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best_f1:
                best, best_f1 = threshold, f1
        thresholds[role] = best
    return thresholds, _platt(proposed)


def _platt(pairs: list[tuple[float, bool]]) -> tuple[float, float]:
    """(a, b) of sigmoid(a * logit(p) + b), fitted to whether the role was right."""
    from sklearn.linear_model import LogisticRegression

    if len({y for _, y in pairs}) < 2:
        return (1.0, 0.0)
    x = [[math.log(max(p, 1e-6) / max(1 - p, 1e-6))] for p, _ in pairs]
    model = LogisticRegression(C=1e6, max_iter=1000).fit(x, [y for _, y in pairs])
    return (float(model.coef_[0][0]), float(model.intercept_[0]))
