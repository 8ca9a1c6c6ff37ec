import sqlite3

import pytest

from placemap.exc import ConfigurationError, GazetteerCorrupt, GazetteerNotFound, QueryError
from placemap.gazetteer import Gazetteer


def top(gazetteer, name, **kwargs):
    candidates = gazetteer.lookup(name, **kwargs)
    return candidates[0].place if candidates else None


@pytest.mark.parametrize("name", ["Kyiv", "Kiev", "Київ", "Киев", "KYÏV"])
def test_every_spelling_of_kyiv_finds_703448(tiny_gazetteer, name):
    assert top(tiny_gazetteer, name).geonameid == 703448


def test_priors_rank_the_big_brest_first_and_sum_to_one(tiny_gazetteer):
    candidates = tiny_gazetteer.lookup("Brest")
    assert [c.place.country_code for c in candidates] == ["BY", "FR"]
    assert sum(c.prior for c in candidates) == pytest.approx(1.0)
    assert candidates[0].prior > candidates[1].prior


def test_country_qualifier_and_country_argument(tiny_gazetteer):
    assert top(tiny_gazetteer, "Brest, France").country_code == "FR"
    assert top(tiny_gazetteer, "Brest", country="fr").country_code == "FR"
    assert tiny_gazetteer.lookup("Brest, France", country="BY") == []


def test_state_qualifier(tiny_gazetteer):
    assert top(tiny_gazetteer, "Paris, Texas").geonameid == 4717560
    assert top(tiny_gazetteer, "Paris, TX").geonameid == 4717560
    assert top(tiny_gazetteer, "Paris").geonameid == 2988507


@pytest.mark.parametrize("name", ["Donetsk region", "Donetsk Oblast", "donetsk oblast", "the Donetsk region"])
def test_region_designators_go_to_the_admin1_unit(tiny_gazetteer, name):
    assert top(tiny_gazetteer, name).geonameid == 709716


def test_bare_name_prefers_the_city_over_the_oblast(tiny_gazetteer):
    assert top(tiny_gazetteer, "Donetsk").geonameid == 709717
    assert top(tiny_gazetteer, "Kherson").geonameid == 706448
    assert top(tiny_gazetteer, "Kherson Oblast").geonameid == 706442


def test_river_designator(tiny_gazetteer):
    assert top(tiny_gazetteer, "Dnipro").feature_code == "PPLA"
    river = top(tiny_gazetteer, "the Dnipro river")
    assert river.feature_code == "STM" and river.geonameid is None


def test_feature_class_filter(tiny_gazetteer):
    assert top(tiny_gazetteer, "Luhansk", feature_classes=["A"]).feature_code == "ADM1"


def test_exact_primary_name_is_flagged(tiny_gazetteer):
    by_country = {c.place.country_code: c for c in tiny_gazetteer.lookup("Odessa")}
    assert by_country["US"].exact and not by_country["UA"].exact


def test_admin1_name_is_joined(tiny_gazetteer):
    assert top(tiny_gazetteer, "Luhansk").admin1_name == "Luhansk"


def test_get_and_country(tiny_gazetteer):
    assert tiny_gazetteer.get(629634).name == "Brest"
    assert tiny_gazetteer.get(1) is None
    assert tiny_gazetteer.country("ua").geonameid == 690791


def test_nearest(tiny_gazetteer):
    assert tiny_gazetteer.nearest(50.4, 30.6).geonameid == 703448
    with pytest.raises(QueryError):
        tiny_gazetteer.nearest(91.0, 0.0)


def test_unknown_and_blank_names(tiny_gazetteer):
    assert tiny_gazetteer.lookup("Atlantis") == []
    assert tiny_gazetteer.lookup("   ") == []
    assert tiny_gazetteer.lookup("\x00\x07") == []


@pytest.mark.parametrize("name", ["'; DROP TABLE places; --", "Kyiv' OR '1'='1", "%", "_", "Kyiv\u202eвиК", "東京"])
def test_hostile_names_are_just_names(tiny_gazetteer, name):
    tiny_gazetteer.lookup(name)
    assert top(tiny_gazetteer, "Kyiv").geonameid == 703448


def test_overlong_and_non_string_names_raise_query_error(tiny_gazetteer):
    with pytest.raises(QueryError):
        tiny_gazetteer.lookup("x" * 1_000_000)
    with pytest.raises(QueryError):
        tiny_gazetteer.lookup(None)


def test_bad_arguments(tiny_gazetteer):
    with pytest.raises(ConfigurationError):
        tiny_gazetteer.lookup("Kyiv", country="Ukraine")
    with pytest.raises(ConfigurationError):
        tiny_gazetteer.lookup("Kyiv", limit=0)


def test_missing_store(tmp_path):
    with pytest.raises(GazetteerNotFound):
        Gazetteer.open(tmp_path / "nope.sqlite")
    with pytest.raises(FileNotFoundError):
        Gazetteer.open(tmp_path / "nope.sqlite")


def test_corrupt_store(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerCorrupt):
        Gazetteer.open(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with pytest.raises(GazetteerCorrupt):
        Gazetteer.open(other)


def test_environment_variable_names_the_store(tiny_store, monkeypatch):
    monkeypatch.setenv("PLACEMAP_GAZETTEER", str(tiny_store))
    with Gazetteer.open() as gazetteer:
        assert gazetteer.meta["kind"] == "test"


def test_codes_match_only_when_written_as_codes(tiny_gazetteer):
    assert tiny_gazetteer.lookup("TX")[0].place.name == "Texas"
    assert tiny_gazetteer.lookup("US")[0].place.name == "United States"
    assert tiny_gazetteer.lookup("Tx") == []
    assert tiny_gazetteer.country_code_for("USA") == "US"
    # A name in capitals is still a name when no code is spelt that way: a dateline.
    assert tiny_gazetteer.lookup("KYIV")[0].place.geonameid == 703448
