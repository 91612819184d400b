"""Where a merged report's reporter now looks: merges chain (A into B, later B into C), and a
reporter of A follows C."""

from __future__ import annotations

from collections.abc import Callable

from phananh.report.model import Report

# Each hop is a read; the walk stops after this many, so that even a loop a data error made cannot spin.
MERGE_HOPS_MAX = 5


def followed_master(report: Report, lookup: Callable[[str], Report | None]) -> tuple[Report, str] | None:
    """The report at the end of `report`'s chain of merges, with the id of the report it took in
    (`report` itself, or the last one before it in the chain); None if `report` was not merged.
    A link to a report `lookup` does not find ends the chain there."""
    absorbed, master = report, None
    for _ in range(MERGE_HOPS_MAX):
        merged_into = (master or report).merged_into
        following = lookup(merged_into) if merged_into else None
        if following is None:
            break
        absorbed, master = master or report, following
    return (master, absorbed.report_id) if master else None
