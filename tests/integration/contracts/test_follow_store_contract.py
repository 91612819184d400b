"""The FollowStore contract: the follows of a report, the same for the fake and the DynamoDB adapter
(phananh.transparency.following writes them, phananh.outbox.delivery reads and erases them)."""

import uuid

import pytest
from fakes import FakeFollowStore

from phananh.adapters.dynamo.follows import DynamoFollowStore
from phananh.transparency.ports import Follow

NOW = 1_780_000_000
LATER = NOW + 180 * 86_400


@pytest.fixture
def store(implementation):
    return FakeFollowStore() if implementation == "fake" else DynamoFollowStore()


@pytest.fixture
def report_id():
    return f"PA260101{uuid.uuid4().hex[:8].upper()}"


def follow(report_id: str, follow_id: str, expires_at: int = LATER, device: bytes = b"sealed") -> Follow:
    return Follow(report_id, follow_id, device, expires_at)


def test_a_report_s_follows_come_in_id_order_and_only_its_own(store, report_id):
    for follow_id in ("c", "a", "b"):
        store.put(follow(report_id, follow_id))
    store.put(follow(report_id + "X", "z"))
    assert [item.follow_id for item in store.of_report(report_id, now=NOW)] == ["a", "b", "c"]
    assert store.of_report(report_id, now=NOW)[0] == follow(report_id, "a")


def test_the_same_follow_written_again_replaces_it(store, report_id):
    store.put(follow(report_id, "a", expires_at=NOW + 10, device=b"old"))
    store.put(follow(report_id, "a", device=b"new"))
    assert store.of_report(report_id, now=NOW) == [follow(report_id, "a", device=b"new")]


def test_a_follow_expired_by_now_is_left_out_before_ttl_deletes_it(store, report_id):
    store.put(follow(report_id, "a", expires_at=NOW - 1))
    store.put(follow(report_id, "b", expires_at=NOW))
    assert [item.follow_id for item in store.of_report(report_id, now=NOW)] == ["b"]


def test_removing_says_whether_there_was_a_follow(store, report_id):
    store.put(follow(report_id, "a"))
    assert store.remove(report_id, "a") is True
    assert store.remove(report_id, "a") is False
    assert store.remove(report_id, "never") is False
    assert store.of_report(report_id, now=NOW) == []


def test_removing_all_erases_every_follow_of_the_report_and_no_other(store, report_id):
    for follow_id in map(str, range(30)):  # more than one DynamoDB batch
        store.put(follow(report_id, follow_id))
    store.put(follow(report_id + "X", "kept"))
    assert store.remove_all(report_id) == 30
    assert store.of_report(report_id, now=NOW) == []
    assert store.remove_all(report_id) == 0
    assert [item.follow_id for item in store.of_report(report_id + "X", now=NOW)] == ["kept"]
