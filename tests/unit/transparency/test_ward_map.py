"""The wards for maps in the browser (transparency.ward_map): outlines thinned by Douglas–Peucker and
rounded, small enough for the web, every ward kept with its code and names; the ETag."""

import json

import pytest
from repo_files import WARDS_FILE

from phananh.routing.geo import load_wards
from phananh.transparency import ward_map


def test_the_configured_wards_come_out_well_under_300_kb_each_with_code_and_names():
    outlines = ward_map.ward_map(WARDS_FILE)
    assert len(outlines.body.encode("utf-8")) < 150_000 < WARDS_FILE.stat().st_size
    document = json.loads(outlines.body)
    wards = load_wards(WARDS_FILE)
    assert [feature["properties"]["code"] for feature in document["features"]] == [ward.code for ward in wards.all()]
    first = document["features"][0]
    assert set(first["properties"]) == {"code", "name", "nameEn"} and first["properties"]["name"]
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_a_simplified_ward_still_holds_its_centre():
    """Thinning moves a border by at most about 11 m: each ward's centre stays inside its outline."""
    import shapely

    document = json.loads(ward_map.ward_map(WARDS_FILE).body)
    wards = {ward.code: ward for ward in load_wards(WARDS_FILE).all()}
    inside = 0
    for feature in document["features"]:
        lat, lon = wards[feature["properties"]["code"]].centre
        original = shapely.geometry.shape(load_wards(WARDS_FILE).outline(feature["properties"]["code"])[1])
        simplified = shapely.geometry.shape(feature["geometry"])
        assert simplified.area == pytest.approx(original.area, rel=0.02)
        inside += simplified.contains(shapely.Point(lon, lat)) == original.contains(shapely.Point(lon, lat))
    assert inside == len(document["features"])


def test_douglas_peucker_keeps_the_corners_and_drops_what_lies_on_a_line():
    points = [(0.0, 0.0), (1.0, 0.00001), (2.0, 0.0), (2.0, 2.0), (1.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    assert ward_map.thin(points, 0.001) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    ring = ward_map.simplify_ring([[x, y] for x, y in points])
    assert ring[0] == ring[-1] and len(ring) == 5


def test_a_ring_too_small_to_draw_is_dropped_but_an_island_keeps_its_outline():
    tiny = [[105.0, 9.0], [105.000001, 9.0], [105.000001, 9.000001], [105.0, 9.0]]
    assert ward_map.simplify_ring(tiny) is None
    island = [[105.0, 9.0], [105.00005, 9.0], [105.00005, 9.00005], [105.0, 9.00005], [105.0, 9.0]]
    geometry = ward_map.simplify_geometry({"type": "MultiPolygon", "coordinates": [[island, tiny]]})
    assert geometry == {"type": "MultiPolygon", "coordinates": [[island]]}


@pytest.mark.parametrize("header, fresh", [
    (None, False), ("", False), ('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ("*", True),
    ('"abcd"', False),
])
def test_if_none_match_names_the_etag(header, fresh):
    assert ward_map.matches(header, '"abc"') is fresh
