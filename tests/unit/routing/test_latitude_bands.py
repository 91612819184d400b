import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from phananh.routing.geo import METRES_PER_DEGREE, haversine_m
from phananh.routing.latitude_bands import BAND_DEG, band_key, lon_key, windows


def _found_by(windows_, category_code: str, lat: float, lon: float) -> bool:
    """Whether a report of the field at (lat, lon) is read by one of the queries."""
    return any(
        window.band == band_key(category_code, lat) and window.lon_from <= lon_key(lon) <= window.lon_to
        for window in windows_
    )


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point `north_m` north and `east_m` east of (lat, lon), on the local flat approximation."""
    return lat + north_m / METRES_PER_DEGREE, lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))


def test_the_band_key_names_the_field_and_the_band_of_latitude():
    assert band_key("roads", 9.779) == f"roads#{math.floor(9.779 / BAND_DEG)}"
    assert band_key("roads", -0.001) == "roads#-1"


def test_longitude_keys_sort_as_the_longitudes_do():
    longitudes = [-180.0, -105.47, -0.000001, 0.0, 9.5, 105.47, 105.470001, 179.999999, 180.0]
    keys = [lon_key(lon) for lon in longitudes]
    assert keys == sorted(keys)
    assert len({len(key) for key in keys}) == 1


def test_a_duplicate_lookup_in_the_middle_of_a_band_is_one_query():
    middle = (math.floor(9.779 / BAND_DEG) + 0.5) * BAND_DEG
    assert len(windows("roads", middle, 105.47, 150)) == 1


def test_a_report_40_metres_away_across_a_band_edge_is_found():
    edge = math.ceil(9.779 / BAND_DEG) * BAND_DEG
    here = (edge - 10 / METRES_PER_DEGREE, 105.47)
    across = (edge + 30 / METRES_PER_DEGREE, 105.47)
    assert band_key("roads", here[0]) != band_key("roads", across[0])
    assert 39 < haversine_m(*here, *across) < 41
    searched = windows("roads", *here, 50)
    assert len(searched) == 2
    assert _found_by(searched, "roads", *across)


def test_the_widest_public_search_touches_two_bands_at_most():
    # 500 m asked for, plus the 100 m a photo's point may have been rounded by.
    for north_m in range(0, 2000, 37):
        lat = 9.779 + north_m / METRES_PER_DEGREE
        assert len(windows("roads", lat, 105.47, 600)) <= 2


def test_only_the_fields_band_is_read():
    assert {window.band.split("#")[0] for window in windows("lighting", 9.779, 105.47, 500)} == {"lighting"}


def test_a_search_over_the_antimeridian_reads_both_ends_of_the_band():
    searched = windows("roads", 10.0, 179.9999, 100)
    assert _found_by(searched, "roads", 10.0, -179.9999)
    assert _found_by(searched, "roads", 10.0, 179.9995)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-80, 80), lon=st.floats(-180, 180), radius_m=st.floats(1, 2000),
    north=st.floats(-1.2, 1.2), east=st.floats(-1.2, 1.2),
)
def test_every_point_within_the_radius_is_read(lat, lon, radius_m, north, east):
    point = _offset(lat, lon, north * radius_m, east * radius_m)
    point = (point[0], (point[1] + 180) % 360 - 180)
    assume(haversine_m(lat, lon, *point) <= radius_m)
    assert _found_by(windows("roads", lat, lon, radius_m), "roads", *point)


def test_a_query_reads_its_band_only_as_wide_as_the_circle():
    lat, lon = (math.floor(9.779 / BAND_DEG) + 0.5) * BAND_DEG, 105.47
    searched = windows("roads", lat, lon, 150)
    assert _found_by(searched, "roads", *_offset(lat, lon, 0, 149))
    assert not _found_by(searched, "roads", *_offset(lat, lon, 0, 160))
    assert not _found_by(searched, "roads", *_offset(lat, lon, 0, -160))
