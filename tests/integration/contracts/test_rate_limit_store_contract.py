"""The RateLimitStore contract: every change of a bucket is conditional, the same for the fake and
the DynamoDB adapter (phananh.intake.ratelimit builds its token buckets on them)."""

import uuid

import pytest
from fakes import FakeRateLimitStore

from phananh.adapters.dynamo.rate_limits import DynamoRateLimitStore
from phananh.intake.ratelimit import BucketPolicy, take_token
from phananh.shared.errors import RateLimited

NOW = 1_780_000_000.0


@pytest.fixture
def store(implementation):
    return FakeRateLimitStore() if implementation == "fake" else DynamoRateLimitStore()


@pytest.fixture
def bucket():
    return f"device#{uuid.uuid4()}"


def test_an_absent_bucket_starts_and_a_bucket_not_full_again_does_not(store, bucket):
    assert store.full_at(bucket) is None
    assert store.start(bucket, NOW + 10, now=NOW)
    assert store.full_at(bucket) == NOW + 10
    assert not store.start(bucket, NOW + 15, now=NOW + 5)
    assert store.full_at(bucket) == NOW + 10


def test_a_bucket_full_again_by_now_starts_over(store, bucket):
    store.start(bucket, NOW + 10, now=NOW)
    assert store.start(bucket, NOW + 20, now=NOW + 10)
    assert store.full_at(bucket) == NOW + 20


def test_a_token_is_taken_only_while_the_bucket_is_not_full_and_has_one_left(store, bucket):
    assert not store.take(bucket, 10, now=NOW, latest=NOW + 100)  # absent
    store.start(bucket, NOW + 10, now=NOW)
    assert store.take(bucket, 10, now=NOW, latest=NOW + 20)
    assert store.take(bucket, 10, now=NOW, latest=NOW + 20)
    assert store.full_at(bucket) == NOW + 30
    assert not store.take(bucket, 10, now=NOW, latest=NOW + 20)  # none left
    assert not store.take(bucket, 10, now=NOW + 30, latest=NOW + 100)  # full again: start it instead
    assert store.full_at(bucket) == NOW + 30


def test_token_buckets_on_the_store_allow_the_capacity_then_say_when_to_come_back(store, bucket):
    policy = BucketPolicy(capacity=3, refill_per_hour=60)
    for _ in range(3):
        take_token(store, bucket, policy, NOW)
    with pytest.raises(RateLimited) as refused:
        take_token(store, bucket, policy, NOW)
    assert refused.value.retry_after_s == 60
    take_token(store, bucket, policy, NOW + 60)
