import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from phananh.routing.geo import METRES_PER_DEGREE, haversine_m
from phananh.routing.geocell import cell_size, cells_within, encode, neighbourhood


def test_known_geohashes():
    # Reference values of the geohash algorithm.
    assert encode(57.64911, 10.40744, 11) == "u4pruydqqvj"
    assert encode(-25.382708, -49.265506, 8) == "6gkzwgjz"


def test_cells_at_precision_7_are_about_150_metres_near_vi_thanh():
    height, width = cell_size()
    assert 140 < haversine_m(9.779, 105.47, 9.779 + height, 105.47) < 160
    assert 140 < haversine_m(9.779, 105.47, 9.779, 105.47 + width) < 160


def test_any_point_within_50_metres_is_in_the_neighbourhood():
    lat, lon = 9.7794, 105.4701
    cells = set(neighbourhood(lat, lon))
    assert len(cells) == 9
    for d_lat, d_lon in [(0.00045, 0), (-0.00045, 0), (0, 0.00045), (0, -0.00045), (0.0003, 0.0003)]:
        assert haversine_m(lat, lon, lat + d_lat, lon + d_lon) <= 60
        assert encode(lat + d_lat, lon + d_lon) in cells


# --- cells_within: the cells a wider search (GET /public/nearby, up to 500 m) looks up ------------

def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point `north_m` north and `east_m` east of (lat, lon), on the local flat approximation."""
    return lat + north_m / METRES_PER_DEGREE, lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-60, 60), lon=st.floats(-179.99, 179.99), radius_m=st.floats(1, 2000),
    north=st.floats(-1.2, 1.2), east=st.floats(-1.2, 1.2),
)
def test_every_point_within_the_radius_is_in_a_returned_cell(lat, lon, radius_m, north, east):
    point = _offset(lat, lon, north * radius_m, east * radius_m)
    assume(-180 <= point[1] < 180 and haversine_m(lat, lon, *point) <= radius_m)
    assert encode(*point) in cells_within(lat, lon, radius_m)


def _cell_bounds(lat: float, lon: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the precision-7 cell that holds the point."""
    height, width = cell_size()
    south = math.floor((lat + 90) / height) * height - 90
    west = math.floor((lon + 180) / width) * width - 180
    return south, west, south + height, west + width


def test_a_small_circle_in_the_middle_of_a_cell_looks_up_that_cell_only():
    south, west, north, east = _cell_bounds(9.779, 105.47)
    centre = ((south + north) / 2, (west + east) / 2)
    assert cells_within(*centre, 1) == [encode(*centre)]
    # The neighbourhood of the same point is nine cells: the radius makes the search narrower.
    assert len(neighbourhood(*centre)) == 9


def test_a_small_circle_over_a_cell_edge_takes_the_cell_beyond_it():
    south, _, north, east = _cell_bounds(9.779, 105.47)
    middle_lat = (south + north) / 2
    just_inside = (middle_lat, east - 2 / (METRES_PER_DEGREE * math.cos(math.radians(middle_lat))))
    beyond = (middle_lat, east + 1e-7)
    assert encode(*just_inside) != encode(*beyond)
    assert cells_within(*just_inside, 5) == sorted({encode(*just_inside), encode(*beyond)})
    assert cells_within(*just_inside, 1) == [encode(*just_inside)]


def test_a_small_circle_on_a_cell_corner_takes_the_four_cells_that_meet_there():
    south, west, _, _ = _cell_bounds(9.779, 105.47)
    corner = (south, west)
    cells = cells_within(*corner, 3)
    around = {encode(south + d_lat, west + d_lon) for d_lat in (-1e-7, 1e-7) for d_lon in (-1e-7, 1e-7)}
    assert set(cells) == around and len(cells) == 4


def test_a_500_metre_circle_near_vi_thanh_stays_a_small_square_of_cells():
    cells = cells_within(9.779, 105.47, 500)
    # ~150 m cells: 1000 m across is 7 or 8 cells each way, never the whole neighbourhood of the area.
    assert 7 * 7 <= len(cells) <= 8 * 8
    assert set(neighbourhood(9.779, 105.47)) <= set(cells)
