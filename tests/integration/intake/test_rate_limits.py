"""Token buckets on moto's DynamoDB under concurrency: exactly `capacity` requests pass at once.

moto applies single-item writes one at a time like DynamoDB does (phananh_local.moto_fixes).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import boto3
import pytest

from phananh import bootstrap
from phananh.adapters.dynamo.rate_limits import DynamoRateLimitStore
from phananh.intake import filing
from phananh.intake.ratelimit import BucketPolicy, take_token
from phananh.report.model import utcnow
from phananh.shared.errors import RateLimited
from phananh.shared.settings import get_settings

POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}


def outcome(attempt):
    try:
        attempt()
    except RateLimited as refused:
        return ("refused", refused.retry_after_s)
    return ("taken", None)


def at_once(count, attempt):
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: outcome(attempt), range(count)))


def test_concurrent_takers_get_exactly_the_tokens_a_bucket_holds(aws):
    store, policy, now = DynamoRateLimitStore(), BucketPolicy(capacity=30, refill_per_hour=60), 1_800_000_000.0
    results = at_once(60, lambda: take_token(store, "ip#busy", policy, now))
    assert sum(kind == "taken" for kind, _ in results) == 30
    assert {retry for kind, retry in results if kind == "refused"} == {60}


def test_a_bucket_refills_one_token_per_interval_up_to_capacity(aws):
    store, policy, now = DynamoRateLimitStore(), BucketPolicy(capacity=2, refill_per_hour=10), 1_800_000_000.0
    for _ in range(2):
        take_token(store, "device#d", policy, now)
    with pytest.raises(RateLimited) as refused:
        take_token(store, "device#d", policy, now + 359)
    assert refused.value.retry_after_s == 1
    take_token(store, "device#d", policy, now + 360)
    with pytest.raises(RateLimited):
        take_token(store, "device#d", policy, now + 360)
    # Idle long enough to be full again: two tokens, not more.
    later = now + 10_000
    take_token(store, "device#d", policy, later)
    take_token(store, "device#d", policy, later)
    with pytest.raises(RateLimited):
        take_token(store, "device#d", policy, later)


def test_a_clock_going_backwards_adds_nothing(aws):
    store, policy, now = DynamoRateLimitStore(), BucketPolicy(capacity=1, refill_per_hour=10), 1_800_000_000.0
    take_token(store, "device#d", policy, now)
    with pytest.raises(RateLimited):
        take_token(store, "device#d", policy, now - 100)


@pytest.fixture
def ports(aws, monkeypatch):
    monkeypatch.setenv("PHANANH_IP_BUCKET_CAPACITY", "10")
    get_settings.cache_clear()
    return bootstrap.ports()


def submit_from(ports, address, now):
    return lambda: filing.submit_report(POTHOLE, filing.Caller(address), ports=ports,
                                           settings=get_settings(), now=now)


def test_concurrent_submissions_from_one_address_file_exactly_its_capacity(aws, ports):
    results = at_once(20, submit_from(ports, "203.0.113.7", utcnow()))
    assert sorted(kind for kind, _ in results) == ["refused"] * 10 + ["taken"] * 10
    assert len(boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"]).scan()["Items"]) == 10


def test_one_ipv6_host_is_one_bucket_across_its_slash_64(ports):
    now = utcnow()
    for host in range(10):
        submit_from(ports, f"2001:db8:7:9::{host + 1:x}", now)()
    with pytest.raises(RateLimited):
        submit_from(ports, "2001:db8:7:9:ffff::1", now + timedelta(seconds=1))()
    submit_from(ports, "2001:db8:7:a::1", now)()
