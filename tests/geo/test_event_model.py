"""The learned event model: its features, its weights file, and the scores it gives events."""

import json

import pytest

from placemap.geo.event_features import PlaceInSentence, place_features, stem
from placemap.geo.event_model import PLACE_ROLES, SENTENCE_ROLES, EventModel
from placemap.types import Place

KHARKIV = Place(706483, "Kharkiv", 49.98, 36.25, "P", "PPLA", "UA", population=1_400_000)


def test_stems_join_inflections_and_numbers():
    assert {stem(w) for w in ("shelled", "shelling", "Shells")} == {"shell"}
    assert stem("crossed") == stem("crossing") == "cross"
    assert stem("1,900") == stem("12") == "<num>"


def test_features_see_the_words_around_a_name_not_the_name_itself():
    text = "Russian troops shelled the outskirts of Kharkiv, Moscow said."
    kharkiv, moscow = PlaceInSentence(40, 47, KHARKIV), PlaceInSentence(49, 55, None)
    first, second = place_features(text, [kharkiv, moscow], {"shelled": "shelling"})
    assert {"b1:of", "kind:city", "tn:shelling", "t:shelling", "s:troop"} <= set(first)
    assert "a1:said" in second and "b1:," in second
    assert not any(f.endswith(("kharkiv", "moscow")) for f in first + second)


def test_the_shipped_model_loads_and_scores_every_role():
    model = EventModel.load()
    assert set(model.roles) == set(PLACE_ROLES) | set(SENTENCE_ROLES)
    chances = model.probabilities(["t:shelling", "tn:shelling", "b1:in", "kind:city", "rule:shelling:location"])
    assert all(0.0 < p < 1.0 for p in chances.values())
    # A name the parse rules call the place hit, beside a strike word, is far likelier a shelling site
    # than the same name with nothing of the kind around it.
    assert chances["shelling:location"] > 20 * model.probabilities(["kind:city"])["shelling:location"]


def test_the_model_file_round_trips(tmp_path):
    model = EventModel({"talks:location": {"b1:in": 1.23456}}, {"talks:location": -2.0}, {"talks:location": 0.3})
    path = tmp_path / "model.json"
    path.write_text(model.to_json(), encoding="utf-8")
    again = EventModel.load(path)
    assert again.weights == {"talks:location": {"b1:in": 1.2346}} and again.thresholds == {"talks:location": 0.3}
    assert json.loads(path.read_text())["bias"] == {"talks:location": -2.0}


@pytest.mark.slow
def test_events_carry_a_score_in_unit_interval(embedded_gazetteer, parser_nlp):
    from placemap.geo.events import EventExtractor
    from placemap.geo.pipeline import Geoparser

    geoparser = Geoparser(embedded_gazetteer, event_extractor=EventExtractor(parser_nlp, embedded_gazetteer))
    document = geoparser("Russian artillery shelled Kharkiv overnight, officials said.", published="2022-03-01")
    [event] = document.events
    assert event.category == "shelling" and event.score is not None and 0.5 < event.score <= 1.0


@pytest.mark.slow
def test_the_learned_linker_takes_each_event_words_own_place(embedded_gazetteer, parser_nlp):
    from placemap.geo.events import EventExtractor
    from placemap.geo.pipeline import Geoparser

    extractor = EventExtractor(parser_nlp, embedded_gazetteer)
    assert extractor.linker is not None
    text = "Rebels shelled Aleppo on Monday, and peace talks opened in Geneva on Tuesday."
    document = Geoparser(embedded_gazetteer)(text)

    def linked(word):
        start = text.index(word)
        return [document.toponyms[i].mention.text for i in extractor.locate(document, start, start + len(word))]

    assert (linked("shelled"), linked("talks")) == (["Aleppo"], ["Geneva"])


@pytest.mark.slow
def test_captions_get_the_models_own_events(embedded_gazetteer, parser_nlp):
    from placemap.geo.events import EventExtractor
    from placemap.geo.pipeline import Geoparser

    caption = "Burning depot seen in Irpin"
    geoparser = Geoparser(embedded_gazetteer)
    document = geoparser(caption, published="2022-03-01")
    # A model sure of a troop sighting wherever a name follows "in" (the shipped model is fitted
    # on stories only; what it reaches on real captions is in docs/events.md).
    model = EventModel({"military:location": {"b1:in": 8.0}}, {"military:location": -4.0}, {"military:location": 0.5})
    extractor = EventExtractor(parser_nlp, embedded_gazetteer, model=model)
    [event] = extractor(document)
    assert (event.category, document.toponyms[event.location].mention.text) == ("military", "Irpin")
    # The rules alone find nothing in a verbless caption: the event is the model's.
    assert EventExtractor(parser_nlp, embedded_gazetteer, model=model, caption_threshold=1.01)(document) == []
    # A story is read by the rules alone: the same words inside a long text give no event.
    story = caption + ". " + "Officials met to discuss the harvest and the weather of the spring season. " * 5
    assert extractor(geoparser(story, published="2022-03-01")) == []


@pytest.mark.slow
def test_troops_seen_at_a_place_in_a_caption_are_a_military_event(embedded_gazetteer, parser_nlp):
    """Events guide: troops or vehicles seen at a place. In a caption the rules read it; in a story
    troops are actors or background ("Russian forces shelled ..."), so there the words are no trigger."""
    from placemap.geo.events import EventExtractor
    from placemap.geo.pipeline import Geoparser

    geoparser = Geoparser(embedded_gazetteer)
    rules = EventExtractor(parser_nlp, embedded_gazetteer, caption_threshold=1.01)
    caption = geoparser("Russian troops in Bucha", published="2022-03-01")
    [event] = rules(caption)
    assert (event.category, caption.toponyms[event.location].mention.text) == ("military", "Bucha")
    story = geoparser("Russian troops in Bucha. " + "Officials met to discuss the harvest of the spring. " * 6)
    assert rules(story) == []


@pytest.mark.slow
def test_the_linker_places_an_event_at_a_name_the_geoparser_did_not_find(embedded_gazetteer, parser_nlp):
    """Halterman's spans need not be in a gazetteer: a run of capitalised words is a candidate too,
    and a name is given without the designator after it, as his annotators mark it."""
    from placemap.geo.event_linker import linked_spans, locate_spans
    from placemap.geo.events import EventExtractor
    from placemap.geo.pipeline import Geoparser

    extractor = EventExtractor(parser_nlp, embedded_gazetteer)
    text = "Government troops captured the Zarqawi Plateau on Sunday. Rebels shelled Kandahar province on Monday."
    document = Geoparser(embedded_gazetteer)(text)

    def located(word):
        start = text.index(word)
        return [text[s:e] for s, e in locate_spans(extractor, document, start, start + len(word))]

    assert located("captured") == ["Zarqawi Plateau"]
    assert located("shelled") == ["Kandahar"]
    # With no name found in the sentence, the capitalised run is the candidate (no toponym index).
    doc = parser_nlp("Government troops captured the Zarqawi Plateau on Sunday.")
    found = linked_spans(extractor.linker, doc[2], [], set())
    assert [(index, span.text) for index, span, _ in found] == [(None, "Zarqawi Plateau")]
