"""The ports of what transparency owns: the scorecard counters and the open-data files."""

from __future__ import annotations

from collections.abc import Sequence
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
