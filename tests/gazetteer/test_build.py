import gzip
import zipfile
from pathlib import Path

import pytest

from placemap.evaluate import haversine_km
from placemap.exc import GazetteerNotFound, InputFormatError
from placemap.gazetteer import Gazetteer
from placemap.gazetteer.build import StoreWriter, add_places
from placemap.gazetteer.schema import SCHEMA_VERSION
from placemap.gazetteer.sources import read_geonames_dump, read_places_csv

ROW = "{id}\t{name}\t{name}\t{alts}\t{lat}\t{lon}\tP\tPPL\tUA\t\t14\t\t\t\t{pop}\t\t100\tEurope/Kyiv\t2024-01-01\n"


def write_dump(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(rows), encoding="utf-8")
    return path


def build(tmp_path: Path, *sources) -> Path:
    writer = StoreWriter()
    for records in sources:
        writer.add(records, "test")
    store = tmp_path / "store.sqlite"
    writer.write(store, {"schema_version": SCHEMA_VERSION, "sources": "test"})
    return store


def test_a_dump_in_the_official_format_is_ingested(tmp_path):
    dump = write_dump(
        tmp_path / "UA.txt", [ROW.format(id=1, name="Robotyne", alts="Роботине", lat=47.44, lon=35.84, pop=480)]
    )
    with Gazetteer.open(build(tmp_path, read_geonames_dump(dump))) as gazetteer:
        place = gazetteer.lookup("Роботине")[0].place
    assert (place.geonameid, place.name, place.feature_code) == (1, "Robotyne", "PPL")


def test_zipped_and_gzipped_dumps(tmp_path):
    row = ROW.format(id=2, name="Krynky", alts="", lat=46.73, lon=33.09, pop=1000)
    with zipfile.ZipFile(tmp_path / "UA.zip", "w") as archive:
        archive.writestr("UA.txt", row)
        archive.writestr("readme.txt", "not data")
    with gzip.open(tmp_path / "no-country.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(row)
    assert [r.name for r in read_geonames_dump(tmp_path / "UA.zip")] == ["Krynky"]
    assert [r.name for r in read_geonames_dump(tmp_path / "no-country.txt.gz")] == ["Krynky"]


@pytest.mark.parametrize(
    "bad",
    [
        "1\tonly three\tcolumns\n",
        ROW.format(id="x", name="A", alts="", lat=1, lon=1, pop=0),
        ROW.format(id=3, name="A", alts="", lat=95, lon=1, pop=0),
    ],
)
def test_a_malformed_dump_line_is_reported_with_its_number(tmp_path, bad):
    good = ROW.format(id=4, name="B", alts="", lat=1, lon=1, pop=0)
    dump = write_dump(tmp_path / "bad.txt", [good, bad])
    with pytest.raises(InputFormatError, match=r"bad.txt:2:"):
        list(read_geonames_dump(dump))


def test_a_failed_build_leaves_no_store_behind(tmp_path):
    dump = write_dump(tmp_path / "bad.txt", ["garbage\n"])
    writer = StoreWriter()
    with pytest.raises(InputFormatError):
        writer.add(read_geonames_dump(dump), "bad")
    assert not list(tmp_path.glob("*.sqlite*"))


def test_dump_rows_replace_cities500_rows_with_the_same_id_and_keep_their_names(tmp_path):
    first = write_dump(tmp_path / "a.txt", [ROW.format(id=5, name="Kiev", alts="Kyjiw", lat=50.4, lon=30.5, pop=1)])
    second = write_dump(tmp_path / "b.txt", [ROW.format(id=5, name="Kyiv", alts="", lat=50.45, lon=30.52, pop=2)])
    with Gazetteer.open(build(tmp_path, read_geonames_dump(first), read_geonames_dump(second))) as gazetteer:
        assert gazetteer.lookup("Kyjiw")[0].place.name == "Kyiv"
        assert gazetteer.counts()["places"] == 1


def test_user_places_win_over_defaults(tiny_store, tmp_path):
    store = tmp_path / "copy.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    places = tmp_path / "places.csv"
    places.write_text(
        "name,lat,lon,country_code,feature_code,aliases,geonameid\n"
        "Brest checkpoint,52.08,23.66,BY,PSTB,Brest|Warsaw Bridge,\n"
        "Odesa,,,,,Odessa port,698740\n",
        encoding="utf-8",
    )
    assert add_places(store, places) == 2
    with Gazetteer.open(store) as gazetteer:
        assert gazetteer.lookup("Brest")[0].place.name == "Brest checkpoint"
        assert gazetteer.lookup("Odessa port")[0].place.geonameid == 698740
        assert gazetteer.lookup("Odessa")[0].place.country_code == "UA"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("place,lat\nX,1\n", "missing column"),
        ("name,lat,lon\nX,north,1\n", ":2: not a number"),
        ("name,lat,lon\nX,1,\n", ":2: give both"),
        ("name,lat,lon\nX,,\n", ":2: a row without coordinates needs a geonameid"),
        ("name,lat,lon\nX,91,1\n", ":2: coordinates out of range"),
    ],
)
def test_a_malformed_places_csv_is_reported_with_its_line(tmp_path, content, message):
    path = tmp_path / "places.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFormatError, match=message):
        list(read_places_csv(path))


def test_adding_to_a_missing_store(tmp_path):
    with pytest.raises(GazetteerNotFound):
        add_places(tmp_path / "none.sqlite", tmp_path / "places.csv")


def test_the_real_ukraine_dump(shared_file, tmp_path):
    records = list(read_geonames_dump(shared_file("data", "gazetteer", "UA.zip")))
    assert len(records) > 40_000
    with Gazetteer.open(build(tmp_path, records)) as gazetteer:
        oblast = gazetteer.lookup("Donetsk region")[0].place
        assert (oblast.geonameid, oblast.feature_code) == (709716, "ADM1")
        assert gazetteer.lookup("Dnipro river")[0].place.feature_class == "H"


def test_the_real_no_country_dump(shared_file, tmp_path):
    records = list(read_geonames_dump(shared_file("data", "gazetteer", "no-country.txt.gz")))
    with Gazetteer.open(build(tmp_path, records)) as gazetteer:
        sea = gazetteer.lookup("Black Sea")[0].place
        assert sea.feature_code == "SEA"


def test_embedded_demonyms_name_the_most_populous_country_and_regions(embedded_gazetteer):
    # "French" is also the demonym of the French Southern Territories.
    assert embedded_gazetteer.demonym("French").country_code == "FR"
    assert embedded_gazetteer.demonym("English").name == "England"
    assert embedded_gazetteer.demonym("European").name == "Europe"
    # A region we curate without a GeoNames id is named by its name.
    assert embedded_gazetteer.demonym("Central American").name == "Central America"
    assert embedded_gazetteer.demonym("Kurdish").name == "Kurdistan Region"
    assert [c.place.name for c in embedded_gazetteer.lookup("EU")] == ["European Union"]


def test_embedded_units_no_admin1_unit_claims_are_second_level_units(embedded_gazetteer):
    # London's boroughs, and units GeoNames has replaced that news archives still name.
    camden = [c.place for c in embedded_gazetteer.lookup("Camden", country="GB") if c.place.feature_code == "ADM2"]
    assert camden and camden[0].admin1_code == "ENG"
    nyanza = [c.place for c in embedded_gazetteer.lookup("Nyanza") if c.place.country_code == "KE"]
    assert nyanza and nyanza[0].geonameid == 182763
    assert any(c.place.country_code == "NO" for c in embedded_gazetteer.lookup("Buskerud"))


def test_embedded_islands_the_news_names(embedded_gazetteer):
    # cities500 has towns, not islands: Bali would be a town in Rajasthan.
    assert embedded_gazetteer.lookup("Bali")[0].place.country_code == "ID"
    assert embedded_gazetteer.lookup("Lesvos")[0].place.name == "Lesbos"
    assert embedded_gazetteer.lookup("Falklands")[0].place.country_code == "FK"


def test_embedded_us_counties_leave_out_independent_cities(embedded_gazetteer):
    # Baltimore city and Suffolk, Virginia, are cities with county codes, not "... County".
    counties = [c.place for c in embedded_gazetteer.lookup("Baltimore County") if c.place.feature_code == "ADM2"]
    assert len(counties) == 1 and counties[0].lat > 39.4
    assert {c.place.admin1_code for c in embedded_gazetteer.lookup("Suffolk County", country="US")} == {"MA", "NY"}


def test_an_admin1_unit_lies_at_the_centre_of_its_area(embedded_gazetteer):
    hawaii = next(c.place for c in embedded_gazetteer.lookup("Hawaii") if c.place.is_admin1)
    # Natural Earth's label point sits on Oahu, 190 km from the state's centre of area.
    assert haversine_km(hawaii.lat, hawaii.lon, 21.31, -157.86) > 150
    assert haversine_km(hawaii.lat, hawaii.lon, 20.5, -156.3) < 50


def test_the_eu_lies_at_its_geographic_centre_not_at_brussels(embedded_gazetteer):
    eu = embedded_gazetteer.lookup("EU")[0].place
    assert haversine_km(eu.lat, eu.lon, 50.85, 4.35) > 300  # Brussels
    assert eu.feature_code == "RGN"


def test_a_capital_keeps_its_name_from_its_countrys_translations(embedded_gazetteer):
    # Croatian calls Tunisia "Tunis"; the name is the capital's.
    assert embedded_gazetteer.lookup("Tunis")[0].place.feature_code == "PPLC"
    assert not any(c.place.is_country for c in embedded_gazetteer.lookup("Tunis"))


def test_korea_alone_is_south_korea(embedded_gazetteer):
    assert embedded_gazetteer.lookup("Korea")[0].place.geonameid == 1835841


def test_new_york_alone_is_the_city_and_with_state_the_state(embedded_gazetteer):
    assert embedded_gazetteer.lookup("New York")[0].place.geonameid == 5128581
    assert embedded_gazetteer.lookup("New York state")[0].place.feature_code == "ADM1"


def test_an_arabic_name_is_found_without_its_article(embedded_gazetteer):
    qamishli = embedded_gazetteer.lookup("Qamishli")[0]
    assert (qamishli.place.country_code, qamishli.exact) == ("SY", False)  # GeoNames: "Al Qāmishlī"
    assert embedded_gazetteer.lookup("Al Qamishli")[0].exact
    # Only in Arabic-speaking countries: El Paso, Texas, is not "Paso".
    assert all(c.place.country_code != "US" for c in embedded_gazetteer.lookup("Paso"))


def test_only_usa_of_the_alpha3_codes_names_a_country(embedded_gazetteer):
    assert embedded_gazetteer.lookup("USA")[0].place.geonameid == 6252001
    assert not any(c.place.is_country for c in embedded_gazetteer.lookup("MAC"))  # cosmetics, not Macao


def test_seats_of_power_outrank_the_towns_named_after_them(embedded_gazetteer):
    # Casablanca is also "White House" in GeoNames, but only as an alternate name.
    best_own = next(c for c in embedded_gazetteer.lookup("White House") if c.exact)
    assert (best_own.place.feature_code, best_own.place.admin1_code) == ("BLDG", "DC")
    assert embedded_gazetteer.lookup("Kremlin")[0].place.country_code == "RU"


def _add_when_released(store, places, barrier) -> None:
    barrier.wait()
    add_places(store, places)


def test_concurrent_adds_to_one_store_lose_no_row(tiny_store, tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("fork")  # the test's imports are shared: both start at once
    for attempt in range(4):
        store = tmp_path / f"store{attempt}.sqlite"
        store.write_bytes(tiny_store.read_bytes())
        files = []
        for writer in ("a", "b"):
            places = tmp_path / f"{writer}{attempt}.csv"
            places.write_text(f"name,lat,lon\nCheckpoint {writer.upper()},48.1,37.7\n", encoding="utf-8")
            files.append(places)
        barrier = context.Barrier(2)
        workers = [context.Process(target=_add_when_released, args=(store, f, barrier)) for f in files]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [worker.exitcode for worker in workers] == [0, 0]
        with Gazetteer.open(store) as gazetteer:
            assert gazetteer.lookup("Checkpoint A") and gazetteer.lookup("Checkpoint B"), f"attempt {attempt}"


def _slow_tiny_writer() -> StoreWriter:
    """The fixture's places, built slowly enough that a second run surely comes while it builds."""
    import time

    time.sleep(1.0)
    writer = StoreWriter()
    writer.add(read_places_csv(Path(__file__).parents[1] / "fixtures" / "tiny_places.csv", source="geonames"), "tiny")
    return writer


def _build_when_released(store, barrier) -> None:
    import os

    from placemap.exc import FileBusy
    from placemap.gazetteer.build import build_embedded

    barrier.wait()
    try:
        build_embedded(store)
    except FileBusy:
        os._exit(3)


def _add_after_a_moment(store, places, barrier) -> None:
    import time

    barrier.wait()
    time.sleep(0.3)  # the build has the store by now
    add_places(store, places)


def _run_together(targets) -> list[int | None]:
    import multiprocessing

    context = multiprocessing.get_context("fork")  # the test's imports and patches are shared
    barrier = context.Barrier(len(targets))
    workers = [context.Process(target=target, args=(*args, barrier)) for target, *args in targets]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return [worker.exitcode for worker in workers]


def test_two_builds_of_one_store_at_once_refuse_the_second(tiny_store, tmp_path, monkeypatch):
    import placemap.gazetteer.build

    monkeypatch.setattr(placemap.gazetteer.build, "_embedded_writer", _slow_tiny_writer)
    store = tmp_path / "new.sqlite"  # none yet: the lock's empty file must not be taken for a store
    codes = _run_together([(_build_when_released, store), (_build_when_released, store)])
    assert sorted(codes) == [0, 3]
    with Gazetteer.open(store) as gazetteer:
        assert gazetteer.lookup("Kyiv") and gazetteer.meta["kind"] == "embedded"


def test_an_add_during_a_build_waits_and_keeps_its_rows(tiny_store, tmp_path, monkeypatch):
    import placemap.gazetteer.build

    monkeypatch.setattr(placemap.gazetteer.build, "_embedded_writer", _slow_tiny_writer)
    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())
    places = tmp_path / "mine.csv"
    places.write_text("name,lat,lon\nCheckpoint A,48.1,37.7\n", encoding="utf-8")
    # Unlocked, the add finished first and the build's rename then dropped its row.
    assert _run_together([(_build_when_released, store), (_add_after_a_moment, store, places)]) == [0, 0]
    with Gazetteer.open(store) as gazetteer:
        assert gazetteer.meta["kind"] == "embedded" and "mine.csv: 1 rows" in gazetteer.meta["user_places"]
        assert gazetteer.lookup("Checkpoint A")


def test_a_failed_build_of_a_new_store_leaves_no_file(tmp_path, monkeypatch):
    import placemap.gazetteer.build
    from placemap.gazetteer.build import build_embedded

    def broken() -> StoreWriter:
        raise OSError("disk full")

    monkeypatch.setattr(placemap.gazetteer.build, "_embedded_writer", broken)
    with pytest.raises(OSError, match="disk full"):
        build_embedded(tmp_path / "new.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_a_store_built_while_a_first_use_waited_is_not_built_again(tiny_store, tmp_path, monkeypatch):
    import placemap.gazetteer.build
    from placemap.gazetteer.build import build_embedded

    monkeypatch.setattr(placemap.gazetteer.build, "_embedded_writer", lambda: pytest.fail("built again"))
    store = tmp_path / "store.sqlite"
    store.write_bytes(tiny_store.read_bytes())  # what the run it waited for (a download, say) wrote
    assert build_embedded(store, wait=True, if_missing=True) == store
    assert store.read_bytes() == tiny_store.read_bytes()
