"""The scorecard table in DynamoDB: the ScorecardStore of phananh.transparency.ports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only a type here: the apps that never count scorecards need not load the counting rules.
    from phananh.transparency.scorecards import Increments


class DynamoScorecardStore:
    """The scorecard table (phananh.transparency.scorecards): counters per scope and day, marks of the report
    versions already counted, and the list of scopes. Counters are ADDed, so no read is needed."""

    SCOPES = "scopes"
    MARK_TTL_S = 7 * 24 * 3600

    def __init__(self) -> None:
        self._client = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("dynamodb")
        return self._client

    @staticmethod
    def _table() -> str:
        from phananh.shared.settings import get_settings

        return get_settings().scorecard_table

    def apply(self, change: Increments, scopes: Sequence[str], now: datetime) -> bool:
        """Add one change's counters to each scope's day, once: False if it was counted before."""
        table = self._table()
        names = sorted(change.counts)
        update = "ADD " + ", ".join(f"#c{n} :c{n}" for n in range(len(names)))
        attribute_names = {f"#c{n}": name for n, name in enumerate(names)}
        values = {f":c{n}": {"N": str(change.counts[name])} for n, name in enumerate(names)}
        items: list[dict] = [{
            "Put": {
                "TableName": table,
                "Item": {
                    "scope": {"S": f"mark#{change.report_id}"}, "day": {"S": f"v{change.version:08d}"},
                    "expires_at": {"N": str(int(now.timestamp()) + self.MARK_TTL_S)},
                },
                "ConditionExpression": "attribute_not_exists(#s)",
                "ExpressionAttributeNames": {"#s": "scope"},
            }
        }]
        for scope in scopes:
            items.append({"Update": {
                "TableName": table, "Key": {"scope": {"S": scope}, "day": {"S": change.day}},
                "UpdateExpression": update, "ExpressionAttributeNames": attribute_names,
                "ExpressionAttributeValues": values,
            }})
            items.append({"Put": {"TableName": table, "Item": {"scope": {"S": self.SCOPES}, "day": {"S": scope}}}})
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True

    def _query(self, **kwargs) -> Iterator[dict]:
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(TableName=self._table(), **kwargs):
            yield from page["Items"]

    def scopes(self) -> list[str]:
        return [
            item["day"]["S"]
            for item in self._query(
                KeyConditionExpression="#s = :s", ExpressionAttributeNames={"#s": "scope"},
                ExpressionAttributeValues={":s": {"S": self.SCOPES}},
            )
        ]

    def days(self, scope: str, first: str, last: str) -> list[dict]:
        """The scope's counters for each day from `first` to `last` (ISO dates), as plain numbers."""
        return list(self.days_by_date(scope, first, last).values())

    def days_by_date(self, scope: str, first: str, last: str) -> dict[str, dict[str, int]]:
        """The same counters keyed by their day, in day order."""
        items = self._query(
            KeyConditionExpression="#s = :s AND #d BETWEEN :first AND :last",
            ExpressionAttributeNames={"#s": "scope", "#d": "day"},
            ExpressionAttributeValues={":s": {"S": scope}, ":first": {"S": first}, ":last": {"S": last}},
        )
        return {
            item["day"]["S"]: {name: int(value["N"]) for name, value in item.items() if "N" in value}
            for item in items
        }
