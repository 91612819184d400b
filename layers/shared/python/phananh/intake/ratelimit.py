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


def take_token(store: RateLimitStore, bucket_key: str, policy: BucketPolicy, now: float) -> None:
    """Take one token from the bucket, or raise RateLimited saying when to come back."""
    # A token may be taken while the bucket is full again no later than this (one token left).
    latest = now + (policy.capacity - 1) * policy.interval
    for _ in range(_ATTEMPTS):
        # A full or absent bucket (the common case for a citizen): one write.
        if store.start(bucket_key, now + policy.interval, now=now):
            return
        if store.take(bucket_key, policy.interval, now=now, latest=latest):
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
