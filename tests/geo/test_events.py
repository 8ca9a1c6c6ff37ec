import hashlib
import json
import re
from pathlib import Path

import pytest

from placemap.docformat import document_to_json
from placemap.event_eval import Matcher, score_events
from placemap.geo.events import EventExtractor, acled_types
from placemap.geo.pipeline import Geoparser
from placemap.geo.triggers import find_triggers
from placemap.sentences import split_sentences
from placemap.types import CATEGORIES, Document, Mention, Place, Toponym

PLACES = {
    "Kharkiv": Place(706483, "Kharkiv", 49.98081, 36.25272, "P", "PPLA", "UA", "07"),
    "Mariupol": Place(701822, "Mariupol", 47.09514, 37.54131, "P", "PPL", "UA", "05"),
    "Zaporizhzhia": Place(687700, "Zaporizhzhia", 47.82289, 35.19031, "P", "PPLA", "UA", "26"),
    "Kyiv": Place(703448, "Kyiv", 50.45466, 30.5238, "P", "PPLC", "UA", "12"),
    "Istanbul": Place(745044, "Istanbul", 41.01384, 28.94966, "P", "PPLA", "TR", "34"),
    "Moscow": Place(524901, "Moscow", 55.75222, 37.61556, "P", "PPLC", "RU", "48"),
    "Belarus": Place(630336, "Belarus", 53.0, 28.0, "A", "PCLI", "BY"),
    "Poland": Place(798544, "Poland", 52.0, 20.0, "A", "PCLI", "PL"),
    "Ukraine": Place(690791, "Ukraine", 49.0, 32.0, "A", "PCLI", "UA"),
    "Crimea": Place(703883, "Crimea", 45.0, 34.0, "A", "ADM1", "UA", "11"),
    "Donetsk": Place(709716, "Donetsk Oblast", 48.0, 37.8, "A", "ADM1", "UA", "05"),
    "Luhansk": Place(702657, "Luhansk Oblast", 48.57, 39.3, "A", "ADM1", "UA", "09"),
}


@pytest.fixture()
def extract(parser_nlp, tiny_gazetteer):
    # These sentences test the parse rules; a one-sentence text is otherwise read as a caption,
    # where the model adds events of its own (tests/geo/test_event_model.py).
    return EventExtractor(parser_nlp, tiny_gazetteer, caption_threshold=1.01)


def document(text, published="2022-03-07", doc_id="dispatch-1"):
    """A geoparsed document whose toponyms are the names of PLACES found in ``text``."""
    toponyms = [
        Toponym(Mention(m.start(), m.end(), name, "GPE"), place, 0.9)
        for name, place in PLACES.items()
        for m in re.finditer(rf"\b{name}\b", text)
    ]
    toponyms.sort(key=lambda t: t.mention.start)
    return Document(doc_id, text, published, toponyms=tuple(toponyms))


def name(doc, index):
    return None if index is None else doc.toponyms[index].mention.text


def summary(doc, events):
    """(category, status, location, origin, destination) of each event, places by name."""
    return [
        (e.category, e.status, name(doc, e.location), name(doc, e.origin), name(doc, e.destination)) for e in events
    ]


def test_talks_take_their_venue_and_date(extract):
    doc = document("Russian and Ukrainian negotiators met in Istanbul on Saturday, officials said.")
    [event] = extract(doc)
    assert summary(doc, [event]) == [("talks", "reported", "Istanbul", None, None)]
    assert (event.date, event.time_precision, event.geo_precision) == ("2022-03-05", 1, 1)
    assert (event.lat, event.lon) == (PLACES["Istanbul"].lat, PLACES["Istanbul"].lon)
    assert event.attribution == "officials"
    assert doc.text[event.quote_start : event.quote_end] == doc.text


def test_speakers_are_not_event_sites(extract):
    doc = document("Moscow said Russian artillery shelled Kharkiv overnight.")
    assert summary(doc, extract(doc)) == [("shelling", "reported", "Kharkiv", None, None)]
    assert extract(document("Moscow said the talks had been useful.")) == []


def test_a_corridor_runs_from_its_origin_to_its_destination(extract):
    doc = document("The two sides agreed on Sunday to open a humanitarian corridor from Mariupol to Zaporizhzhia.")
    [event] = extract(doc)
    assert summary(doc, [event]) == [("corridor", "agreed", None, "Mariupol", "Zaporizhzhia")]
    assert (event.lat, event.lon) == (PLACES["Mariupol"].lat, PLACES["Mariupol"].lon)  # the origin's point
    assert event.date == "2022-03-06"


def test_a_rejected_route_into_a_country(extract):
    doc = document("Civilians leaving Kyiv would be taken north into Belarus, a route that Ukraine rejected.")
    assert summary(doc, extract(doc)) == [("corridor", "rejected", None, "Kyiv", "Belarus")]


def test_claims_cover_areas_not_the_claimant(extract):
    doc = document("Moscow insisted that Kyiv recognise Crimea as Russian territory.")
    [event] = extract(doc)
    assert (event.category, event.status, [name(doc, i) for i in event.areas]) == ("claim", "demanded", ["Crimea"])
    assert event.geo_precision == 3 and event.location is None
    doc = document("The Kremlin recognised Donetsk and Luhansk as independent states on Monday.")
    [event] = extract(doc)
    assert [name(doc, i) for i in event.areas] == ["Donetsk", "Luhansk"]


def test_refugee_flows_carry_origin_over_from_an_earlier_sentence(extract):
    doc = document(
        "About 300,000 people have fled Ukraine since Thursday, the agency said. "
        "More than 200,000 of them have crossed into Poland, where volunteers met them at the border."
    )
    [event] = extract(doc)
    assert summary(doc, [event]) == [("refugees", "reported", None, "Ukraine", "Poland")]
    assert event.count == 200_000
    assert (event.date, event.time_precision) == ("2022-03-07", 2)  # "have crossed": a running total


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("A ceasefire around Mariupol broke down within hours.", "failed"),
        ("Russia offered a ceasefire around Mariupol.", "proposed"),
        ("Ukraine rejected a ceasefire around Mariupol.", "rejected"),
        ("Kyiv demanded a ceasefire around Mariupol.", "demanded"),
        ("Both sides signed a ceasefire around Mariupol.", "agreed"),
        ("Both sides did not agree on a ceasefire around Mariupol.", "rejected"),
        ("A ceasefire held around Mariupol.", "reported"),
        ("A ceasefire around Mariupol ended without an agreement on a truce line.", "failed"),
        ("The ceasefire around Mariupol did not take place.", "failed"),
    ],
)
def test_status_comes_from_the_wording(extract, text, status):
    doc = document(text)
    assert summary(doc, extract(doc)) == [("ceasefire", status, "Mariupol", None, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv says Russian troops must first leave Crimea.", ("claim", "demanded", ["Crimea"], None)),
        ("Kyiv wants Russian troops to withdraw from Donetsk.", ("claim", "demanded", ["Donetsk"], None)),
        ("The war would end only when Russian troops left Luhansk.", ("claim", "demanded", ["Luhansk"], None)),
        ("Russian troops left Kharkiv on Monday.", ("military", "reported", [], "Kharkiv")),
    ],
)
def test_a_demanded_withdrawal_is_a_claim_on_the_place_left(extract, text, expected):
    doc = document(text)
    [event] = extract(doc)
    assert (event.category, event.status, [name(doc, i) for i in event.areas], name(doc, event.location)) == expected


def test_there_refers_back_to_the_latest_place(extract):
    doc = document(
        "Thousands of people arrived in Zaporizhzhia last week, officials said. "
        "Many of them had fled there from Mariupol in early March."
    )
    flows = [e for e in extract(doc) if e.quote_start > 60]
    assert summary(doc, flows) == [("refugees", "reported", None, "Mariupol", "Zaporizhzhia")]


@pytest.mark.parametrize(
    "text",
    [
        "At least 250,000 people have fled Donetsk region since Friday, the agency said.",
        "The UN's migration agency says at least 250,000 people have fled Donetsk state since Friday.",
    ],
)
def test_a_name_before_its_designator_takes_the_phrase_role(extract, text):
    doc = document(text)
    assert summary(doc, extract(doc)) == [("refugees", "reported", None, "Donetsk", None)]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Kyiv said it would not negotiate with the separatists.", "rejected"),
        ("The two delegations will meet again at the end of the month, Kyiv said.", "proposed"),
    ],
)
def test_decisions_about_talks_with_no_venue_are_events(extract, text, status):
    doc = document(text)
    assert summary(doc, extract(doc)) == [("talks", status, None, None, None)]


def test_a_truce_is_placed_at_the_area_it_covers_not_where_it_was_announced(extract):
    doc = document("In Istanbul, Turkey proposed a ceasefire across Ukraine from Monday.")
    assert ("ceasefire", "proposed", "Ukraine", None, None) in summary(doc, extract(doc))
    assert ("ceasefire", "proposed", "Istanbul", None, None) not in summary(doc, extract(doc))


def test_coordinated_phrases_are_one_event_each(extract):
    doc = document("Russian missiles hit port facilities in Mariupol and in Zaporizhzhia overnight.")
    assert summary(doc, extract(doc)) == [
        ("shelling", "reported", "Mariupol", None, None),
        ("shelling", "reported", "Zaporizhzhia", None, None),
    ]


def test_troops_taking_a_place_capture_it(extract):
    doc = document("The rebel forces say they took Mariupol late on Monday after four days of fighting.")
    assert summary(doc, extract(doc)) == [("military", "reported", "Mariupol", None, None)]
    doc = document("Kyiv says the forces took part in talks in Istanbul on Monday.")
    assert "military" not in [e.category for e in extract(doc)]


def test_troops_controlling_a_place_are_a_military_event(extract):
    doc = document("Kyiv says Ukrainian forces now control Mariupol.")
    assert summary(doc, extract(doc)) == [("military", "reported", "Mariupol", None, None)]
    assert extract(document("Kyiv says the price controls in Mariupol will stay.")) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # published 2022-03-07, a Monday
        ("Russian troops took Kharkiv on Saturday, a day after capturing Mariupol.", "2022-03-04"),
        ("Kyiv said on Sunday that all was calm, three days after Russian artillery shelled Mariupol.", "2022-03-03"),
    ],
)
def test_n_days_after_counts_back_from_the_main_clause(extract, text, date):
    doc = document(text)
    [event] = [e for e in extract(doc) if name(doc, e.location) == "Mariupol"]
    assert (event.date, event.time_precision) == (date, 1)


def test_a_capital_named_by_its_nation_is_that_nations_city(parser_nlp, embedded_gazetteer):
    extract = EventExtractor(parser_nlp, embedded_gazetteer, caption_threshold=1.01)  # its demonyms: "Ukrainian"
    doc = document(
        "Officials in Kyiv said talks were held in Moscow and again in Moscow on Monday. "
        "Late on Tuesday rockets hit the Ukrainian capital."
    )
    [strike] = [e for e in extract(doc) if e.category == "shelling"]
    assert name(doc, strike.location) == "Kyiv"


def test_a_flow_into_a_country_comes_from_where_the_war_is(extract):
    doc = document(
        "Belarus said the talks in Belarus would go on, and Belarus's president agreed. "
        "Russian artillery shelled Kharkiv in Ukraine on Tuesday. "
        "More than 10,000 people have crossed into Poland since Sunday."
    )
    [flow] = [e for e in extract(doc) if e.category == "refugees"]
    assert (name(doc, flow.origin), name(doc, flow.destination)) == ("Ukraine", "Poland")


def test_a_clause_on_a_date_is_an_event_of_that_date(extract):
    doc = document("Most residents fled in February 2012, when the army shelled Kharkiv. Few have come back.")
    [event] = [e for e in extract(doc) if e.category == "shelling"]
    assert (name(doc, event.location), event.date, event.time_precision) == ("Kharkiv", "2012-02-01", 3)


def test_a_total_since_a_dated_beginning_is_dated_by_its_end(extract):
    doc = document("More than 40,000 people have fled into Poland since the fighting began on March 1.")
    [event] = extract(doc)
    assert (event.date, event.time_precision) == ("2022-03-07", 2)


def test_a_hoped_for_meeting_is_proposed_and_read_forward(extract):
    doc = document("The envoy hopes to reconvene the talks in Istanbul in January.")
    [event] = extract(doc)
    assert (event.category, event.status, event.date) == ("talks", "proposed", "2023-01-01")


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Russian tank driving through Mariupol", [("military", "reported", "Mariupol", None, None)]),
        ("Russian vehicles moving in Kharkiv", [("military", "reported", "Kharkiv", None, None)]),
        ("Russian troops movement in Kharkiv", [("military", "reported", "Kharkiv", None, None)]),
        ("Russian convoy in Kharkiv", [("military", "reported", "Kharkiv", None, None)]),
        ("Ruins of a school in Kharkiv", [("shelling", "reported", "Kharkiv", None, None)]),
        ("The area from which a hospital was shelled in Kharkiv", [("shelling", "reported", "Kharkiv", None, None)]),
        ("Russian missile system moving in Kharkiv", [("military", "reported", "Kharkiv", None, None)]),
        ("Kharkiv's oil depot on fire after a missile strike", [("shelling", "reported", "Kharkiv", None, None)]),
        ("Artillery fire on positions outside Mariupol", [("shelling", "reported", "Mariupol", None, None)]),
        ("A damaged church as a result of shelling in Mariupol", [("shelling", "reported", "Mariupol", None, None)]),
    ],
)
def test_captions_report_sightings_and_damage(extract, caption, expected):
    doc = document(caption)
    assert summary(doc, extract(doc)) == expected


def test_an_aid_convoy_in_a_caption_is_no_military_move(extract):
    doc = document("Humanitarian aid convoy in Kharkiv")
    assert "military" not in [e.category for e in extract(doc)]


def test_troops_massed_near_a_town_are_approximate(extract):
    doc = document("Russian troops massed near Kharkiv on Monday.")
    [event] = extract(doc)
    assert (event.category, name(doc, event.location), event.geo_precision) == ("military", "Kharkiv", 2)


def test_the_city_refers_back_and_repeats_merge(extract):
    doc = document(
        "Russian missiles struck Kharkiv on Sunday. The city was shelled again on Monday, officials said. "
        "Missiles hit Kharkiv again on Monday."
    )
    events = extract(doc)
    assert [(e.category, name(doc, e.location), e.date) for e in events] == [
        ("shelling", "Kharkiv", "2022-03-06"),
        ("shelling", "Kharkiv", "2022-03-07"),  # by anaphora; the third sentence repeats it
    ]


def test_background_clauses_and_reference_points_are_left_out(extract):
    doc = document("The talks were held in Istanbul as shelling continued in Kharkiv.")
    assert summary(doc, extract(doc)) == [("talks", "reported", "Istanbul", None, None)]
    doc = document("Russian forces shelled a village about 80 km north of Kharkiv.")
    assert extract(doc) == []
    # Under 50 km the named place stands for the site, as an approximate one (events guide).
    doc = document("Russian forces shelled a village about 30 km north of Kharkiv.")
    [event] = extract(doc)
    assert (event.category, name(doc, event.location), event.geo_precision) == ("shelling", "Kharkiv", 2)


def test_the_dateline_is_no_event_site(extract):
    doc = document("KYIV, March 7 (Wire) – Russian and Ukrainian delegations met in Istanbul on Monday.")
    [event] = extract(doc)
    assert name(doc, event.location) == "Istanbul"
    assert event.quote_start == doc.text.index("Russian")


def test_ids_are_deterministic_sha1_prefixes(extract):
    doc = document("Shelling hit Kharkiv on Sunday.")
    first, second = extract(doc), extract(doc)
    assert [e.id for e in first] == [e.id for e in second]
    key = f"{doc.id}|{first[0].quote_start}|{first[0].quote_end}|shelling"
    assert first[0].id == hashlib.sha1(key.encode()).hexdigest()[:16]


def test_two_events_of_one_kind_in_a_sentence_get_distinct_ids(extract):
    doc = document("Poland has taken in 100,000 refugees from Ukraine, and 50,000 people have crossed into Belarus.")
    events = extract(doc)
    assert [name(doc, e.destination) for e in events] == ["Poland", "Belarus"]
    assert len({e.id for e in events}) == 2


def test_sentences_without_a_trigger_or_a_place_yield_nothing(extract):
    assert extract(document("Kharkiv is a large city.")) == []
    assert extract(document("Shelling continued overnight.")) == []
    assert extract(document("")) == []


def test_a_batch_of_documents_gets_the_events_each_gets_alone(extract):
    documents = [
        document("Russian artillery shelled Kharkiv overnight. Talks were held in Istanbul on Saturday."),
        document("Moscow said the talks had been useful."),
        document("Russian tank driving through Mariupol"),
    ]
    assert extract.pipe(documents) == [extract(d) for d in documents]


def test_locate_links_a_given_verb(extract):
    doc = document("A man was arrested in Kharkiv on Monday, Moscow said.")
    start = doc.text.index("arrested")
    assert [name(doc, i) for i in extract.locate(doc, start, start + len("arrested"))] == ["Kharkiv"]


def test_a_pipeline_without_a_parser_is_refused(tiny_gazetteer):
    spacy = pytest.importorskip("spacy")
    with pytest.raises(ValueError, match="dependency parser"):
        EventExtractor(spacy.blank("en"), tiny_gazetteer)


def test_events_fill_the_geoparse_output_contract(extract, tiny_gazetteer):
    def recognizer(text):
        return [m for t in document(text).toponyms for m in [t.mention]]

    def resolver(text, mentions):
        return [Toponym(m, PLACES[m.text], 0.9) for m in mentions]

    geoparser = Geoparser(tiny_gazetteer, recognizer=recognizer, resolver=resolver, event_extractor=extract)
    output = document_to_json(geoparser("Shelling hit Kharkiv on Sunday.", doc_id="x", published="2022-03-07"))
    [event] = json.loads(json.dumps(output))["events"]
    assert set(event) >= {
        "category", "status", "date", "time_precision", "geo_precision", "location", "origin", "destination",
        "areas", "lat", "lon", "quote_start", "quote_end",
    }  # fmt: skip
    assert (event["category"], event["location"], event["date"]) == ("shelling", 0, "2022-03-06")


def test_acled_types_cover_every_category():
    assert acled_types("shelling") == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert acled_types("talks") == ("Strategic developments", "Agreement")
    assert all(acled_types(category)[0] for category in CATEGORIES)
    with pytest.raises(ValueError):
        acled_types("picnic")


def test_prefilter_and_sentence_splitter():
    assert find_triggers("Shelling hit Kharkiv.") and not find_triggers("Kharkiv is a large city.")
    assert not find_triggers("The Red Cross team waited.")  # "Cross" needs "into"
    text = "KHARKIV, March 1 (Wire) – Shells hit the city. Gen. Ivanov said so.\nMore later."
    expected = ["Shells hit the city.", "Gen. Ivanov said so.", "More later."]
    assert [text[s:e] for s, e in split_sentences(text)] == expected


@pytest.mark.slow
def test_dispatches_dev_events_are_found(shared_file, embedded_gazetteer, parser_nlp):
    """The gold events of our development dispatches, scored as ``placemap eval`` scores them
    (category and place; a placeless gold event needs the same sentence)."""
    path = shared_file("data", "eval", "dispatches-dev.jsonl")
    gold_docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    geoparser = Geoparser(embedded_gazetteer, event_extractor=EventExtractor(parser_nlp, embedded_gazetteer))
    documents = [geoparser(g["text"], doc_id=g["id"], published=g["published"]) for g in gold_docs]
    scores = score_events(Matcher(embedded_gazetteer), gold_docs, documents)
    assert scores["recall"] >= 0.8 and scores["precision"] >= 0.7


@pytest.mark.slow
def test_a_story_like_the_seed_story(embedded_gazetteer, parser_nlp):
    """Our own retelling of the March 2022 story the project began with (issue 17, point 4):
    talks, corridors into Belarus and Russia, the shelling of Chernihiv, the failed Mariupol
    ceasefire and the claims; no event at a speaker (Moscow, the Kremlin) or at a whole country."""
    text = (Path(__file__).parents[1] / "fixtures" / "seed_like_story.txt").read_text(encoding="utf-8")
    geoparser = Geoparser(embedded_gazetteer, event_extractor=EventExtractor(parser_nlp, embedded_gazetteer))
    doc = geoparser(text, doc_id="seed", published="2022-03-08")
    found = {(e.category, name(doc, e.location), name(doc, e.origin), name(doc, e.destination)) for e in doc.events}
    assert {
        ("talks", "Brest region", None, None),
        ("corridor", None, "Kyiv", "Belarus"),
        ("corridor", None, "Kharkiv", "Russia"),
        ("shelling", "Chernihiv", None, None),
        ("ceasefire", "Mariupol", None, None),
    } <= found
    claimed = {name(doc, i) for e in doc.events if e.category == "claim" for i in e.areas}
    assert {"Crimea", "Donetsk", "Luhansk"} <= claimed
    assert {e.status for e in doc.events if e.category == "claim"} == {"demanded"}
    sites = {name(doc, e.location) for e in doc.events}
    assert not sites & {"Moscow", "Kremlin", "Russia", "Ukraine"}
    # "as the foreign ministers prepared to meet in Antalya on Thursday": planned, the coming Thursday
    [antalya] = [e for e in doc.events if name(doc, e.location) == "Antalya"]
    assert (antalya.category, antalya.status, antalya.date) == ("talks", "proposed", "2022-03-10")
