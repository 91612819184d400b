"""League tables that are fair: units and fields compared on what their numbers can bear.

A raw ranking rewards luck on small numbers (FixMyStreet's "top responders" was once topped by a
council with a single four-minute fix). So the on-time share comes with its 95 % Wilson score
interval, rows are ranked by the interval's lower bound (what the unit has shown at least, with 95 %
confidence), and a row with fewer resolved reports than the minimum is listed but not ranked.
The figures come from the scorecards' day items (transparency.scorecards); the method is explained
in docs/league-tables.md and on the site's /league/method page.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from phananh.ports import Ports
from phananh.shared.settings import Settings
from phananh.transparency import scorecards

CONFIDENCE = 0.95
# The standard normal quantile of a two-sided 95 % interval.
Z_95 = 1.96
RANKED_BY = "on_time_ci95.low"


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> dict[str, float] | None:
    """The Wilson score interval of a proportion, in percent rounded to 0.1; None without trials.

    Unlike the textbook p ± z·√(p(1−p)/n), it stays within 0–100 % and does not shrink to nothing
    at 0 % or 100 %: one report fixed on time out of one gives 20.7–100 %, not 100–100 %."""
    if trials <= 0:
        return None
    share = successes / trials
    z_squared_per_trial = z * z / trials
    centre = (share + z_squared_per_trial / 2) / (1 + z_squared_per_trial)
    spread = math.sqrt(share * (1 - share) / trials + z_squared_per_trial / (4 * trials))
    half_width = z * spread / (1 + z_squared_per_trial)
    return {
        "low": round(100 * max(0.0, centre - half_width), 1),
        "high": round(100 * min(1.0, centre + half_width), 1),
    }


def league_row(named: dict[str, Any], days: list[dict[str, Any]]) -> dict[str, Any]:
    """One unit's or field's line of the table from its day items (not ranked yet)."""
    summed, card = scorecards.totals(days), scorecards.summary(days)
    return {
        **named,
        "received": card["received"],
        "resolved": card["resolved"],
        "resolved_on_time": summed["resolved_on_time"],
        "on_time_pct": card["resolved_on_time_pct"],
        "on_time_ci95": wilson_interval(summed["resolved_on_time"], card["resolved"]),
        "median_hours_to_resolve": card["hours_to_resolve"]["median"],
        "satisfaction": card["satisfaction"],
        "reopen_rate_pct": card["reopen_rate_pct"],
        "confirmed_fixes": card["confirmed_fixes"],
        "confirmed_fix_pct": card["confirmed_fix_pct"],
        "ranked": False,
        "rank": None,
    }


def _name_key(row: dict[str, Any], id_field: str) -> tuple[str, str]:
    name = row["name"]
    return ((name or {}).get("vi") or "", row[id_field])


def ranked_table(rows: list[dict[str, Any]], *, min_resolved: int, id_field: str) -> list[dict[str, Any]]:
    """The rows with at least `min_resolved` resolved reports (and at least one) first, by the lower
    bound of their on-time interval, highest first; ties by the shorter median time to resolve, then
    by name. The others follow by name, listed but not ranked."""
    def eligible(row: dict[str, Any]) -> bool:
        return row["resolved"] >= max(1, min_resolved)

    def standing(row: dict[str, Any]) -> tuple[float, float, tuple[str, str]]:
        median = row["median_hours_to_resolve"]
        return (-row["on_time_ci95"]["low"], math.inf if median is None else median, _name_key(row, id_field))

    ranked = sorted((row for row in rows if eligible(row)), key=standing)
    others = sorted((row for row in rows if not eligible(row)), key=lambda row: _name_key(row, id_field))
    return [
        *({**row, "ranked": True, "rank": place} for place, row in enumerate(ranked, start=1)),
        *({**row, "ranked": False, "rank": None} for row in others),
    ]


def league(query: dict[str, str], *, ports: Ports, settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """GET /public/league: every unit's and field's line over the period (30, 90 or 365 days), ranked
    by the rule above; one query per scope of the scorecard table."""
    period = scorecards.parse_period(query.get("period"))
    first, last = scorecards.period_days(period, now or datetime.now(UTC))
    rows: dict[str, list[dict[str, Any]]] = {"unit": [], "field": []}
    for kind, named, days in scorecards.scoped_days(first, last, ports=ports):
        rows[kind].append(league_row(named, days))
    minimum = settings.league_min_resolved
    return {
        "period_days": period,
        "from": first,
        "to": last,
        "min_resolved": minimum,
        "method": {"confidence": CONFIDENCE, "min_resolved": minimum, "ranked_by": RANKED_BY},
        "units": ranked_table(rows["unit"], min_resolved=minimum, id_field="unit_id"),
        "fields": ranked_table(rows["field"], min_resolved=minimum, id_field="category"),
    }
