"""Idempotency claims in DynamoDB: the IdempotencyStore of phananh.report.ports."""

from __future__ import annotations

from pynamodb.exceptions import PutError

from phananh.adapters.dynamo.models import IdempotencyModel


class DynamoIdempotencyStore:
    def claim(
        self, key: str, request_hash: str, expires_at: int, *,
        now: int | None = None, caller: str | None = None, report_id: str | None = None,
    ) -> IdempotencyModel | None:
        """Claim `key` for this request; if it was claimed before, return that record instead.

        DynamoDB deletes expired records late (TTL), so a record expired by `now` counts as absent.
        """
        record = IdempotencyModel(
            idempotency_key=key, request_hash=request_hash, state="IN_PROGRESS",
            expires_at=expires_at, caller=caller, report_id=report_id,
        )
        condition = IdempotencyModel.idempotency_key.does_not_exist()
        if now is not None:
            condition = condition | (IdempotencyModel.expires_at < now)
        try:
            record.save(condition=condition)
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            return IdempotencyModel.get(key, consistent_read=True)
        return None

    def complete(self, key: str, response: dict) -> None:
        IdempotencyModel(idempotency_key=key).update(
            actions=[IdempotencyModel.state.set("COMPLETED"), IdempotencyModel.response.set(response)]
        )

    def release(self, key: str) -> None:
        IdempotencyModel(idempotency_key=key).delete()
