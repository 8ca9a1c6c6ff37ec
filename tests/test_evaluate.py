"""Tests of ``placemap.evaluate``: hand-made gold/predicted documents, plus the shared corpora."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placemap.evaluate import (
    EARTH_RADIUS_KM,
    MAX_ERROR_KM,
    Policy,
    calibration_error,
    corpus_name,
    corpus_policy,
    evaluate,
    format_report,
    haversine_km,
    score_end_to_end,
    score_recognition,
    score_resolution,
)

KYIV = (50.45, 30.52)
LVIV = (49.84, 24.02)
IRPIN = (50.52, 30.25)  # about 20 km from Kyiv
KYIV_LVIV_KM = 468.0

ALL_GOLD = Policy()
GWN = corpus_policy("GeoWebNews")
WIKTOR = corpus_policy("wiktor")


def span(
    start: int,
    end: int,
    point: tuple[float, float] | None = None,
    geonameid: int | None = None,
    type_: str | None = None,
) -> dict[str, Any]:
    """A toponym span; gold and predicted spans share the fields the scorer reads."""
    lat, lon = point if point else (None, None)
    return {
        "start": start,
        "end": end,
        "text": "x" * (end - start),
        "lat": lat,
        "lon": lon,
        "geonameid": geonameid,
        "type": type_,
    }


def doc(doc_id: str, *spans: dict[str, Any], corpus: str | None = None) -> dict[str, Any]:
    """A document with the given toponyms (and a ``corpus`` field when given)."""
    result: dict[str, Any] = {"id": doc_id, "text": "", "toponyms": list(spans)}
    if corpus is not None:
        result["corpus"] = corpus
    return result


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Parse a JSON-lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def as_prediction(gold: dict[str, Any]) -> dict[str, Any]:
    """A gold span dressed as a ``placemap geoparse`` prediction."""
    return {
        "start": gold["start"],
        "end": gold["end"],
        "text": gold["text"],
        "geonameid": gold["geonameid"],
        "name": gold["text"],
        "lat": gold["lat"],
        "lon": gold["lon"],
        "country_code": None,
        "feature_code": None,
        "score": 1.0,
    }


# --------------------------------------------------------------------------- distances


def test_haversine_kyiv_to_lviv() -> None:
    assert float(haversine_km(*KYIV, *LVIV)) == pytest.approx(KYIV_LVIV_KM, abs=2)


def test_haversine_is_vectorised() -> None:
    distances = haversine_km([KYIV[0], LVIV[0]], [KYIV[1], LVIV[1]], KYIV[0], KYIV[1])
    assert distances.shape == (2,)
    assert distances[0] == pytest.approx(0.0, abs=1e-9)
    assert distances[1] == pytest.approx(KYIV_LVIV_KM, abs=2)


def test_haversine_antipodes_is_half_circumference() -> None:
    assert float(haversine_km(0, 0, 0, 180)) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert math.pi * EARTH_RADIUS_KM <= MAX_ERROR_KM


latitudes = st.floats(-90, 90, allow_nan=False)
longitudes = st.floats(-180, 180, allow_nan=False)


@given(latitudes, longitudes, latitudes, longitudes)
def test_haversine_is_symmetric_and_bounded(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    there = float(haversine_km(lat1, lon1, lat2, lon2))
    back = float(haversine_km(lat2, lon2, lat1, lon1))
    assert there == pytest.approx(back, abs=1e-6)
    assert 0.0 <= there <= math.pi * EARTH_RADIUS_KM + 1e-6


# --------------------------------------------------------------------------- policies


def test_geowebnews_policy() -> None:
    assert GWN.gold_types == {
        "Literal",
        "Mixed",
        "Literal_Modifier",
        "Non_Literal_Modifier",
        "Embedded_Literal",
        "Coercion",
        "Metonymic",
    }
    assert GWN.neutral_types == {"Demonym", "Language", "Embedded_Non_Lit", "Non_Toponym"}
    assert GWN.exhaustive
    assert not GWN.is_gold(span(0, 1, type_="Homonym"))
    assert not GWN.is_neutral(span(0, 1, type_="Homonym"))
    assert corpus_policy("geowebnews") == GWN


def test_wiktor_and_other_policies() -> None:
    assert WIKTOR.gold_types is None
    assert not WIKTOR.neutral_types
    assert not WIKTOR.exhaustive
    for name in ("GeoVirus", "GeoCorpora", "WoTR-test", "dispatches"):
        assert corpus_policy(name) == ALL_GOLD
    assert ALL_GOLD.is_gold(span(0, 1, type_="vague"))


def test_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        GWN.exhaustive = False  # type: ignore[misc]


def test_corpus_name_defaults_to_dispatches() -> None:
    assert corpus_name(doc("dev-01")) == "dispatches"
    assert corpus_name(doc("wiktor-0", corpus="wiktor")) == "wiktor"


# --------------------------------------------------------------------------- recognition


def test_exact_versus_overlap_matching() -> None:
    gold = [doc("a", span(0, 4), span(10, 15))]
    predicted = [doc("a", span(0, 6), span(10, 15))]
    scores = score_recognition(gold, predicted, ALL_GOLD)
    assert scores["exact"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert scores["overlap"] == {"tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_one_gold_span_matches_one_prediction() -> None:
    scores = score_recognition([doc("a", span(0, 10))], [doc("a", span(0, 5), span(6, 10))], ALL_GOLD)
    assert (scores["overlap"]["tp"], scores["overlap"]["fp"], scores["overlap"]["fn"]) == (1, 1, 0)


def test_one_prediction_matches_one_gold_span() -> None:
    scores = score_recognition([doc("a", span(0, 4), span(5, 9))], [doc("a", span(0, 9))], ALL_GOLD)
    assert (scores["overlap"]["tp"], scores["overlap"]["fp"], scores["overlap"]["fn"]) == (1, 0, 1)


def test_identical_prediction_is_preferred_over_a_mere_overlap() -> None:
    gold = [doc("a", span(10, 15), span(16, 20))]
    predicted = [doc("a", span(8, 17), span(10, 15))]
    scores = score_recognition(gold, predicted, ALL_GOLD)
    assert scores["overlap"]["tp"] == 2
    assert scores["exact"]["tp"] == 1


def test_neutral_spans_are_neither_hits_nor_errors() -> None:
    gold = [
        doc(
            "gwn",
            span(0, 21, type_="Non_Toponym"),  # "British Embassy Tokyo"
            span(16, 21, type_="Embedded_Literal"),  # "Tokyo"
            span(30, 37, type_="Homonym"),
            span(40, 49, type_="Demonym"),
            span(50, 60, type_="Coercion"),
            span(50, 60, type_="Non_Toponym"),
            span(70, 75, type_="Literal"),
        )
    ]
    predicted = [doc("gwn", span(0, 7), span(16, 21), span(30, 37), span(40, 49), span(50, 60))]
    scores = score_recognition(gold, predicted, GWN)
    # Tokyo and the coercion are found; "British" and the demonym are ignored; the homonym is an
    # error; the literal at 70 is missed, and the Non_Toponym twin of the coercion is not.
    assert scores["exact"] == scores["overlap"]
    assert (scores["exact"]["tp"], scores["exact"]["fp"], scores["exact"]["fn"]) == (2, 1, 1)


def test_geowebnews_header_line_is_not_scored() -> None:
    text = "TITLE: Floods in Kyiv LINK: http://x\nRain fell on Kyiv and Lviv."
    header_kyiv, body_kyiv, lviv = text.index("Kyiv"), text.rindex("Kyiv"), text.index("Lviv")
    gold = doc(
        "gwn", span(body_kyiv, body_kyiv + 4, KYIV, type_="Literal"), span(lviv, lviv + 4, LVIV, type_="Literal")
    )
    gold["text"] = text
    predicted = doc("gwn", span(header_kyiv, header_kyiv + 4, KYIV), span(body_kyiv, body_kyiv + 4, KYIV))
    scores = score_recognition([gold], [predicted], GWN)["exact"]
    # The header's Kyiv is not annotated in GeoWebNews, so it is neither a hit nor an error.
    assert (scores["tp"], scores["fp"], scores["fn"]) == (1, 0, 1)
    everywhere = score_recognition([gold], [predicted], ALL_GOLD)["exact"]
    assert (everywhere["tp"], everywhere["fp"], everywhere["fn"]) == (1, 1, 1)


def test_missed_coercion_is_one_false_negative() -> None:
    gold = [doc("gwn", span(50, 60, type_="Coercion"), span(50, 60, type_="Non_Toponym"))]
    scores = score_recognition(gold, [doc("gwn")], GWN)
    assert (scores["exact"]["tp"], scores["exact"]["fp"], scores["exact"]["fn"]) == (0, 0, 1)


def test_wiktor_extra_predictions_are_not_false_positives() -> None:
    gold = [doc("w", span(0, 8), span(100, 108), corpus="wiktor")]
    predicted = [doc("w", span(0, 8), span(20, 31), span(40, 47))]
    scores = score_recognition(gold, predicted, WIKTOR)
    assert scores["exact"] == {"tp": 1, "fp": None, "fn": 1, "precision": None, "recall": 0.5, "f1": None}


def test_gold_document_without_prediction_counts_as_missed() -> None:
    gold = [doc("a", span(0, 4)), doc("b", span(0, 4), span(5, 9))]
    predicted = [doc("a", span(0, 4)), doc("not-in-gold", span(0, 4))]
    scores = score_recognition(gold, predicted, ALL_GOLD)["exact"]
    assert (scores["tp"], scores["fp"], scores["fn"]) == (1, 0, 2)
    assert scores["recall"] == pytest.approx(1 / 3)


def test_repeated_prediction_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        score_recognition([doc("a")], [doc("a"), doc("a")], ALL_GOLD)


def test_empty_input_scores_zero() -> None:
    scores = score_recognition([doc("a")], [doc("a")], ALL_GOLD)
    assert scores["overlap"] == {"tp": 0, "fp": 0, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}


# --------------------------------------------------------------------------- resolution


def test_resolution_known_distance() -> None:
    gold = [doc("a", span(0, 4, KYIV, 703448), span(10, 14, LVIV, 702550))]
    predicted = [doc("a", span(0, 4, LVIV, 702550), span(10, 14, LVIV, 702550))]
    scores = score_resolution(gold, predicted, ALL_GOLD)
    assert scores["n"] == scores["n_with_id"] == 2
    assert scores["exact_id"] == 0.5
    assert scores["acc@161"] == 0.5
    assert scores["mean_km"] == pytest.approx(KYIV_LVIV_KM / 2, abs=1)
    assert scores["median_km"] == pytest.approx(KYIV_LVIV_KM / 2, abs=1)
    expected_auc = math.log(KYIV_LVIV_KM + 1) / math.log(MAX_ERROR_KM + 1) / 2
    assert scores["auc"] == pytest.approx(expected_auc, abs=1e-3)


def test_missing_or_unplaced_predictions_count_as_maximal_errors() -> None:
    gold = [doc("a", span(0, 4, KYIV, 703448), span(10, 14, KYIV, 703448)), doc("b", span(0, 4, LVIV))]
    predicted = [doc("a", span(0, 4, None, 703448))]  # right id but no point; span 10-14 and doc b missing
    scores = score_resolution(gold, predicted, ALL_GOLD)
    assert scores["n"] == 3
    assert scores["n_with_id"] == 2
    assert scores["exact_id"] == 0.5
    assert scores["acc@161"] == 0.0
    assert scores["mean_km"] == scores["median_km"] == MAX_ERROR_KM
    assert scores["auc"] == pytest.approx(1.0)


def test_resolution_uses_identical_offsets_only() -> None:
    gold = [doc("a", span(0, 4, KYIV))]
    scores = score_resolution(gold, [doc("a", span(0, 5, KYIV))], ALL_GOLD)
    assert scores["acc@161"] == 0.0


def test_resolution_skips_unplaced_and_non_gold_spans() -> None:
    gold = [
        doc("g", span(0, 4, KYIV, type_="Literal"), span(5, 9, type_="Literal"), span(10, 14, LVIV, type_="Demonym"))
    ]
    predicted = [doc("g", span(0, 4, IRPIN))]
    scores = score_resolution(gold, predicted, GWN)
    assert scores["n"] == 1
    assert scores["n_with_id"] == 0
    assert scores["exact_id"] is None
    assert scores["acc@161"] == 1.0
    assert 10 < scores["mean_km"] < 30


def test_resolution_of_nothing() -> None:
    scores = score_resolution([doc("a")], [], ALL_GOLD)
    assert scores == {
        "n": 0,
        "n_with_id": 0,
        "exact_id": None,
        "acc@161": None,
        "mean_km": None,
        "median_km": None,
        "auc": None,
        "ece": None,
        "brier": None,
    }


def test_calibration_compares_scores_with_outcomes() -> None:
    perfect = calibration_error([1.0, 1.0, 0.0], [True, True, False])
    assert perfect == {"ece": 0.0, "brier": 0.0}
    # Four guesses at 0.8, half of them right: 0.3 too sure.
    overconfident = calibration_error([0.8] * 4, [True, False, True, False])
    assert overconfident["ece"] == pytest.approx(0.3)
    assert overconfident["brier"] == pytest.approx(0.34)


def test_resolution_calibration_counts_only_placed_guesses() -> None:
    gold = [doc("a", span(0, 4, KYIV), span(10, 14, KYIV))]
    guess = {**span(0, 4, KYIV), "score": 0.9}
    unplaced = {"start": 10, "end": 14, "lat": None, "lon": None, "score": 0.0}
    scores = score_resolution(gold, [doc("a", guess, unplaced)], ALL_GOLD)
    assert scores["acc@161"] == 0.5
    assert scores["ece"] == pytest.approx(0.1)  # one placed guess, right, at 0.9


def test_perfect_resolution_has_zero_auc() -> None:
    gold = [doc("a", span(0, 4, KYIV, 703448))]
    scores = score_resolution(gold, [doc("a", span(0, 4, KYIV, 703448))], ALL_GOLD)
    assert scores["auc"] == 0.0
    assert scores["exact_id"] == scores["acc@161"] == 1.0


points = st.tuples(latitudes, longitudes)


@given(st.lists(st.tuples(points, st.none() | points), min_size=1, max_size=20))
def test_auc_lies_between_zero_and_one(pairs: list[tuple[tuple[float, float], tuple[float, float] | None]]) -> None:
    gold = [doc("a", *(span(2 * i, 2 * i + 1, truth) for i, (truth, _) in enumerate(pairs)))]
    predicted = [doc("a", *(span(2 * i, 2 * i + 1, guess) for i, (_, guess) in enumerate(pairs)))]
    scores = score_resolution(gold, predicted, ALL_GOLD)
    assert 0.0 <= scores["auc"] <= 1.0
    assert 0.0 <= scores["median_km"] <= MAX_ERROR_KM
    assert 0.0 <= scores["acc@161"] <= 1.0


# --------------------------------------------------------------------------- end to end


def test_end_to_end_needs_overlap_and_a_close_point() -> None:
    gold = [doc("a", span(0, 4, KYIV), span(10, 14, KYIV), span(20, 24, KYIV), span(30, 34, KYIV), span(40, 44))]
    predicted = [
        doc(
            "a",
            span(0, 6, IRPIN),  # overlaps, 20 km away: correct
            span(10, 14, LVIV),  # exact span, wrong place
            span(20, 24),  # found, not placed
            span(35, 39, KYIV),  # right place, wrong span
        )
    ]
    scores = score_end_to_end(gold, predicted, ALL_GOLD)
    assert scores == {"n": 4, "acc@161": 0.25}


def test_end_to_end_is_one_to_one_and_prefers_a_correct_pairing() -> None:
    gold = [doc("a", span(0, 4, KYIV), span(5, 9, LVIV))]
    one = score_end_to_end(gold, [doc("a", span(0, 9, KYIV))], ALL_GOLD)
    assert one["acc@161"] == 0.5
    # The wrongly placed identical span must not hide the correct overlapping one.
    two = score_end_to_end(gold, [doc("a", span(0, 4, LVIV), span(0, 3, KYIV), span(5, 9, LVIV))], ALL_GOLD)
    assert two["acc@161"] == 1.0


def test_end_to_end_on_nothing() -> None:
    assert score_end_to_end([doc("a", span(0, 4))], [doc("a", span(0, 4, KYIV))], ALL_GOLD) == {"n": 0, "acc@161": 0.0}


# --------------------------------------------------------------------------- evaluate and report


def test_evaluate_combines_the_parts() -> None:
    gold = [doc("w", span(0, 4, KYIV), corpus="wiktor")]
    recognised = [doc("w", span(0, 4, KYIV), span(10, 14, LVIV))]
    report = evaluate(gold, recognised, [doc("w", span(0, 4, LVIV))])
    assert report["corpus"] == "wiktor"
    assert report["docs"] == 1
    assert report["recognition"]["overlap"]["precision"] is None
    assert report["end_to_end"] == {"n": 1, "acc@161": 1.0}
    assert report["resolution"]["acc@161"] == 0.0


def test_evaluate_skips_missing_parts_and_accepts_a_policy() -> None:
    gold = [doc("a", span(0, 4, KYIV))]
    assert set(evaluate(gold, None, None)) == {"corpus", "docs"}
    assert set(evaluate(gold, [doc("a")], None)) == {"corpus", "docs", "recognition", "end_to_end"}
    assert set(evaluate(gold, None, [doc("a")])) == {"corpus", "docs", "resolution"}
    report = evaluate(gold, [doc("a", span(9, 12))], None, policy=WIKTOR)
    assert report["corpus"] == "dispatches"
    assert report["recognition"]["exact"]["fp"] is None


def test_evaluate_refuses_mixed_corpora() -> None:
    with pytest.raises(ValueError, match="mix corpora"):
        evaluate([doc("a", corpus="GeoVirus"), doc("b", corpus="wiktor")], None, None)


def test_format_report_renders_aligned_tables() -> None:
    gold = [doc("w", span(0, 4, KYIV), span(10, 14, KYIV), corpus="wiktor")]
    recognised = [doc("w", span(0, 4, KYIV))]
    report = evaluate(gold, recognised, [doc("w", span(0, 4, LVIV), span(10, 14, KYIV))])
    text = format_report(report, "placemap on WikToR")
    lines = text.splitlines()
    assert lines[0] == "placemap on WikToR"
    assert lines[2] == "corpus: wiktor  documents: 1"
    assert "0.500" in text  # recall, accuracy
    assert "n/a" in text  # precision of a non-exhaustive corpus
    resolution_row = next(line for line in lines if line.startswith("gold spans"))
    assert resolution_row.split()[2:] == ["2", "n/a", "0.500", "234", "234", "0.310", "n/a"]  # no scores: no ECE
    for block in text.split("\n\n")[1:]:
        assert len({len(line) for line in block.splitlines()}) == 1


def test_format_report_of_a_partial_report() -> None:
    text = format_report({"corpus": "dispatches", "docs": 0}, "empty")
    assert "recognition" not in text
    assert "resolution" not in text


# --------------------------------------------------------------------------- the shared gold corpora


def test_gold_spans_score_perfectly_on_geowebnews(shared_file) -> None:
    gold = read_jsonl(shared_file("data", "eval", "geowebnews.jsonl"))
    policy = corpus_policy("GeoWebNews")
    # A perfect system outputs every place mention except homonyms (gold and neutral spans alike).
    recognised = [
        {"id": d["id"], "toponyms": [as_prediction(t) for t in d["toponyms"] if t["type"] != "Homonym"]} for d in gold
    ]
    resolved = [
        {"id": d["id"], "toponyms": [as_prediction(t) for t in d["toponyms"] if policy.is_gold(t)]} for d in gold
    ]
    report = evaluate(gold, recognised, resolved)
    assert report["corpus"] == "GeoWebNews"
    for mode in ("exact", "overlap"):
        assert report["recognition"][mode]["precision"] == 1.0
        assert report["recognition"][mode]["recall"] == 1.0
    # The two spans in the unannotated header line ("TITLE: ... LINK:") are not scored.
    placed = sum(
        policy.is_gold(t) and t["lat"] is not None and t["start"] > d["text"].find("\n")
        for d in gold
        for t in d["toponyms"]
    )
    assert report["resolution"]["n"] == report["end_to_end"]["n"] == placed > 2000
    assert report["resolution"]["acc@161"] == report["end_to_end"]["acc@161"] == 1.0
    assert report["resolution"]["exact_id"] == 1.0
    assert report["resolution"]["auc"] == 0.0


@pytest.mark.parametrize("name", ["geovirus", "geocorpora", "wotr-test", "wiktor", "dispatches-dev"])
def test_gold_spans_score_perfectly_on_other_corpora(shared_file, name: str) -> None:
    gold = read_jsonl(shared_file("data", "eval", f"{name}.jsonl"))
    predicted = [{"id": d["id"], "toponyms": [as_prediction(t) for t in d["toponyms"]]} for d in gold]
    report = evaluate(gold, predicted, predicted)
    assert report["recognition"]["exact"]["recall"] == 1.0
    assert report["recognition"]["exact"]["precision"] in (1.0, None)
    assert report["end_to_end"]["acc@161"] == report["resolution"]["acc@161"] == 1.0
    assert np.isclose(report["resolution"]["auc"], 0.0)


# --------------------------------------------------------------------------- countries scored by area

UKRAINE = 690791
#: A box roughly around Ukraine, standing in for its polygon.
UKRAINE_BOX = (22.0, 44.0, 40.5, 52.5)
UKRAINE_POINT = (49.0, 32.0)  # GeoNames' point for Ukraine


def box_areas(geonameid: int) -> Any:
    import shapely

    return shapely.box(*UKRAINE_BOX) if geonameid == UKRAINE else None


def country(start: int, end: int, point: tuple[float, float], geonameid: int, code: str = "PCLI") -> dict[str, Any]:
    return {**span(start, end, point, geonameid), "feature_code": code}


def test_a_country_holding_the_gold_point_is_right_by_area() -> None:
    # Gold puts "Ukraine" at Lviv, 550 km from the country's point; a city there is not Ukraine.
    gold = [doc("a", span(0, 7, LVIV), span(10, 17, LVIV), span(20, 27, LVIV, UKRAINE))]
    predicted = [
        doc(
            "a",
            country(0, 7, UKRAINE_POINT, UKRAINE),
            {**span(10, 17, KYIV, 703448), "feature_code": "PPLC"},
            country(20, 27, (0.0, 0.0), UKRAINE),  # the right id, wherever it is put
        )
    ]
    plain = score_resolution(gold, predicted, ALL_GOLD)
    scores = score_resolution(gold, predicted, ALL_GOLD, area_of=box_areas)
    assert plain["acc@161"] == scores["acc@161"] == 0.0
    assert "acc@161+area" not in plain
    assert scores["acc@161+area"] == pytest.approx(2 / 3)
    ends = score_end_to_end(gold, predicted, ALL_GOLD, area_of=box_areas)
    assert ends == {"n": 3, "acc@161": 0.0, "acc@161+area": pytest.approx(2 / 3)}


def test_a_country_not_holding_the_gold_point_stays_wrong() -> None:
    gold = [doc("a", span(0, 7, (52.2, 21.0)))]  # Warsaw
    predicted = [doc("a", country(0, 7, UKRAINE_POINT, UKRAINE))]
    assert score_resolution(gold, predicted, ALL_GOLD, area_of=box_areas)["acc@161+area"] == 0.0


def test_the_report_shows_both_figures() -> None:
    gold = [doc("a", span(0, 7, LVIV))]
    predicted = [doc("a", country(0, 7, UKRAINE_POINT, UKRAINE))]
    report = evaluate(gold, predicted, predicted, area_of=box_areas)
    text = format_report(report, title="t")
    assert "acc@161+area" in text
    assert report["resolution"]["acc@161+area"] == report["end_to_end"]["acc@161+area"] == 1.0


@pytest.mark.slow
def test_areas_from_the_embedded_gazetteer(embedded_gazetteer) -> None:
    from placemap.evaluate import gazetteer_areas

    area_of = gazetteer_areas(embedded_gazetteer)
    gold = [doc("a", span(0, 7, LVIV))]
    predicted = [doc("a", country(0, 7, UKRAINE_POINT, UKRAINE))]
    assert score_resolution(gold, predicted, ALL_GOLD, area_of=area_of)["acc@161+area"] == 1.0
    assert area_of(703448) is None  # Kyiv, a city, has no area
