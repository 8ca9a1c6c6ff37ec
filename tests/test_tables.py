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


def test_fields_keep_their_places_and_acled_dates_are_read(tiny_gazetteer, tmp_path):
    table = tmp_path / "acled.csv"
    table.write_text(
        "event_date,event_type,sub_event_type,location,country,latitude,longitude,notes,source\n"
        "07 March 2022,Explosions/Remote violence,Shelling/artillery/missile attack,Kharkiv,Ukraine,49.99,36.23,"
        "Artillery hit the centre,Kyiv Independent\n",
        encoding="utf-8",
    )
    problems = []
    (document,) = events_from_table(table, tiny_gazetteer, problems)
    event = document.events[0]
    assert problems == [] and event.date == "2022-03-07"
    assert document.text[event.quote_start : event.quote_end] == "Artillery hit the centre"
    assert document.source == "Kyiv Independent" and event.attribution is None


def test_a_place_unknown_in_its_country_is_reported_not_guessed(tiny_gazetteer, tmp_path):
    table = tmp_path / "events.csv"
    table.write_text("date,category,location,country\n2022-03-01,talks,Brest,Ukraine\n", encoding="utf-8")
    problems = []
    assert list(events_from_table(table, tiny_gazetteer, problems)) == []  # Brest is in Belarus (and France)
    assert [p.row for p in problems] == [2] and "'Brest' is not in the gazetteer in UA" in problems[0].reason


def test_bad_lines_of_a_jsonl_table_cost_their_row_only(tiny_gazetteer, tmp_path):
    table = tmp_path / "events.jsonl"
    good = json.dumps({"date": "2022-03-01", "category": "talks", "location": "Brest", "country": "BY"}).encode()
    table.write_bytes(b"\n".join([good, b"[1, 2]", b"{not json", good.replace(b"Brest", b"Br\xffest"), good]) + b"\n")
    problems = []
    documents = list(events_from_table(table, tiny_gazetteer, problems))
    assert [d.id for d in documents] == ["events.jsonl:1", "events.jsonl:5"]
    assert [str(p).split(" (")[0] for p in problems] == [
        "row 2: not a JSON object but list",
        "row 3: not JSON",
        "row 4: not UTF-8",
    ]


def test_bad_rows_of_a_csv_table_cost_their_row_only(tiny_gazetteer, tmp_path):
    table = tmp_path / "events.csv"
    rows = [
        b"date,category,location,country",
        b"2022-03-01,talks,Brest,BY",
        b"2022-03-02,talks,Br\xffest,BY",
        b"2022-03-03,talks," + b"x" * 200_000 + b",BY",
        b"2022-13-45,talks,Brest,BY",
        b"=1+2,talks,Brest,BY",
        b"2022-03-06,talks,Brest,BY",
    ]
    table.write_bytes(b"\n".join(rows) + b"\n")
    problems = []
    documents = list(events_from_table(table, tiny_gazetteer, problems))
    assert [d.events[0].date for d in documents] == ["2022-03-01", "2022-03-06"]
    assert [(p.row, p.reason.split(" (")[0]) for p in problems] == [
        (3, "not UTF-8"),
        (4, "not a CSV row"),
        (5, "no such day '2022-13-45'"),
        (6, "unreadable date '=1+2'"),
    ]
