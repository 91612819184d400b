"""Token buckets that keep anonymous senders to a fair rate (per device and per network address).

A bucket holds up to `capacity` tokens and refills continuously; each request takes one. A bucket
that would be full again is not worth keeping, so it expires (DynamoDB TTL) at that moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from phananh.errors import RateLimited
from phananh.store import RateLimitStore

_WRITE_ATTEMPTS = 5


@dataclass(frozen=True)
class BucketPolicy:
    capacity: int
    refill_per_hour: int

    @property
    def refill_per_second(self) -> float:
        return self.refill_per_hour / 3600


def refilled(policy: BucketPolicy, tokens: float, updated_at: float, now: float) -> float:
    elapsed = max(0.0, now - updated_at)
    return min(float(policy.capacity), tokens + elapsed * policy.refill_per_second)


def seconds_until_token(policy: BucketPolicy, tokens: float) -> int:
    return max(1, math.ceil((1 - tokens) / policy.refill_per_second))


def take_token(store: RateLimitStore, bucket_key: str, policy: BucketPolicy, now: float) -> None:
    """Take one token from the bucket, or raise RateLimited saying when to come back."""
    for _ in range(_WRITE_ATTEMPTS):
        current = store.load(bucket_key)
        previous_updated_at = current[1] if current else None
        tokens = refilled(policy, *current, now) if current else float(policy.capacity)
        if tokens < 1:
            raise RateLimited(seconds_until_token(policy, tokens))
        remaining = tokens - 1
        full_again_at = now + (policy.capacity - remaining) / policy.refill_per_second
        if store.store(
            bucket_key, remaining, now, math.ceil(full_again_at),
            previous_updated_at=previous_updated_at,
        ):
            return
    # Contention this high on one bucket is itself a sign of abuse.
    raise RateLimited(1)
