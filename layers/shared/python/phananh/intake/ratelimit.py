"""Token buckets that keep anonymous senders to a fair rate (per device and per network address).

A bucket holds up to `capacity` tokens and refills continuously; each request takes one. The store
keeps only the moment the bucket will be full again (`full_at`): a request at `now` finds
`capacity - (full_at - now) / interval` tokens, and taking one moves `full_at` one interval later
(the generic cell rate algorithm). Moving it is one conditional write that DynamoDB applies
atomically, so concurrent requests neither lose a token nor get refused while tokens remain. A
bucket that would be full again is not worth keeping, so it expires (DynamoDB TTL) at `full_at`.
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict
from dataclasses import dataclass

from phananh.intake.tokens import pseudonym
from phananh.report.ports import RateLimitStore
from phananh.shared.errors import RateLimited

# Every write but the last either took the token or found the bucket changed state under it (full
# again, or expired and deleted): a handful of rounds always decides.
_ATTEMPTS = 3
# One IPv6 host is given a whole /64 and can pick any address in it.
_IPV6_HOST_PREFIX = 64


@dataclass(frozen=True)
class BucketPolicy:
    capacity: int
    refill_per_hour: int

    @property
    def interval(self) -> float:
        """Seconds between two tokens."""
        return 3600 / self.refill_per_hour


class RecentBuckets:
    """The buckets this process took from lately, and until when each is at least partly used.

    Only a hint for which write to try first: a bucket seen in use (a carrier-grade NAT address
    shared by thousands of phones) most likely still is, so taking comes first and costs one write;
    any other bucket is most likely full or gone, so starting it comes first. Either write checks
    the bucket itself, so a wrong hint costs one write, never a token.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._in_use_until: OrderedDict[str, float] = OrderedDict()

    def in_use(self, bucket_key: str, now: float) -> bool:
        return self._in_use_until.get(bucket_key, now) > now

    def took(self, bucket_key: str, in_use_until: float) -> None:
        self._in_use_until[bucket_key] = in_use_until
        self._in_use_until.move_to_end(bucket_key)
        if len(self._in_use_until) > self._size:
            self._in_use_until.popitem(last=False)


# One per process (a Lambda container): the hints last as long as it does.
RECENT_BUCKETS = RecentBuckets()


def take_token(store: RateLimitStore, bucket_key: str, policy: BucketPolicy, now: float,
               recent: RecentBuckets = RECENT_BUCKETS) -> None:
    """Take one token from the bucket, or raise RateLimited saying when to come back."""
    # A token may be taken while the bucket is full again no later than this (one token left).
    latest = now + (policy.capacity - 1) * policy.interval

    def start() -> bool:
        return store.start(bucket_key, now + policy.interval, now=now)

    def take() -> bool:
        return store.take(bucket_key, policy.interval, now=now, latest=latest)

    writes = (take, start) if recent.in_use(bucket_key, now) else (start, take)
    for _ in range(_ATTEMPTS):
        if any(write() for write in writes):
            # Taking a token leaves the bucket short of full for at least one interval.
            recent.took(bucket_key, now + policy.interval)
            return
        full_at = store.full_at(bucket_key)
        if full_at is not None and full_at > latest:
            raise RateLimited(seconds_until_token(full_at, latest))
    # The bucket kept changing state under us: only abuse makes that much contention.
    raise RateLimited(1)


def seconds_until_token(full_at: float, latest: float) -> int:
    return max(1, math.ceil(full_at - latest))


def network_of(address: str) -> str:
    """What one sender controls: an IPv4 address (also when written IPv4-mapped), or an IPv6 /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, _IPV6_HOST_PREFIX), strict=False))
    return str(parsed)


def address_bucket(secret: bytes, address: str, *, purpose: str = "ip") -> str:
    """The bucket of one sender's requests for one purpose (filing: "ip"), keyed by the network they
    control under a pseudonym: the table never holds an address."""
    return f"{purpose}#" + pseudonym(secret, "ip", network_of(address))
