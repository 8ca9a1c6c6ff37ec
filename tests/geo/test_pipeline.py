import pickle

import pytest

from placemap.exc import ConfigurationError
from placemap.geo.pipeline import Geoparser, GeoparserSettings, build_geoparser
from placemap.geo.recognize import GazetteerRecognizer, RuleSwitches, SpacyRecognizer
from placemap.geo.resolve import ContextResolver, PopulationResolver


def test_given_spans_take_the_recognisers_label(nlp, tiny_gazetteer):
    geoparser = Geoparser(tiny_gazetteer, recognizer=SpacyRecognizer(nlp, tiny_gazetteer))
    text = "Voting began in the Donetsk and Kherson regions, officials in Kyiv said."
    start = text.index("Kherson")
    document = geoparser(text, spans=[(start, start + len("Kherson"))])
    assert [t.mention.text for t in document.toponyms] == ["Kherson"]
    assert document.toponyms[0].place.feature_code == "ADM1"


def test_settings_are_a_picklable_value_checked_on_construction(tmp_path):
    settings = GeoparserSettings(tmp_path / "store.sqlite", adjectives=True, min_score=0.4, rules=RuleSwitches.none())
    assert settings.gazetteer == str(tmp_path / "store.sqlite")
    assert pickle.loads(pickle.dumps(settings)) == settings
    for wrong in ({"resolver": "psychic"}, {"recognizer": "regex"}, {"min_score": 1.5}):
        with pytest.raises(ConfigurationError):
            GeoparserSettings(**wrong)


def test_build_geoparser_builds_what_the_settings_say(tiny_gazetteer):
    plain = build_geoparser(GeoparserSettings(recognizer="gazetteer", events=False), gazetteer=tiny_gazetteer)
    assert isinstance(plain.recognizer, GazetteerRecognizer) and isinstance(plain.resolver, ContextResolver)
    assert plain.event_extractor is None and plain.resolver.weights.min_score == 0.0
    settings = GeoparserSettings(recognizer="gazetteer", resolver="population", events=False)
    assert isinstance(build_geoparser(settings, gazetteer=tiny_gazetteer).resolver, PopulationResolver)
    strict = build_geoparser(GeoparserSettings(recognizer="gazetteer", min_score=0.9), gazetteer=tiny_gazetteer)
    assert strict.resolver.weights.min_score == 0.9
    assert strict("Talks in Brest.").toponyms[0].mention.text == "Brest"
