"""Rate-limit buckets in DynamoDB: the RateLimitStore of phananh.report.ports."""

from __future__ import annotations

import math

from pynamodb.exceptions import PutError, UpdateError

from phananh.adapters.dynamo.models import RateLimitModel


class DynamoRateLimitStore:
    """Each bucket is one item holding when it will be full again; every change is one conditional
    write, which DynamoDB applies to the item one at a time, so concurrent takers never lose one."""

    def start(self, bucket_key: str, full_at: float, *, now: float) -> bool:
        """Write a bucket that is absent or full (by `now`) as holding one token less."""
        item = RateLimitModel(bucket_key=bucket_key, full_at=full_at, expires_at=math.ceil(full_at))
        # A bucket from before `full_at` existed counts as absent.
        condition = RateLimitModel.full_at.does_not_exist() | (RateLimitModel.full_at <= now)
        try:
            item.save(condition=condition)
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def take(self, bucket_key: str, interval: float, *, now: float, latest: float) -> bool:
        """Take a token from a bucket not yet full by `now`, if it is full again no later than `latest`."""
        try:
            RateLimitModel(bucket_key=bucket_key).update(
                actions=[RateLimitModel.full_at.add(interval), RateLimitModel.expires_at.add(math.ceil(interval))],
                condition=(RateLimitModel.full_at > now) & (RateLimitModel.full_at <= latest),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def full_at(self, bucket_key: str) -> float | None:
        try:
            item = RateLimitModel.get(bucket_key, consistent_read=True)
        except RateLimitModel.DoesNotExist:
            return None
        return float(item.full_at) if item.full_at is not None else None
