"""The demo directory the local stack seeds: whole, consistent, and obviously fake."""

import re
from collections import Counter

import pytest

from phananh.report.categories import all_categories
from phananh.routing.directory import CITY_COMMITTEE_ID, COORDINATORS_ID
from phananh_local.demo_directory import demo_directory, ward_committee_id


@pytest.fixture(scope="module")
def directory(wards):
    return demo_directory(wards)


@pytest.fixture(scope="module")
def units_by_id(directory):
    units, _ = directory
    return {unit.unit_id: unit for unit in units}


def test_ids_are_unique(directory, units_by_id):
    units, officers = directory
    assert len(units_by_id) == len(units)
    assert len({officer.officer_id for officer in officers}) == len(officers)


def test_every_category_owner_is_a_unit(units_by_id):
    for category in all_categories():
        assert category.default_owner in units_by_id, category.code


def test_every_ward_has_exactly_one_committee(wards, units_by_id):
    committees = [unit for unit in units_by_id.values() if unit.kind == "ward_committee"]
    assert sorted(unit.ward_code for unit in committees) == [ward.code for ward in wards.all()]
    for ward in wards.all():
        committee = units_by_id[ward_committee_id(ward.code)]
        assert committee.ward_code == ward.code
        assert committee.parent_unit_id == CITY_COMMITTEE_ID
    assert all(unit.ward_code is None for unit in units_by_id.values() if unit not in committees)


def test_ward_committees_are_named_after_their_ward(units_by_id):
    vi_thanh = units_by_id[ward_committee_id("31321")]
    assert vi_thanh.name == {
        "vi": "Ủy ban nhân dân phường Vị Thanh",
        "en": "Vi Thanh Ward People's Committee",
    }
    assert units_by_id[ward_committee_id("31393")].name["vi"] == "Ủy ban nhân dân xã Hòa An"


def test_the_provincial_departments_after_the_2025_mergers_are_there(units_by_id):
    names = {unit.name["vi"] for unit in units_by_id.values()}
    assert {
        "Sở Xây dựng",
        "Sở Nông nghiệp và Môi trường",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Công Thương",
        "Sở Khoa học và Công nghệ",
        "Sở Nội vụ",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Công an thành phố Cần Thơ",
    } <= names
    assert units_by_id[COORDINATORS_ID].kind == "coordinators"
    assert Counter(unit.kind for unit in units_by_id.values())["utility"] >= 1


def test_supervisor_chains_end_at_the_city_committee_without_cycles(units_by_id):
    assert units_by_id[CITY_COMMITTEE_ID].parent_unit_id is None
    for unit in units_by_id.values():
        seen = {unit.unit_id}
        while unit.parent_unit_id is not None:
            unit = units_by_id[unit.parent_unit_id]
            assert unit.unit_id not in seen, f"cycle through {unit.unit_id}"
            seen.add(unit.unit_id)
        assert unit.unit_id == CITY_COMMITTEE_ID


def test_every_unit_has_a_head_and_an_officer(directory):
    units, officers = directory
    roles = Counter((officer.unit_id, officer.role) for officer in officers)
    for unit in units:
        assert roles[(unit.unit_id, "unit_head")] == 1
        assert roles[(unit.unit_id, "officer")] == 1
    coordinators = [officer for officer in officers if officer.role == "coordinator"]
    assert len(coordinators) >= 2
    assert {officer.unit_id for officer in coordinators} == {COORDINATORS_ID}


def test_demo_contacts_are_obviously_fake_and_unique(directory):
    units, officers = directory
    people = (*units, *officers)
    assert all(person.email.endswith("@example.vn") for person in people)
    assert all(re.fullmatch(r"\+849000[01]\d{4}", person.phone) for person in people)
    assert len({person.phone for person in people}) == len(people)
    assert len({person.email for person in people}) == len(people)
    assert all(len(officer.full_name.split()) == 3 for officer in officers)
    assert len({officer.full_name for officer in officers}) == len(officers)


def test_the_demo_directory_is_deterministic(wards, directory):
    assert demo_directory(wards) == directory
