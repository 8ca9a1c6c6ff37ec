import json

from placemap.tables import events_from_table, looks_like_event_table


def test_csv_rows_become_events_and_bad_rows_are_reported(tiny_gazetteer, tmp_path):
    table = tmp_path / "events.csv"
    table.write_text(
        "Date,Category,Status,Location,Origin,Destination,Country,Notes\n"
        "2022-03-01,talks,reported,Brest,,,Belarus,first round\n"
        "2022-03-09,corridor,agreed,,Kyiv,Odesa,UA,\n"
        "2022-03-10,parade,reported,Kyiv,,,UA,\n"
        "2022-03-11,shelling,reported,Atlantis,,,UA,\n",
        encoding="utf-8",
    )
    problems = []
    documents = list(events_from_table(table, tiny_gazetteer, problems))
    assert looks_like_event_table(table)
    assert [d.events[0].category for d in documents] == ["talks", "corridor"]
    talks, corridor = documents
    assert talks.toponyms[talks.events[0].location].place.country_code == "BY"
    assert corridor.toponyms[corridor.events[0].origin].place.name == "Kyiv"
    assert corridor.toponyms[corridor.events[0].destination].place.name == "Odesa"
    assert [(p.row, p.reason.split()[0]) for p in problems] == [(4, "unknown"), (5, "location")]


def test_an_acled_export_works_as_it_is(tiny_gazetteer, tmp_path):
    table = tmp_path / "acled.jsonl"
    rows = [
        {
            "event_date": "2022-03-02",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "location": "Kharkiv",
            "admin1": "Kharkivska",
            "country": "Ukraine",
            "latitude": "49.9935",
            "longitude": "36.2304",
            "notes": "shelling",
            "source": "x",
        },
        {
            "event_date": "2022-03-03",
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "location": "Kyiv",
            "country": "Ukraine",
            "latitude": "50.45",
            "longitude": "30.52",
        },
    ]
    table.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    problems = []
    documents = list(events_from_table(table, tiny_gazetteer, problems))
    assert looks_like_event_table(table)
    event = documents[0].events[0]
    assert (event.category, event.date, event.lat) == ("shelling", "2022-03-02", 49.9935)
    assert problems[0].row == 2 and "no category" in problems[0].reason


def test_geoparser_input_is_not_a_table(tmp_path):
    text_input = tmp_path / "docs.jsonl"
    text_input.write_text(json.dumps({"id": "a", "text": "Kyiv", "location": "x"}) + "\n", encoding="utf-8")
    assert not looks_like_event_table(text_input)
