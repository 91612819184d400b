"""The DirectoryStore contract: units, officers and rules kept and read alike by the fake and the
DynamoDB adapter. The moto account keeps the demo directory between tests, so each test writes its
own ids and removes what it wrote."""

import uuid
from datetime import UTC, datetime

import pytest
from fakes import FakeDirectoryStore

from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.routing.directory import Officer, Unit
from phananh.routing.rules import ANY_WARD, RoutingRule


@pytest.fixture
def store(implementation):
    return FakeDirectoryStore() if implementation == "fake" else DynamoDirectoryStore()


@pytest.fixture
def tag():
    return uuid.uuid4().hex[:8]


def a_unit(tag, n=1, **fields):
    return Unit(**{
        "unit_id": f"test-unit-{tag}-{n}", "name": {"vi": f"Đơn vị {n}", "en": f"Unit {n}"}, "kind": "department",
        "ward_code": None, "parent_unit_id": None, "email": f"unit{n}@example.gov.vn", "phone": "+84900000001",
        **fields,
    })


def an_officer(tag, n, unit_id, **fields):
    return Officer(**{
        "officer_id": f"test-officer-{tag}-{n}", "unit_id": unit_id, "full_name": f"Cán bộ {n}",
        "email": f"officer{n}@example.gov.vn", "phone": "+84900000002", "role": "officer", **fields,
    })


def test_units_are_kept_and_read_by_id_and_all_together(store, tag):
    first, second = a_unit(tag, 1, topic_arn="arn:aws:sns:ap-southeast-1:000000000000:t"), a_unit(tag, 2,
                                                                                                   ward_code="93101")
    store.put_units([first, second])
    assert store.unit(first.unit_id) == first
    assert store.unit(second.unit_id).name == second.name
    assert store.unit(f"test-unit-{tag}-none") is None
    assert {first, second} <= set(store.units())
    store.put_units([Unit(**{**first.__dict__, "email": "changed@example.gov.vn"})])
    assert store.unit(first.unit_id).email == "changed@example.gov.vn"


def test_officers_are_read_by_id_and_by_unit_and_deleted(store, tag):
    since = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    officers = [an_officer(tag, n, f"test-unit-{tag}-1", credentials_since=since if n == 1 else None)
                for n in (1, 2)]
    elsewhere = an_officer(tag, 3, f"test-unit-{tag}-2", role="unit_head")
    store.put_officers([*officers, elsewhere])
    try:
        assert store.officer(officers[0].officer_id) == officers[0]
        assert store.officer(officers[0].officer_id).credentials_since == since
        assert sorted(store.officers_of(f"test-unit-{tag}-1"), key=lambda o: o.officer_id) == officers
        store.delete_officer(officers[1].officer_id)
        assert store.officer(officers[1].officer_id) is None
        assert store.officers_of(f"test-unit-{tag}-1") == [officers[0]]
        store.delete_officer(f"test-officer-{tag}-never")  # nothing to delete: no error
    finally:
        for officer in (*officers, elsewhere):
            store.delete_officer(officer.officer_id)


def test_rules_are_read_by_field_in_ward_order_and_deleted(store, tag):
    field = f"test-field-{tag}"
    rules = [RoutingRule(field, ward, f"unit-{ward}") for ward in ("93104", ANY_WARD, "93101")]
    store.put_rules([*rules, RoutingRule(f"other-{tag}", ANY_WARD, "unit-x")])
    try:
        assert store.rules_for(field) == sorted(rules, key=lambda rule: rule.ward_code)
        store.put_rules([RoutingRule(field, "93101", "unit-moved")])
        assert {rule.ward_code: rule.unit_id for rule in store.rules_for(field)}["93101"] == "unit-moved"
        store.delete_rule(field, "93104")
        assert [rule.ward_code for rule in store.rules_for(field)] == sorted(["93101", ANY_WARD])
    finally:
        for rule in store.rules_for(field) + store.rules_for(f"other-{tag}"):
            store.delete_rule(rule.category_code, rule.ward_code)


def test_a_disabled_unit_reads_back_disabled_and_others_stay_active(store, tag):
    disabled = a_unit(tag, 1, active=False)
    store.put_units([disabled, a_unit(tag, 2)])
    assert store.unit(disabled.unit_id) == disabled
    listed = {unit.unit_id: unit.active for unit in store.units() if unit.unit_id.startswith(f"test-unit-{tag}")}
    assert listed == {disabled.unit_id: False, f"test-unit-{tag}-2": True}
