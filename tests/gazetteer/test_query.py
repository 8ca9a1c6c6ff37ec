from placemap.gazetteer.query import Attempt, parse_query

COUNTRIES = {"belarus": "BY", "ukraine": "UA"}


def country_code_for(name):
    return COUNTRIES.get(name.lower())


def admin1_for(name):
    return ("US", "TX") if name in ("Texas", "TX") else None


def test_comma_country_qualifier_limits_the_country():
    assert parse_query("Brest, Belarus", country_code_for)[0] == Attempt("brest", (), "BY", None)


def test_comma_admin1_qualifier_limits_the_state():
    assert parse_query("Paris, TX", country_code_for, admin1_for)[0] == Attempt("paris", (), "US", "TX")


def test_unknown_qualifier_falls_back_to_the_whole_then_the_head():
    attempts = parse_query("Washington, D.C.", country_code_for)
    assert [a.key for a in attempts] == ["washington dc", "washington"]


def test_region_designator_prefers_admin_units():
    first, second, fallback = parse_query("Donetsk region", country_code_for)
    assert (first.key, first.feature_codes) == ("donetsk", ("ADM1",))
    assert (second.key, second.feature_codes) == ("donetsk", ("ADM2",))  # only if no admin-1 unit matches
    assert fallback.key == "donetsk region" and fallback.feature_codes == ()


def test_river_with_article():
    first = parse_query("the Dnipro river", country_code_for)[0]
    assert first.key == "dnipro" and "STM" in first.feature_codes


def test_blank_query_has_no_attempts():
    assert parse_query("  ", country_code_for) == []
    assert parse_query("the", country_code_for) == [Attempt("the")]


def test_a_qualifier_that_is_both_a_country_and_a_state_gives_both_readings():
    def country(name):
        return "GE" if name == "Georgia" else None

    def state(name):
        return ("US", "GA") if name == "Georgia" else None

    attempts = parse_query("Atlanta, Georgia", country, state)
    assert attempts[:2] == [Attempt("atlanta", (), "GE", None), Attempt("atlanta", (), "US", "GA")]


def test_a_directional_part_falls_back_to_the_whole_place():
    keys = [a.key for a in parse_query("Northern California", country_code_for)]
    assert keys == ["northern california", "california"]
