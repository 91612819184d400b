from phananh.routing.geo import haversine_m
from phananh.routing.geocell import cell_size, encode, neighbourhood


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
