"""Public scorecards per unit and per field, kept incrementally from the reports table's stream.

Each change of a report (one stream record: the report before and after) becomes counter increments
(`increments`) on one item per scope and day (`unit#<unit_id>`, `field#<category>`; the day in
Vietnam time). Durations go into fixed log-scale histogram buckets, so that a median or 90th
percentile over any range of days comes from summed buckets. The request reads the days of the
period for each scope (queries, no scans); nothing is computed from the reports themselves.

Applying a record is idempotent: its counters and a mark naming the report version are written in
one transaction on the condition that the mark does not exist yet (transparency.ports.ScorecardStore.apply).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from phananh.ports import Ports
from phananh.report.deadlines import met_deadline, paused_resolve_deadline
from phananh.report.lifecycle import MOVES, Action, Status
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import InvalidInput, bilingual
from phananh.shared.text_policy import whole_number
from phananh.transparency.rating import confirms_fix

PERIODS = (30, 90, 365)
# Bucket k holds durations in (60·2^((k-1)/4), 60·2^(k/4)] seconds; bucket 0 everything up to a minute.
# Neighbouring bounds are 19% apart: a median or p90 is reported as its bucket's upper bound.
_BUCKETS_PER_DOUBLING = 4
_BUCKET_BASE_S = 60.0
MAX_BUCKET = 100
ACK_PREFIX, RESOLVE_PREFIX = "ack_b", "res_b"
COUNTERS = (
    "received", "acknowledged", "acknowledged_on_time", "resolved", "resolved_on_time",
    "rating_count", "rating_sum", "reopens", "escalations", "fix_outcomes", "confirmed_fixes",
)


def bucket_of(seconds: float) -> int:
    if seconds <= _BUCKET_BASE_S:
        return 0
    k = math.ceil(_BUCKETS_PER_DOUBLING * math.log2(seconds / _BUCKET_BASE_S) - 1e-9)
    return min(max(k, 0), MAX_BUCKET)


def bucket_upper_s(bucket: int) -> float:
    return _BUCKET_BASE_S * 2 ** (bucket / _BUCKETS_PER_DOUBLING)


def local_day(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).date().isoformat()


def _time(image: dict[str, Any], name: str) -> datetime | None:
    value = image.get(name)
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _status(image: dict[str, Any]) -> Status | None:
    value = image.get("status")
    return Status(value) if value else None


def _moved_by(action: Action, before: Status | None, after: Status | None) -> bool:
    """Whether a change from `before` to `after` is `action`'s move in the lifecycle."""
    move = MOVES[action]
    return after is move.target and before in move.sources


@dataclass(frozen=True)
class Increments:
    """What one change of one report adds to its unit's and its field's counters of one day."""

    report_id: str
    version: int
    day: str
    unit_id: str | None
    category_code: str
    counts: dict[str, int]


def increments(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Increments | None:
    """The counters a change of a report moves (images as plain dicts, as the stream carries them,
    their `result` and `rating` typed: adapters.events.stream_image)."""
    if not new or not new.get("updated_at"):
        return None
    old = old or {}
    before, after = _status(old), _status(new)
    at = _time(new, "updated_at")
    published_at = _time(new, "published_at")
    counts: Counter[str] = Counter()
    # Every report is filed RECEIVED: one first seen already routed was received all the same.
    if _moved_by(Action.ROUTE, before or Status.RECEIVED, after):
        counts["received"] += 1
    if _moved_by(Action.ACKNOWLEDGE, before, after) and published_at:
        counts["acknowledged"] += 1
        counts["acknowledged_on_time"] += int(met_deadline(at, _time(new, "acknowledge_due_at")))
        counts[f"{ACK_PREFIX}{bucket_of((at - published_at).total_seconds())}"] += 1
    result = new.get("result")
    if _moved_by(Action.RESOLVE, before, after) and published_at and result is not None:
        resolved_at = result.at
        counts["resolved"] += 1
        # Held to the deadline with its pauses while questions waited for the reporter.
        # (The resolution stopped any question waiting, and counted its pause with the others.)
        due = paused_resolve_deadline(_time(new, "resolve_due_at"), int(new.get("earlier_pauses_s") or 0))
        counts["resolved_on_time"] += int(met_deadline(resolved_at, due))
        counts[f"{RESOLVE_PREFIX}{bucket_of((resolved_at - published_at).total_seconds())}"] += 1
    rating, earlier = new.get("rating"), old.get("rating")
    if rating is not None and (earlier is None or rating.at != earlier.at):
        counts["rating_count"] += 1
        counts["rating_sum"] += rating.score
    if _moved_by(Action.REOPEN, before, after):
        counts["reopens"] += 1
    # A resolution's outcome is known once its rating window ends: the report closed or reopened.
    if (_moved_by(Action.CLOSE, before, after) or _moved_by(Action.REOPEN, before, after)) and published_at:
        counts["fix_outcomes"] += 1
        counts["confirmed_fixes"] += int(confirms_fix(rating, result))
    # Each escalation level fired stamps `escalated_at` (the escalation state machine writes it, and
    # only it: `updated_at` stays, so such a change counts on the day it fired).
    if new.get("escalated_at") and new.get("escalated_at") != old.get("escalated_at"):
        counts["escalations"] += 1
        if set(counts) == {"escalations"}:
            at = _time(new, "escalated_at")
    if not counts:
        return None
    return Increments(
        report_id=new["report_id"], version=int(new["version"]), day=local_day(at),
        unit_id=new.get("owner_unit_id"), category_code=new["category_code"], counts=dict(counts),
    )


def scopes_of(change: Increments) -> list[str]:
    scopes = [f"field#{change.category_code}"]
    if change.unit_id:
        scopes.append(f"unit#{change.unit_id}")
    return scopes


def parse_period(raw: str | None) -> int:
    if raw is None:
        return PERIODS[0]
    try:
        period = whole_number(raw, "period", lowest=min(PERIODS), highest=max(PERIODS), code="invalid_period")
    except InvalidInput:
        period = None
    if period not in PERIODS:
        raise InvalidInput(
            "invalid_period",
            bilingual("period phải là 30, 90 hoặc 365 (ngày).", "period must be 30, 90 or 365 (days)."),
            field="period",
        )
    return period


def period_days(period: int, now: datetime) -> tuple[str, str]:
    today = now.astimezone(VIETNAM).date()
    return (today - timedelta(days=period - 1)).isoformat(), today.isoformat()


def quantile_h(buckets: dict[int, int], q: float) -> float | None:
    """The nearest-rank q-quantile of the durations counted in `buckets`, as its bucket's upper
    bound in hours."""
    total = sum(buckets.values())
    if total == 0:
        return None
    rank, seen = math.ceil(q * total), 0
    for bucket in sorted(buckets):
        seen += buckets[bucket]
        if seen >= rank:
            return round(bucket_upper_s(bucket) / 3600, 2)
    return None


def percent(part: int, whole: int) -> float | None:
    """A published share: percent rounded to 0.1, None of nothing."""
    return round(100 * part / whole, 1) if whole else None


def average_rating(summed: Counter[str]) -> float | None:
    """The average score of the ratings counted in `summed`, to 0.01; None without ratings."""
    ratings = summed["rating_count"]
    return round(summed["rating_sum"] / ratings, 2) if ratings else None


def totals(days: list[dict[str, Any]]) -> Counter[str]:
    """The counters and histogram buckets of a scope's day items, summed."""
    summed: Counter[str] = Counter()
    for item in days:
        for name, value in item.items():
            if name in COUNTERS or name.startswith((ACK_PREFIX, RESOLVE_PREFIX)):
                summed[name] += int(value)
    return summed


def summary(days: list[dict[str, Any]]) -> dict[str, Any]:
    """One scope's scorecard from its day items (each: counters and histogram buckets)."""
    summed = totals(days)
    ack = {int(name[len(ACK_PREFIX):]): n for name, n in summed.items() if name.startswith(ACK_PREFIX)}
    res = {int(name[len(RESOLVE_PREFIX):]): n for name, n in summed.items() if name.startswith(RESOLVE_PREFIX)}
    return {
        "received": summed["received"],
        "acknowledged": summed["acknowledged"],
        "resolved": summed["resolved"],
        "acknowledged_on_time_pct": percent(summed["acknowledged_on_time"], summed["acknowledged"]),
        "resolved_on_time_pct": percent(summed["resolved_on_time"], summed["resolved"]),
        "hours_to_acknowledge": {"median": quantile_h(ack, 0.5), "p90": quantile_h(ack, 0.9)},
        "hours_to_resolve": {"median": quantile_h(res, 0.5), "p90": quantile_h(res, 0.9)},
        "satisfaction": {"average": average_rating(summed), "count": summed["rating_count"]},
        "reopen_rate_pct": percent(summed["reopens"], summed["resolved"]),
        "escalations": summed["escalations"],
        # Beside "resolved" (what the units said): what the reporters confirmed, or did not dispute.
        "confirmed_fixes": summed["confirmed_fixes"],
        "confirmed_fix_pct": percent(summed["confirmed_fixes"], summed["fix_outcomes"]),
    }


def scorecards(query: dict[str, str], *, ports: Ports, now: datetime | None = None) -> dict[str, Any]:
    """GET /public/scorecards: every unit's and field's scorecard over the period, with the units'
    and fields' names (from the directory and the categories)."""
    period = parse_period(query.get("period"))
    first, last = period_days(period, now or datetime.now(UTC))
    return {"period_days": period, "from": first, "to": last, **figures(first, last, ports=ports)}


def named_scope(kind: str, key: str, *, ports: Ports) -> dict[str, Any] | None:
    """How a scope is named where it is published: a unit by its id and name (from the directory), a
    field by its code and name (from the categories); None for what is not a unit's or field's scope."""
    from phananh.report.categories import get_category

    if kind == "unit":
        unit = ports.directory.unit(key)
        return {"unit_id": key, "name": unit.name if unit else None}
    if kind == "field":
        category = get_category(key)
        return {"category": key, "name": category.name if category else None}
    return None


# ("unit" or "field", how it is named, its day items)
ScopeDays = tuple[str, dict[str, Any], list[dict[str, Any]]]


def scoped_days(first: str, last: str, *, ports: Ports) -> Iterator[ScopeDays]:
    """Each unit's and field's scope with its day items from `first` to `last`: one query per scope,
    no scan."""
    for scope in ports.scorecards.scopes():
        kind, _, key = scope.partition("#")
        named = named_scope(kind, key, ports=ports)
        if named is not None:
            yield kind, named, ports.scorecards.days(scope, first, last)


def figures(first: str, last: str, *, ports: Ports) -> dict[str, Any]:
    """The published figures from day `first` to day `last` (ISO dates, Vietnam time): every unit's
    and field's scorecard, and the notes that explain them."""
    cards: dict[str, list[dict[str, Any]]] = {"unit": [], "field": []}
    for kind, named, days in scoped_days(first, last, ports=ports):
        cards[kind].append({**named, **summary(days)})
    units, fields = cards["unit"], cards["field"]
    return {
        "units": sorted(units, key=lambda card: card["unit_id"]),
        "fields": sorted(fields, key=lambda card: card["category"]),
        "notes": {
            "vi": "Thời gian tính từ khi phản ánh được chuyển đơn vị; trung vị và p90 làm tròn lên mốc gần nhất "
                  "(các mốc cách nhau 19%). Khắc phục được xác nhận: người phản ánh đánh giá đã khắc phục, hoặc "
                  "hết hạn đánh giá mà không báo chưa khắc phục; tỷ lệ tính trên các kết quả đã hết hạn đánh giá.",
            "en": "Times run from routing; medians and p90s are rounded up to the nearest bucket bound "
                  "(bounds 19% apart). A confirmed fix: the reporter rated it fixed, or the rating window closed "
                  "without a \"not fixed\"; its share is of the resolutions whose rating window has ended.",
        },
    }

