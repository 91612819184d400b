import importlib.util
import json
import math
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from import_probe import modules_loaded_by
from repo_files import WARDS_FILE

from phananh.routing.geo import METRES_PER_DEGREE, WardDataError, haversine_m, load_wards

CAN_THO_CENTRE = (10.03, 105.78)


@pytest.fixture(scope="module")
def features():
    return json.loads(WARDS_FILE.read_text(encoding="utf-8"))["features"]


def package_rows():
    folder = next(iter(importlib.util.find_spec("vietnamadminunits").submodule_search_locations))
    database = Path(folder) / "data" / "dataset.db"
    with closing(sqlite3.connect(database.as_uri() + "?mode=ro", uri=True)) as connection:
        return {
            code: (name, lat, lon)
            for code, name, lat, lon in connection.execute("SELECT wardCode, ward, wardLat, wardLon FROM admin_units")
        }


def test_the_service_area_has_the_28_wards_of_the_file_sorted_by_code(wards, features):
    codes = [ward.code for ward in wards.all()]
    assert len(codes) == 28
    assert codes == sorted(feature["properties"]["code"] for feature in features)
    assert {ward.ward_type for ward in wards.all()} == {"phường", "xã"}
    assert {ward.province_code for ward in wards.all()} == {"92"}


def test_vietnamese_names_and_centres_come_from_the_package_english_from_the_file(wards, features):
    rows = package_rows()
    english = {feature["properties"]["code"]: feature["properties"]["fullNameEn"] for feature in features}
    for ward in wards.all():
        name, lat, lon = rows[ward.code]
        assert ward.name == {"vi": name, "en": english[ward.code]}
        assert ward.centre == (lat, lon)
        assert name.endswith(ward.short_name)
    # The file spells it "Xã Hoà An"; the package's spelling wins.
    assert wards.get("31393").name["vi"] == "Xã Hòa An"


def test_a_point_in_vi_thanh_is_located_in_phuong_vi_thanh(wards):
    ward = wards.locate(9.779, 105.47)
    assert ward is not None
    assert ward.code == "31321"
    assert ward.name == {"vi": "Phường Vị Thanh", "en": "Vi Thanh Ward"}
    assert ward.short_name == "Vị Thanh"
    assert ward.ward_type == "phường"
    assert wards.get("31321") is ward


def test_every_ward_centre_lies_in_its_own_ward(wards):
    for ward in wards.all():
        assert wards.locate(*ward.centre) == ward


def test_can_tho_city_centre_is_outside_the_hau_giang_area(wards):
    assert wards.locate(*CAN_THO_CENTRE) is None
    assert not wards.within_service_area(*CAN_THO_CENTRE, margin_m=2000)
    assert wards.nearest(*CAN_THO_CENTRE, max_distance_m=5000) is None


def test_nearest_returns_the_closest_centre_and_its_distance(wards):
    ward, distance = wards.nearest(*CAN_THO_CENTRE, max_distance_m=20_000)
    assert ward.code == "31366"  # Xã Châu Thành, the north-eastern corner of the area
    assert distance == pytest.approx(haversine_m(*CAN_THO_CENTRE, *ward.centre))
    assert 9_000 < distance < 11_000
    assert all(haversine_m(*CAN_THO_CENTRE, *other.centre) >= distance for other in wards.all())


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(9.0, 106.5), (21.0285, 105.8542), (0.0, 0.0), (math.nan, 105.47)],
    ids=["east-sea", "hanoi", "null-island", "nan"],
)
def test_far_away_points_are_outside(wards, lat, lon):
    assert wards.locate(lat, lon) is None
    assert not wards.within_service_area(lat, lon, margin_m=5000)
    assert wards.nearest(lat, lon, max_distance_m=50_000) is None


def test_points_inside_are_in_the_service_area_without_margin(wards):
    assert wards.within_service_area(9.779, 105.47)
    assert all(wards.within_service_area(*ward.centre, margin_m=0) for ward in wards.all())


def extreme_vertex(features, key):
    vertices = (
        (lon, lat)
        for feature in features
        for polygon in feature["geometry"]["coordinates"]
        for ring in polygon
        for lon, lat in ring
    )
    return max(vertices, key=key)


def test_margin_north_of_the_northernmost_vertex(wards, features):
    # Nothing lies north of the northernmost vertex, so a point 1 km due north of it is exactly
    # 1 km from the area.
    lon, lat = extreme_vertex(features, key=lambda vertex: vertex[1])
    north = lat + 1000 / METRES_PER_DEGREE
    assert wards.locate(north, lon) is None
    assert not wards.within_service_area(north, lon)
    assert not wards.within_service_area(north, lon, margin_m=990)
    assert wards.within_service_area(north, lon, margin_m=1010)


def test_margin_east_of_the_easternmost_vertex_scales_longitude(wards, features):
    # 1 km east at ~10°N is ~0.0091° of longitude; without the cos(lat) scaling it would
    # measure ~1015 m and the 1010 m margin would fail.
    lon, lat = extreme_vertex(features, key=lambda vertex: vertex[0])
    east = lon + 1000 / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    assert haversine_m(lat, lon, lat, east) == pytest.approx(1000, rel=1e-3)
    assert not wards.within_service_area(lat, east, margin_m=990)
    assert wards.within_service_area(lat, east, margin_m=1010)


def test_negative_margin_is_rejected(wards):
    with pytest.raises(ValueError, match="margin_m"):
        wards.within_service_area(9.779, 105.47, margin_m=-1)


def test_load_wards_is_cached_per_file(wards):
    assert load_wards(str(WARDS_FILE)) is wards
    assert load_wards(WARDS_FILE.resolve()) is wards


def test_haversine_matches_a_known_distance():
    # One degree of latitude on the mean-radius sphere.
    assert haversine_m(9.0, 105.0, 10.0, 105.0) == pytest.approx(METRES_PER_DEGREE)
    assert haversine_m(9.78, 105.47, 9.78, 105.47) == 0


def write_geojson(tmp_path, document):
    path = tmp_path / "wards.geojson"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def one_ward(features, **property_changes):
    feature = json.loads(json.dumps(features[0]))
    feature["properties"].update(property_changes)
    return {"type": "FeatureCollection", "features": [feature]}


def test_a_missing_file_raises_ward_data_error(tmp_path):
    with pytest.raises(WardDataError, match="not found"):
        load_wards(tmp_path / "nowhere.geojson")


@pytest.mark.parametrize(
    "document",
    [
        "{not json",
        [],
        {"type": "Feature"},
        {"type": "FeatureCollection", "features": []},
        {"type": "FeatureCollection", "features": ["x"]},
        {"type": "FeatureCollection", "features": [{"properties": {"code": "31321"}}]},
    ],
    ids=["bad-json", "array", "not-collection", "empty", "not-feature", "no-geometry"],
)
def test_an_unusable_file_raises_ward_data_error(tmp_path, document):
    with pytest.raises(WardDataError):
        load_wards(write_geojson(tmp_path, document))


def test_duplicate_codes_raise_ward_data_error(tmp_path, features):
    document = one_ward(features)
    document["features"] *= 2
    with pytest.raises(WardDataError, match="twice"):
        load_wards(write_geojson(tmp_path, document))


def test_a_code_unknown_to_the_package_raises_ward_data_error(tmp_path, features):
    with pytest.raises(WardDataError, match="99999"):
        load_wards(write_geojson(tmp_path, one_ward(features, code="99999")))


def test_broken_coordinates_raise_ward_data_error_on_first_use(tmp_path, features):
    document = one_ward(features)
    document["features"][0]["geometry"]["coordinates"] = [[["a"]]]
    wards = load_wards(write_geojson(tmp_path, document))
    with pytest.raises(WardDataError, match="geometry"):
        wards.locate(9.779, 105.47)


def test_english_name_falls_back_to_vietnamese(tmp_path, features):
    document = one_ward(features)
    del document["features"][0]["properties"]["fullNameEn"]
    (ward,) = load_wards(write_geojson(tmp_path, document)).all()
    assert ward.name == {"vi": "Phường Vị Thanh", "en": "Phường Vị Thanh"}


def test_importing_geo_loads_neither_shapely_nor_the_names_database():
    watched = ("shapely", "numpy", "sqlite3", "vietnamadminunits")
    modules = "phananh.routing.geo, phananh.report.categories, phananh.routing.directory"
    assert modules_loaded_by(f"import {modules}", watched) == set()


def test_plain_polygons_and_codes_in_the_feature_id_are_accepted(tmp_path, features):
    document = one_ward(features)
    feature = document["features"][0]
    del feature["properties"]["code"]
    (polygon,) = feature["geometry"]["coordinates"]
    feature["geometry"] = {"type": "Polygon", "coordinates": polygon}
    wards = load_wards(write_geojson(tmp_path, document))
    assert wards.locate(9.779, 105.47).code == "31321"
