"""The follows of published reports in DynamoDB: the FollowStore of phananh.transparency.ports.

One partition per report, so the outbox reads a report's followers with one query and erases them
all when the report ends; the follow token's hash is the sort key, so unfollowing needs no index.
"""

from __future__ import annotations

from pynamodb.exceptions import DeleteError

from phananh.adapters.dynamo.models import FollowModel
from phananh.transparency.ports import Follow


class DynamoFollowStore:
    def put(self, follow: Follow) -> None:
        FollowModel(follow.report_id, follow.follow_id, device_ciphertext=follow.device_ciphertext,
                    expires_at=follow.expires_at).save()

    def of_report(self, report_id: str, *, now: int) -> list[Follow]:
        return [
            Follow(item.report_id, item.follow_id, item.device_ciphertext, int(item.expires_at))
            for item in FollowModel.query(report_id, filter_condition=FollowModel.expires_at >= now,
                                          consistent_read=True)
        ]

    def remove(self, report_id: str, follow_id: str) -> bool:
        try:
            FollowModel(report_id, follow_id).delete(condition=FollowModel.follow_id.exists())
        except DeleteError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
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
