"""Idempotency claims in DynamoDB: the IdempotencyStore of phananh.report.ports."""

from __future__ import annotations

from pynamodb.exceptions import PutError

from phananh.adapters.dynamo.models import IdempotencyModel


class DynamoIdempotencyStore:
    def claim(
        self, key: str, request_hash: str, expires_at: int, *,
        now: int | None = None, caller: str | None = None, report_id: str | None = None,
        lease_until: int | None = None,
    ) -> IdempotencyModel | None:
        """Claim `key` for this request; if it was claimed before, return that record instead.

        DynamoDB deletes expired records late (TTL), so a record expired by `now` counts as absent;
        so does one still IN_PROGRESS whose lease has passed by `now` (its holder crashed or failed
        to give it back). A claim taken without a lease is never taken over before it expires.
        """
        record = IdempotencyModel(
            idempotency_key=key, request_hash=request_hash, state="IN_PROGRESS",
            expires_at=expires_at, caller=caller, report_id=report_id, lease_until=lease_until,
        )
        condition = IdempotencyModel.idempotency_key.does_not_exist()
        if now is not None:
            condition = condition | (IdempotencyModel.expires_at < now)
            # An absent lease_until fails the comparison: request claims are never taken over.
            condition = condition | ((IdempotencyModel.state == "IN_PROGRESS") & (IdempotencyModel.lease_until < now))
        try:
            record.save(condition=condition)
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            return IdempotencyModel.get(key, consistent_read=True)
        return None

    def get(self, key: str, *, now: int) -> IdempotencyModel | None:
        try:
            record = IdempotencyModel.get(key, consistent_read=True)
        except IdempotencyModel.DoesNotExist:
            return None
        return None if record.expires_at < now else record

    def complete(self, key: str, response: dict) -> None:
        IdempotencyModel(idempotency_key=key).update(
            actions=[IdempotencyModel.state.set("COMPLETED"), IdempotencyModel.response.set(response),
                     IdempotencyModel.lease_until.remove()]
        )

    def release(self, key: str) -> None:
        IdempotencyModel(idempotency_key=key).delete()
