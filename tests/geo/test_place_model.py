"""The learned recognizer: its weights file, its candidates and how it chooses among them."""

import pytest

from placemap.geo.place_candidates import Candidate, choose
from placemap.geo.place_model import PlaceModel
from placemap.geo.recognize import SpacyRecognizer


def test_the_shipped_model_loads_and_round_trips():
    model = PlaceModel.load()
    assert model.weights and 0 < model.threshold < 1
    assert set(model.about["corpora"]) >= {"dispatches-dev", "wotr-test"}
    again = PlaceModel(model.weights, model.bias, model.threshold, model.about)
    assert again.to_json() == PlaceModel.load().to_json()


def test_probability_is_a_logistic_of_the_weighted_features():
    model = PlaceModel({"a": 2.0, "b": -1.0}, bias=-1.0)
    assert model.probability({}) == pytest.approx(0.2689, abs=1e-4)
    assert model.probability({"a": 1.0, "b": 1.0, "unknown": 5.0}) == pytest.approx(0.5)


def test_choose_keeps_the_surest_of_overlapping_candidates():
    found = [Candidate(0, 2, "GPE", {}), Candidate(1, 2, "GPE", {}), Candidate(4, 5, "LOC", {})]
    found.append(Candidate(6, 7, "", {}))
    assert choose(found, [0.7, 0.9, 0.6, 0.2], 0.5) == [(1, 2, "GPE"), (4, 5, "LOC")]


def test_the_learned_recognizer_finds_places_and_leaves_people(nlp, embedded_gazetteer):
    recognizer = SpacyRecognizer(nlp, embedded_gazetteer, model=PlaceModel.load())
    text = "Shelling hit Kharkiv overnight, and talks resumed in Istanbul, Vladimir Putin said."
    names = [m.text for m in recognizer(text)]
    assert "Kharkiv" in names and "Istanbul" in names
    assert not any("Putin" in name for name in names)
    for mention in recognizer(text):
        assert text[mention.start : mention.end] == mention.text


def test_settings_choose_the_learned_recognizer(nlp, tiny_gazetteer):
    from placemap.geo.pipeline import GeoparserSettings, build_geoparser

    learned = build_geoparser(GeoparserSettings(recognizer="learned", events=False), gazetteer=tiny_gazetteer, nlp=nlp)
    rules = build_geoparser(GeoparserSettings(events=False), gazetteer=tiny_gazetteer, nlp=nlp)
    assert isinstance(learned.recognizer.model, PlaceModel) and rules.recognizer.model is None
