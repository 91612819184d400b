"""The follows of published reports in DynamoDB: the FollowStore of phananh.transparency.ports.

One partition per report, so the outbox reads a report's followers with one query and erases them
all when the report ends; the follow token's hash is the sort key, so unfollowing needs no index.
"""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from phananh.adapters.dynamo.models import FollowModel
from phananh.transparency.ports import Follow

_CONDITION_FAILED = "ConditionalCheckFailedException"


def _model(follow: Follow) -> FollowModel:
    return FollowModel(follow.report_id, follow.follow_id, device_ciphertext=follow.device_ciphertext,
                       email_ciphertext=follow.email_ciphertext, pending=follow.pending or None,
                       expires_at=follow.expires_at)


def _follow(item: FollowModel) -> Follow:
    return Follow(item.report_id, item.follow_id, item.device_ciphertext, int(item.expires_at),
                  email_ciphertext=item.email_ciphertext, pending=bool(item.pending))


class DynamoFollowStore:
    def put(self, follow: Follow) -> None:
        _model(follow).save()

    def put_new(self, follow: Follow, *, now: int) -> bool:
        try:
            # An expired follow DynamoDB's TTL has not deleted yet counts as none.
            _model(follow).save(condition=FollowModel.follow_id.does_not_exist() | (FollowModel.expires_at < now))
        except PutError as error:
            if error.cause_response_code == _CONDITION_FAILED:
                return False
            raise
        return True

    def get(self, report_id: str, follow_id: str, *, now: int) -> Follow | None:
        try:
            item = FollowModel.get(report_id, follow_id, consistent_read=True)
        except FollowModel.DoesNotExist:
            return None
        return _follow(item) if int(item.expires_at) >= now else None

    def confirm(self, report_id: str, follow_id: str, *, expires_at: int, now: int) -> bool:
        try:
            FollowModel(report_id, follow_id).update(
                actions=[FollowModel.pending.remove(), FollowModel.expires_at.set(expires_at)],
                condition=FollowModel.follow_id.exists() & (FollowModel.pending == True)  # noqa: E712 (a condition)
                & (FollowModel.expires_at >= now),
            )
        except UpdateError as error:
            if error.cause_response_code == _CONDITION_FAILED:
                return False
            raise
        return True

    def of_report(self, report_id: str, *, now: int) -> list[Follow]:
        return [
            _follow(item)
            for item in FollowModel.query(report_id, filter_condition=FollowModel.expires_at >= now,
                                          consistent_read=True)
        ]

    def remove(self, report_id: str, follow_id: str) -> bool:
        try:
            FollowModel(report_id, follow_id).delete(condition=FollowModel.follow_id.exists())
        except DeleteError as error:
            if error.cause_response_code == _CONDITION_FAILED:
                return False
            raise
        return True

    def remove_all(self, report_id: str) -> int:
        removed = 0
        with FollowModel.batch_write() as batch:
            for item in FollowModel.query(report_id, attributes_to_get=["report_id", "follow_id"],
                                          consistent_read=True):
                batch.delete(item)
                removed += 1
        return removed
