import pytest
from fakes import FakeRateLimitStore

from phananh.intake.ratelimit import BucketPolicy, RecentBuckets, network_of, seconds_until_token, take_token
from phananh.shared.errors import RateLimited


def test_retry_after_is_when_the_next_token_arrives():
    assert seconds_until_token(full_at=1360, latest=1000) == 360
    assert seconds_until_token(full_at=1000.2, latest=1000) == 1


@pytest.mark.parametrize(("address", "network"), [
    ("203.0.113.7", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("not-an-address", "not-an-address"),
])
def test_one_sender_is_one_ipv4_address_or_one_ipv6_slash_64(address, network):
    assert network_of(address) == network


class CountingBuckets(FakeRateLimitStore):
    """The fake store, counting the writes a token costs."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def start(self, bucket_key, full_at, *, now):
        self.writes.append("start")
        return super().start(bucket_key, full_at, now=now)

    def take(self, bucket_key, interval, *, now, latest):
        self.writes.append("take")
        return super().take(bucket_key, interval, now=now, latest=latest)


POLICY = BucketPolicy(capacity=3, refill_per_hour=6)


def test_a_bucket_costs_one_write_per_token_whether_it_is_fresh_or_in_use():
    store, recent = CountingBuckets(), RecentBuckets()
    take_token(store, "ip#shared-nat", POLICY, 1_000.0, recent)
    take_token(store, "ip#shared-nat", POLICY, 1_001.0, recent)
    assert store.writes == ["start", "take"]
    # Another container has no hint: its first token from the bucket in use costs a second write.
    store.writes.clear()
    take_token(store, "ip#shared-nat", POLICY, 1_002.0, RecentBuckets())
    assert store.writes == ["start", "take"]


def test_a_hint_gone_stale_costs_a_write_but_never_a_token():
    store, recent = CountingBuckets(), RecentBuckets()
    take_token(store, "device#d", POLICY, 1_000.0, recent)
    # Full again an hour later (the bucket refilled), though this process saw it in use.
    recent.took("device#d", 10_000.0)
    take_token(store, "device#d", POLICY, 4_600.0, recent)
    assert store.writes == ["start", "take", "start"]
    for moment in (4_601.0, 4_602.0):
        take_token(store, "device#d", POLICY, moment, recent)
    with pytest.raises(RateLimited):
        take_token(store, "device#d", POLICY, 4_603.0, recent)


def test_the_hints_are_bounded():
    recent = RecentBuckets(size=2)
    for key in ("a", "b", "c"):
        recent.took(key, 100.0)
    assert [recent.in_use(key, 50.0) for key in ("a", "b", "c")] == [False, True, True]
