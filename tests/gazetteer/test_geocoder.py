import pytest
from geopy.location import Location

from placemap.gazetteer import OfflineGeocoder


@pytest.fixture()
def geocoder(tiny_gazetteer):
    return OfflineGeocoder(tiny_gazetteer)


def test_geocode_returns_a_geopy_location_with_our_fields(geocoder):
    location = geocoder.geocode("Brest, Belarus")
    assert isinstance(location, Location)
    assert location.latitude == pytest.approx(52.09755) and location.longitude == pytest.approx(23.68775)
    for key in ("geonameid", "feature_code", "country_code", "admin1_code", "population", "score"):
        assert key in location.raw
    assert location.raw["geonameid"] == 629634


def test_country_codes_and_many_results(geocoder):
    assert geocoder.geocode("Brest", country_codes="FR").raw["country_code"] == "FR"
    several = geocoder.geocode("Brest", exactly_one=False)
    assert [loc.raw["country_code"] for loc in several] == ["BY", "FR"]


def test_unknown_name_is_none_not_an_empty_list(geocoder):
    assert geocoder.geocode("Atlantis") is None
    assert geocoder.geocode("Atlantis", exactly_one=False) is None


def test_reverse_finds_the_nearest_populated_place(geocoder):
    assert geocoder.reverse((50.44, 30.50)).raw["geonameid"] == 703448
    assert geocoder.reverse("46.47, 30.73").raw["name"] == "Odesa"


def test_geopandas_geocode_with_the_offline_provider(tiny_store):
    from geopandas.tools import geocode

    frame = geocode(["Kyiv", "Odessa", "Brest, Belarus"], provider=OfflineGeocoder, gazetteer=str(tiny_store))
    assert list(frame["address"].str.split(",").str[0]) == ["Kyiv", "Odesa", "Brest"]
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.x.iloc[0] == pytest.approx(30.5238)  # x is longitude
