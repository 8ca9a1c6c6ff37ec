from datetime import date

import pytest

from placemap.geo.dates import INVASION_START, event_date, find_date_phrases, resolve_date, sentence_date, to_date


def iso(phrase, published, **kwargs):
    value = resolve_date(phrase, published, **kwargs)
    return None if value is None else (value.iso, value.precision)


@pytest.mark.parametrize(
    ("phrase", "published", "expected"),
    [
        ("on Sunday", "2022-03-07", ("2022-03-06", 1)),  # a Monday: the day before
        ("on Monday", "2022-03-07", ("2022-03-07", 1)),  # the publication day itself
        ("last Thursday", "2022-02-28", ("2022-02-24", 1)),
        ("last Monday", "2022-03-07", ("2022-02-28", 1)),  # "last" never means today
        ("early on Friday", "2022-04-01", ("2022-04-01", 1)),
        ("Wednesday afternoon", "2022-03-17", ("2022-03-16", 1)),
        ("yesterday", "2022-03-01", ("2022-02-28", 1)),
        ("today", "2022-03-01", ("2022-03-01", 1)),
        ("four days ago", "2022-02-28", ("2022-02-24", 1)),
        ("on March 3", "2022-03-09", ("2022-03-03", 1)),
        ("3 March 2022", "2023-01-01", ("2022-03-03", 1)),
        ("Feb. 24", "2022-06-30", ("2022-02-24", 1)),
    ],
)
def test_day_phrases_resolve_against_the_publication_date(phrase, published, expected):
    assert iso(phrase, published) == expected


def test_a_month_day_after_the_publication_date_is_last_year():
    assert iso("Dec 30", "2023-01-04") == ("2022-12-30", 1)


def test_the_nth_day_of_the_invasion_counts_from_24_february_2022():
    assert date(2022, 2, 24) == INVASION_START
    assert iso("the 12th day of the invasion", "2022-03-20") == ("2022-03-07", 1)
    assert iso("day 1 of the war", None) == ("2022-02-24", 1)


def test_weeks_and_months_are_coarser():
    assert iso("earlier this week", "2022-03-10") == ("2022-03-07", 2)  # the Monday of that week
    assert iso("last week", "2022-03-10") == ("2022-02-28", 2)
    assert iso("earlier this month", "2022-03-10") == ("2022-03-01", 3)
    assert iso("in March", "2022-05-02") == ("2022-03-01", 3)


def test_ranges_start_where_they_start_and_end_at_publication():
    # A running total "since Thursday" is dated by its end, as the annotated dispatches date it.
    value = resolve_date("since Thursday", "2022-03-01")
    assert (value.iso, value.precision, value.first, value.last) == ("2022-03-01", 2, "2022-02-24", "2022-03-01")
    assert iso("last September", "2023-05-21") == ("2022-09-01", 3)
    assert iso("in May 2023", "2024-02-18") == ("2023-05-01", 3)
    assert iso("last weekend", "2017-10-21") == ("2017-10-14", 2)
    value = resolve_date("over the past two days", "2022-03-17")
    assert (value.first, value.last) == ("2022-03-16", "2022-03-17")


def test_relative_days_count_from_the_anchor():
    assert iso("a day earlier", "2022-06-30") == ("2022-06-29", 1)
    assert iso("the day before", "2022-06-30", anchor="2022-06-20") == ("2022-06-19", 1)


def test_future_weekdays_look_forward():
    assert iso("on Monday", "2022-03-09", future=True) == ("2022-03-14", 1)
    assert iso("next Monday", "2022-03-07") == ("2022-03-14", 1)


def test_relative_phrases_need_a_publication_date():
    assert resolve_date("on Sunday", None) is None
    assert resolve_date("yesterday", "not a date") is None


def test_phrases_are_found_with_offsets():
    text = "Shells hit the city on Sunday, days after talks on March 3; a day earlier sirens sounded."
    phrases = find_date_phrases(text)
    assert [p.text for p in phrases] == ["on Sunday", "on March 3", "a day earlier"]
    assert all(text[p.start : p.end] == p.text for p in phrases)
    assert find_date_phrases("No dates here at all.") == []


def test_sentence_date_prefers_the_phrase_near_the_event():
    sentence = "Negotiators met on Monday, since the invasion began four days ago."
    assert sentence_date(sentence, "2022-02-28", near=sentence.index("met")) == ("2022-02-28", 1)
    assert sentence_date("Shells hit the city.", "2022-03-05") == ("2022-03-05", 1)
    assert sentence_date("Shells hit the city.", None) == (None, 3)


def test_event_date_strengths():
    phrases = [(2, "on Wednesday"), (10, "on Thursday")]
    value, strength = event_date(phrases, "2022-03-17", near=9, own={1, 2, 3})
    assert (value.iso, strength) == ("2022-03-16", 2)  # the phrase in the event's own clause wins
    value, strength = event_date(phrases, "2022-03-17", near=9)
    assert (value.iso, strength) == ("2022-03-17", 1)  # else the nearest in the sentence
    value, strength = event_date(phrases, "2022-03-17", near=9, outside=False)
    assert (value.iso, value.precision, strength) == ("2022-03-17", 1, 0)  # else the publication date
    assert event_date([], "2022-03-17", near=0, perfect=True)[0].precision == 2
    assert event_date([], "2022-03-17", near=0, undated=True) == (None, 0)
    assert event_date([], None, near=0) == (None, 0)


def test_to_date_reads_iso_dates_and_timestamps():
    assert to_date("2022-03-05T10:00:00Z") == date(2022, 3, 5)
    assert to_date(None) is None
    assert to_date("March 5") is None
