"""The ports of what transparency owns: the scorecard counters, the open-data files and the follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from phananh.transparency.scorecards import Increments


class ScorecardStore(Protocol):
    """Counters per scope (`unit#…`, `field#…`) and day, and the list of scopes."""

    def apply(self, change: Increments, scopes: Sequence[str], now: datetime) -> bool:
        """Add one change's counters to each scope's day, once per report version: False if that
        version was counted before."""

    def scopes(self) -> list[str]: ...

    def days(self, scope: str, first: str, last: str) -> list[dict[str, int]]:
        """The scope's counters for each day from `first` to `last` (ISO dates)."""

    def days_by_date(self, scope: str, first: str, last: str) -> dict[str, dict[str, int]]:
        """The same counters keyed by their day (ISO date), for trends day by day."""


class OpenDataFiles(Protocol):
    """The public open-data files (the daily snapshots and their index), by key under `open-data/`:
    what is put here the edge serves to anyone at /open-data/."""

    def put(self, key: str, body: bytes, *, content_type: str, cache_control: str) -> None: ...

    def get(self, key: str) -> bytes | None:
        """The file's bytes, or None when there is none."""


@dataclass(frozen=True)
class Follow:
    """One device or one e-mail address following one published report (phananh.transparency.following):
    named by the hash of its follow token, kept until `expires_at` (epoch seconds; DynamoDB's TTL)
    unless the report ends or the follower unfollows. A device follow holds the push registration
    sealed for the follower-push purpose; an e-mail follow, the address and its follow token sealed
    for the follower-email purpose, `pending` (sent nothing but its confirmation) until the address
    confirms it."""

    report_id: str
    follow_id: str
    device_ciphertext: bytes | None = field(repr=False)
    expires_at: int
    email_ciphertext: bytes | None = field(default=None, repr=False)
    pending: bool = False


class FollowStore(Protocol):
    """The follows of published reports, by report."""

    def put(self, follow: Follow) -> None:
        """Write the follow, replacing the same follow (same report, same id) written before."""

    def put_new(self, follow: Follow, *, now: int) -> bool:
        """Write the follow unless the same follow exists and has not expired by `now`; whether it
        was written (one decision, so that two requests at once cannot both think they made it)."""

    def get(self, report_id: str, follow_id: str, *, now: int) -> Follow | None:
        """The follow, unless there is none or it expired by `now`."""

    def confirm(self, report_id: str, follow_id: str, *, expires_at: int, now: int) -> bool:
        """The pending follow confirmed, kept until `expires_at`; False when there is no pending
        follow of that id unexpired by `now` (never made, confirmed already, unfollowed, lapsed)."""

    def of_report(self, report_id: str, *, now: int) -> list[Follow]:
        """Every follow of the report in id order, but those expired by `now` (DynamoDB's TTL deletes late)."""

    def remove(self, report_id: str, follow_id: str) -> bool:
        """Delete one follow; False when there was none."""

    def remove_all(self, report_id: str) -> int:
        """Delete every follow of the report; the number deleted."""
