from dataclasses import replace

import pytest

from placemap.geo.recognize import GazetteerRecognizer, RuleSwitches, SpacyRecognizer


@pytest.fixture()
def recognizer(nlp, tiny_gazetteer):
    return SpacyRecognizer(nlp, tiny_gazetteer)


@pytest.fixture()
def news_recognizer(nlp, embedded_gazetteer):
    return SpacyRecognizer(nlp, embedded_gazetteer)


def texts(mentions):
    return [m.text for m in mentions]


def test_mentions_carry_offsets_into_the_text(recognizer):
    text = "Shelling hit Kyiv and Kharkiv overnight, officials in Kyiv said."
    for mention in recognizer(text):
        assert text[mention.start : mention.end] == mention.text


def test_a_city_the_model_calls_a_person_is_promoted_in_a_place_context(recognizer, nlp):
    text = "Talks resumed in Odesa on Monday."
    assert "Odesa" in texts(recognizer(text))


def test_designator_extends_the_span(recognizer):
    text = "Civilians were told to leave the Donetsk region before the offensive."
    assert "Donetsk region" in texts(recognizer(text))


def test_comma_qualified_names_are_two_mentions(recognizer):
    mentions = texts(recognizer("Delegations met in Brest, Belarus, on Thursday."))
    assert "Brest" in mentions and "Belarus" in mentions
    assert "Brest, Belarus" not in mentions


def test_capitalised_dateline_is_found(recognizer):
    assert texts(recognizer("KYIV, March 3 (Wire) - Sirens sounded again."))[0] == "KYIV"


def test_demonyms_are_not_places(recognizer):
    assert texts(recognizer("Ukrainian and Russian negotiators met again.")) == []


def test_person_names_are_not_places(recognizer):
    assert "Paris" not in texts(recognizer("Paris Hilton said on Monday she was delighted."))


def test_rules_can_be_switched_off(nlp, tiny_gazetteer):
    plain = SpacyRecognizer(nlp, tiny_gazetteer, rules=RuleSwitches.none())
    assert "Donetsk region" not in texts(plain("Civilians left the Donetsk region."))


def test_empty_and_whitespace_text(recognizer):
    assert recognizer("") == []
    assert recognizer(" \n\t ") == []


def test_gazetteer_recognizer_works_without_spacy(tiny_gazetteer):
    found = GazetteerRecognizer(tiny_gazetteer)("Talks between Kyiv and Moscow stalled; Odessa was quiet.")
    assert [m.text for m in found] == ["Kyiv", "Odessa"]


def test_one_sense_per_story_promotes_later_mentions(recognizer):
    text = "Troops tried to enter the southern port of Kherson on Saturday. By evening Kherson was encircled."
    assert texts(recognizer(text)) == ["Kherson", "Kherson"]


def test_capitalised_function_words_in_a_headline_are_not_places(recognizer):
    found = texts(recognizer("But More Shelling Is Expected In Kharkiv And Odesa, Officials Say"))
    assert not {"But", "More", "In", "And"} & set(found)


def test_a_gpe_the_gazetteer_does_not_know_needs_a_place_context(recognizer):
    assert texts(recognizer("Zorblax officials said the rains came late.")) == []
    assert texts(recognizer("Farmers in Zorblax said the rains came late.")) == ["Zorblax"]


def test_diseases_and_strains_are_not_places(recognizer):
    assert texts(recognizer("Cases of Dnipro fever and of H5N1 rose in Kyiv.")) == ["Kyiv"]


def test_a_dateline_may_open_a_later_line(recognizer):
    text = "TITLE: Talks resume LINK: https://example.org/talks\nKYIV, March 3 (Wire) - Sirens sounded again."
    assert "KYIV" in texts(recognizer(text))


def test_a_dateline_may_follow_a_headline_and_share_two_places(recognizer):
    text = "Headline: Mayor opens grain hub. KHERSON – Trucks queued at dawn."
    assert "KHERSON" in texts(recognizer(text))
    text = "Talks resume\nODESA & KHERSON, March 3 (Wire) - Ports reopened."
    assert {"ODESA", "KHERSON"} <= set(texts(recognizer(text)))


def test_an_abbreviated_name_in_capitals_is_no_dateline(nlp, tiny_gazetteer):
    datelines_only = SpacyRecognizer(nlp, tiny_gazetteer, rules=replace(RuleSwitches.none(), datelines=True))
    assert "KHERSON" in texts(datelines_only("Done at dawn. KHERSON, March 3 - Sirens."))
    assert "KHERSON" not in texts(datelines_only("Your obedient servant,\n\nSAM. KHERSON,\n\nMajor-General."))


def test_a_place_before_a_title_is_the_place_not_a_name(news_recognizer):
    assert "Kyiv" in texts(news_recognizer("Kyiv Mayor Vitali Klitschko said the metro would stay open."))
    assert "Manila" in texts(news_recognizer("Manila Archbishop Luis Antonio Cardinal Tagle led the vigil."))


def test_a_locating_adjective_keeps_the_place_context(news_recognizer):
    # The model calls these a PERSON and a PRODUCT; "in western" still says place.
    assert texts(news_recognizer("Fighting raged in western Avdiivka.")) == ["Avdiivka"]
    assert texts(news_recognizer("Shells fell in southern Hulyaipole.")) == ["Hulyaipole"]
    assert texts(news_recognizer("Volunteers drove to nearby Bucha with food.")) == ["Bucha"]


def test_an_attack_on_a_name_is_a_place_context(news_recognizer):
    assert "Avdiivka" in texts(news_recognizer("Russian troops pressed the assault on Avdiivka for a third day."))
    assert "Qamishli" in texts(news_recognizer("A spokesman says Turkey fired on Qamishli and other border towns."))


def test_the_centre_is_a_government_not_a_region(news_recognizer):
    assert texts(news_recognizer("Tamil Nadu said the Centre had failed to frame a scheme.")) == ["Tamil Nadu"]


def test_a_capitalised_common_noun_alone_is_no_place(news_recognizer):
    for text in [
        "The Church has not issued a statement.",
        "The Union sent two regiments south.",
        "Border guards said the Police would help.",
        "HEADQUARTERS, In the Field. Report to the Secretary of War and to Major Reno.",
        "Man arrested after the MoD named a soldier; the sphere of AI grew.",
        "Santa came early: the Tornado hit the Metro line, Earth shook.",
    ]:
        assert texts(news_recognizer(text)) == [], text


def test_adjectives_are_returned_only_on_request(nlp, embedded_gazetteer):
    text = "Slovak and Belarusian officials met in Brest."
    assert {"Slovak", "Belarusian"} <= set(texts(SpacyRecognizer(nlp, embedded_gazetteer, adjectives=True)(text)))
    assert texts(SpacyRecognizer(nlp, embedded_gazetteer)(text)) == ["Brest"]


def test_the_default_tokenizer_load_model_keeps_is_the_models_own(nlp):
    import spacy

    from placemap.geo.recognize import MODEL_NAME

    saved = spacy.load(MODEL_NAME, exclude=["tok2vec", "parser", "lemmatizer", "tagger", "attribute_ruler", "ner"])
    text = "U.S.-brokered talks in Kyiv's centre didn't start (at 9:30 a.m.) — Mr. Smith's e-mail: a@b.org, #Odesa."
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in saved.make_doc(text)]


def test_an_organisation_named_for_a_building_is_a_facility(recognizer):
    text = "Hundreds gathered at Holy Redeemer Church after the shelling."
    assert [(m.text, m.label) for m in recognizer(text)] == [("Holy Redeemer Church", "FAC")]


def test_the_kind_of_place_vouches_for_a_name_the_gazetteer_lacks(news_recognizer):
    # None of these is in the embedded gazetteer; the text says what they are.
    assert "Cellardyke" in texts(news_recognizer("Dead swans were found in the village of Cellardyke in Fife."))
    assert "Rügen" in texts(news_recognizer("The virus reached the German island Rügen last week."))
    assert "Dogu Beyazit" in texts(news_recognizer("The boy was from Dogu Beyazit, a farming town in Turkey."))
    assert "Caraorman" in texts(news_recognizer("Buses left the villages of Caraorman at dawn."))


def test_an_entity_the_model_ran_together_is_cut_into_its_names():
    import spacy

    from placemap.geo.recognize import _name_parts

    doc = spacy.blank("en")("Tayum and Surigao del Sur Herzog one half mile Al-Hol")
    parts = [doc[start:end].text for start, end, _ in _name_parts(doc, 0, len(doc))]
    assert parts == ["Tayum", "Surigao del Sur Herzog", "Al-Hol"]


def test_a_kind_of_place_that_is_not_the_head_vouches_for_nothing(news_recognizer):
    assert "Tim Whitley" not in texts(news_recognizer("Tim Whitley, a city official, said the plant would close."))
    text = "He spoke for the Global Towns Forum, a grouping of 32 cities, and Dan Ortiz of the city of Lyon, Mia Kent."
    assert "Global Towns Forum" not in texts(news_recognizer(text))
    assert "Mia Kent" not in texts(news_recognizer(text))


def test_a_persons_name_after_of_is_a_place_only_if_a_town_bears_it(news_recognizer):
    # The model calls Jack and Lu people; hamlets of those names do not make "of" a place context.
    assert texts(news_recognizer("She fell ill after the birth of Jack, her first son.")) == []
    assert texts(news_recognizer("Relatives know him only by the last name of Lu.")) == []
    assert "Ringgold" in texts(news_recognizer("My hometown of Ringgold, GA, was hit."))  # the kind of place says so


def test_cities_the_model_ran_into_one_organisation_are_each_a_place(news_recognizer):
    text = "Mykolaiv sits on the main road linking Kherson with Odesa, the country's largest port."
    assert {"Kherson", "Odesa"} <= set(texts(news_recognizer(text)))


@pytest.mark.parametrize(
    ("text", "names"),
    [("Shelling hit Mariupol💔 and Kharkiv.", ["Mariupol", "Kharkiv"]), ("We love Lviv❤️", ["Lviv"])],
)
def test_an_emoji_next_to_a_name_does_not_lose_it(news_recognizer, text, names):
    mentions = news_recognizer(text)
    assert texts(mentions) == names
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_the_city_that_opens_an_institutions_name_is_a_place(news_recognizer):
    # Captions name the building hit by the city it stands in; the institution itself is no place.
    assert texts(news_recognizer("Odesa Polytechnic Institute was hit by a drone")) == ["Odesa"]
    assert texts(news_recognizer("Windows broke at the Dnipro Regional State Administration.")) == ["Dnipro"]
    # A city's name before a person's name stays a person's ("Vladimir Medinsky" in the rule above).
    assert texts(news_recognizer("Lviv Ivanenko, a teacher, spoke.")) == []


def _without(nlp, gazetteer, rule):
    return SpacyRecognizer(nlp, gazetteer, rules=replace(RuleSwitches(), **{rule: False}))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Popasna's only hospital hit again", ["Popasna"]),  # a name opening a caption before "'s"
        ("Horenka, aerial view of ruined houses (0:10 - 0:40)", ["Horenka"]),  # ... or before a comma
        ("Long queues for bread #Popasna", ["Popasna"]),
        ("Tanks seen near a farm, Horenka, Kyiv Oblast", ["Horenka", "Kyiv Oblast"]),  # one entity to the model
    ],
)
def test_a_caption_names_its_place_where_prose_would_not(nlp, embedded_gazetteer, news_recognizer, text, names):
    assert texts(news_recognizer(text)) == names
    assert texts(_without(nlp, embedded_gazetteer, "captions")(text)) != names


def test_the_caption_rules_read_only_short_texts(news_recognizer):
    caption = "Popasna's only hospital hit again"
    assert texts(news_recognizer(caption)) == ["Popasna"]
    prose = "The report, which was filed late on a long and busy day by a correspondent who had " * 2
    assert "Popasna" not in texts(news_recognizer(prose + ". " + caption))


def test_a_caption_takes_a_village_of_any_size_in_a_place_context(nlp, embedded_gazetteer, news_recognizer):
    text = "A video of a rocket strike on Novomykhailivka"  # a village the store gives no population
    assert "Novomykhailivka" in texts(news_recognizer(text))
    assert "Novomykhailivka" not in texts(_without(nlp, embedded_gazetteer, "captions")(text))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Windows blown out at the Faculty of Chemistry of Kharkiv National University", ["Kharkiv"]),
        ("Transformer Substation Horenka hit by a missile", ["Horenka"]),
    ],
)
def test_a_caption_places_an_organisation_at_the_town_in_its_name(
    nlp, embedded_gazetteer, news_recognizer, text, names
):
    assert texts(news_recognizer(text)) == names
    assert texts(_without(nlp, embedded_gazetteer, "institutions")(text)) == []


def test_an_occupier_before_a_name_keeps_the_place_context(nlp, embedded_gazetteer, news_recognizer):
    text = "Partisans struck a depot in Russian held Tokmak"
    assert texts(news_recognizer(text)) == ["Tokmak"]
    assert texts(_without(nlp, embedded_gazetteer, "occupied")(text)) == []
