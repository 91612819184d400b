import json
import re
from dataclasses import replace

import pytest

from phananh.report.categories import Category, all_categories, by_service_code, get_category

CATEGORIES = all_categories()


def test_there_are_at_least_twelve_fields_with_unique_codes():
    assert len(CATEGORIES) >= 12
    assert len({category.code for category in CATEGORIES}) == len(CATEGORIES)
    assert len({category.service_code for category in CATEGORIES}) == len(CATEGORIES)
    assert len(set(CATEGORIES)) == len(CATEGORIES)


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda category: category.code)
def test_codes_follow_their_schemes(category):
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", category.code)
    assert re.fullmatch(r"PA(-[A-Z]+)+", category.service_code)


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda category: category.code)
def test_names_and_descriptions_are_bilingual(category):
    for text in (category.name, category.description):
        assert set(text) == {"vi", "en"}
        assert all(value.strip() for value in text.values())
    assert category.keywords
    assert all(keyword == keyword.strip().lower() for keyword in category.keywords)


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda category: category.code)
def test_deadlines_are_positive_and_urgent_fields_are_resolved_in_hours(category):
    assert category.acknowledge_hours > 0
    if category.urgent:
        assert category.resolve_working_days == 0
        assert 0 < category.resolve_hours <= 24
        assert category.acknowledge_hours <= 1
    else:
        assert category.resolve_hours is None
        assert 0 < category.resolve_working_days <= 10
        assert category.acknowledge_hours <= 8


def test_dangers_to_life_fire_and_flooding_are_urgent():
    assert {"hazard", "fire_safety", "flooding", "landslide"} <= {
        category.code for category in CATEGORIES if category.urgent
    }
    assert get_category("hazard").resolve_hours == 3


def test_deadlines_follow_the_reference_practice():
    assert get_category("roads").resolve_working_days == 3
    assert get_category("construction").resolve_working_days == 7
    assert get_category("public_administration").resolve_working_days == 10


def test_local_order_starts_at_the_ward():
    assert get_category("urban_order").ward_level
    assert get_category("noise").ward_level
    assert not get_category("electricity").ward_level


def test_lookups_by_code_and_service_code():
    roads = get_category("roads")
    assert roads.service_code == "PA-ROADS"
    assert by_service_code("PA-ROADS") is roads
    for category in CATEGORIES:
        assert get_category(category.code) is category
        assert by_service_code(category.service_code) is category
    assert get_category("nope") is None
    assert by_service_code("pa-roads") is None


def test_public_shape_is_bilingual_and_json_ready():
    public = get_category("flooding").to_public()
    assert public == {
        "code": "flooding",
        "service_code": "PA-FLOODING",
        "name": {"vi": "Ngập nước, triều cường", "en": "Flooding"},
        "description": get_category("flooding").description,
        "urgent": True,
        "acknowledge_hours": 1,
        "resolve_working_days": 0,
        "resolve_hours": 3,
        "after_photo_required": True,
    }
    assert json.loads(json.dumps(public, ensure_ascii=False)) == public


def test_only_the_administrative_fields_are_resolved_without_an_after_photo():
    exempt = {category.code for category in CATEGORIES if not category.after_photo_required}
    assert exempt == {"public_administration", "education", "social_welfare"}
    assert get_category("education").to_public()["after_photo_required"] is False


def test_public_shape_in_one_language():
    roads = get_category("roads")
    assert roads.to_public("en")["name"] == "Roads, bridges and pavements"
    assert roads.to_public("vi")["name"] == "Đường sá, cầu, vỉa hè"
    assert roads.to_public("fr")["description"] == roads.description["vi"]


def test_public_shape_is_a_copy():
    roads = get_category("roads")
    roads.to_public()["name"]["vi"] = "changed"
    assert roads.name["vi"] == "Đường sá, cầu, vỉa hè"


@pytest.mark.parametrize(
    "changes",
    [
        {"acknowledge_hours": 0},
        {"resolve_working_days": 0},
        {"resolve_hours": 3},
        {"urgent": True},
        {"urgent": True, "resolve_working_days": 0, "resolve_hours": 0},
    ],
)
def test_inconsistent_deadlines_are_rejected(changes):
    with pytest.raises(ValueError):
        replace(get_category("roads"), **changes)


def test_a_consistent_urgent_field_is_accepted():
    urgent = replace(get_category("roads"), urgent=True, resolve_working_days=0, resolve_hours=3)
    assert isinstance(urgent, Category)
