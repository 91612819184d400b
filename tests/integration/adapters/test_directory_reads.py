"""The DynamoDB directory reuses the units and rules its container read, for a short while: what a
routing of every report would otherwise read again. A write through any instance is seen at once."""

import uuid
from contextlib import contextmanager

import pytest

from phananh.adapters.dynamo import directory
from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.adapters.dynamo.models import RoutingRuleModel, UnitModel
from phananh.routing.directory import Unit
from phananh.routing.rules import ANY_WARD, RoutingRule
from phananh.shared.settings import get_settings


@contextmanager
def directory_reads():
    """The GetItem, Query and Scan calls on the units and routing-rules tables made meanwhile."""
    clients, made = [model._get_connection().connection.client for model in (UnitModel, RoutingRuleModel)], []

    def record(model, **_):
        made.append(model.name)

    for client in clients:
        client.meta.events.register("before-parameter-build.dynamodb", record)
    try:
        yield made
    finally:
        for client in clients:
            client.meta.events.unregister("before-parameter-build.dynamodb", record)


@pytest.fixture
def tag():
    return uuid.uuid4().hex[:8]


@pytest.fixture
def a_unit(aws, tag):
    unit = Unit(unit_id=f"test-unit-{tag}", name={"vi": "Đơn vị", "en": "Unit"}, kind="department", ward_code=None,
                parent_unit_id=None, email="unit@example.gov.vn", phone="+84900000001")
    DynamoDirectoryStore().put_units([unit])
    return unit


def ttl(monkeypatch, seconds: int) -> None:
    monkeypatch.setenv("PHANANH_DIRECTORY_CACHE_TTL_S", str(seconds))
    get_settings.cache_clear()


def test_a_unit_and_a_fields_rules_are_read_once_within_the_ttl(a_unit, tag):
    field = f"test-field-{tag}"
    store = DynamoDirectoryStore()
    store.put_rules([RoutingRule(field, ANY_WARD, a_unit.unit_id)])
    try:
        with directory_reads() as made:
            for _ in range(3):
                assert store.unit(a_unit.unit_id) == a_unit
                assert store.rules_for(field) == [RoutingRule(field, ANY_WARD, a_unit.unit_id)]
                assert a_unit in store.units()
                assert store.unit(f"test-unit-{tag}-none") is None
        assert sorted(made) == ["GetItem", "GetItem", "Query", "Scan"]
    finally:
        store.delete_rule(field, ANY_WARD)


def test_a_write_through_another_instance_is_read_at_once(a_unit, tag):
    field, reader, writer = f"test-field-{tag}", DynamoDirectoryStore(), DynamoDirectoryStore()
    assert reader.unit(a_unit.unit_id).active and reader.rules_for(field) == []
    writer.put_units([Unit(**{**a_unit.__dict__, "active": False})])
    writer.put_rules([RoutingRule(field, ANY_WARD, a_unit.unit_id)])
    assert not reader.unit(a_unit.unit_id).active
    assert reader.rules_for(field) == [RoutingRule(field, ANY_WARD, a_unit.unit_id)]
    writer.delete_rule(field, ANY_WARD)
    assert reader.rules_for(field) == []


def test_what_was_read_is_read_again_after_the_ttl(a_unit, monkeypatch):
    ttl(monkeypatch, 60)
    clock = [1000.0]
    monkeypatch.setattr(directory.time, "monotonic", lambda: clock[0])
    store = DynamoDirectoryStore()
    with directory_reads() as made:
        store.unit(a_unit.unit_id)
        clock[0] += 59
        store.unit(a_unit.unit_id)
        clock[0] += 2
        store.unit(a_unit.unit_id)
    assert made == ["GetItem", "GetItem"]


def test_a_ttl_of_zero_reads_every_time(a_unit, monkeypatch):
    ttl(monkeypatch, 0)
    store = DynamoDirectoryStore()
    with directory_reads() as made:
        store.unit(a_unit.unit_id)
        store.unit(a_unit.unit_id)
    assert made == ["GetItem", "GetItem"]
