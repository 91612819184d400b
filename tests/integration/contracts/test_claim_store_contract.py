"""The IdempotencyStore contract: a key is claimed once until its claim expires; the fake and the
DynamoDB adapter agree."""

import uuid

import pytest
from fakes import FakeIdempotencyStore

from phananh.adapters.dynamo.claims import DynamoIdempotencyStore

NOW = 1_780_000_000


@pytest.fixture
def store(implementation):
    return FakeIdempotencyStore() if implementation == "fake" else DynamoIdempotencyStore()


@pytest.fixture
def key():
    return f"reports:{uuid.uuid4()}"


def test_the_first_claim_of_a_key_wins_and_later_ones_see_it(store, key):
    assert store.claim(key, "hash-1", NOW + 60, now=NOW, caller="device-a", report_id="PA1") is None
    earlier = store.claim(key, "hash-2", NOW + 120, now=NOW + 1, caller="device-b", report_id="PA2")
    assert (earlier.idempotency_key, earlier.request_hash, earlier.state) == (key, "hash-1", "IN_PROGRESS")
    assert (earlier.caller, earlier.report_id, earlier.response) == ("device-a", "PA1", None)


def test_a_completed_claim_carries_its_response(store, key):
    store.claim(key, "hash-1", NOW + 60, now=NOW)
    store.complete(key, {"report_id": "PA1", "photos": [1, 2]})
    earlier = store.claim(key, "hash-1", NOW + 60, now=NOW + 1)
    assert earlier.state == "COMPLETED"
    assert earlier.response == {"report_id": "PA1", "photos": [1, 2]}


def test_a_released_key_may_be_claimed_again(store, key):
    store.claim(key, "hash-1", NOW + 60, now=NOW)
    store.release(key)
    assert store.claim(key, "hash-2", NOW + 60, now=NOW) is None
    assert store.claim(key, "hash-3", NOW + 60, now=NOW).request_hash == "hash-2"


def test_a_claim_expired_by_now_counts_as_absent(store, key):
    store.claim(key, "hash-1", NOW + 60, now=NOW)
    assert store.claim(key, "hash-2", NOW + 120, now=NOW + 60) is not None  # expires at, not before
    assert store.claim(key, "hash-2", NOW + 120, now=NOW + 61) is None
    assert store.claim(key, "hash-3", NOW + 180).request_hash == "hash-2"


def test_without_a_moment_an_expired_claim_still_counts(store, key):
    store.claim(key, "hash-1", NOW - 60, now=NOW - 120)
    assert store.claim(key, "hash-2", NOW + 60).request_hash == "hash-1"


def test_a_claim_whose_lease_passed_is_taken_over(store, key):
    assert store.claim(key, "alert", NOW + 3600, now=NOW, lease_until=NOW + 120) is None
    held = store.claim(key, "alert", NOW + 3600, now=NOW + 120, lease_until=NOW + 240)  # at the lease, not before
    assert (held.state, held.lease_until) == ("IN_PROGRESS", NOW + 120)
    assert store.claim(key, "alert", NOW + 3600, now=NOW + 121, lease_until=NOW + 241) is None
    assert store.claim(key, "alert", NOW + 3600, now=NOW + 122).lease_until == NOW + 241  # the new holder's


def test_a_completed_claim_is_never_taken_over(store, key):
    store.claim(key, "alert", NOW + 3600, now=NOW, lease_until=NOW + 120)
    store.complete(key, {})
    earlier = store.claim(key, "alert", NOW + 3600, now=NOW + 600, lease_until=NOW + 720)
    assert (earlier.state, earlier.lease_until) == ("COMPLETED", None)


def test_a_claim_without_a_lease_is_held_until_it_expires(store, key):
    store.claim(key, "hash-1", NOW + 3600, now=NOW)
    assert store.claim(key, "hash-2", NOW + 3600, now=NOW + 3000, lease_until=NOW + 3100).request_hash == "hash-1"
