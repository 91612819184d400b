"""Which report a merged report's reporter follows, at the end of a chain of merges."""

from dataclasses import replace
from datetime import UTC, datetime

from phananh.report.lifecycle import Status
from phananh.report.merges import MERGE_HOPS_MAX, followed_master
from phananh.report.model import Report

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _report(report_id: str, status: Status, merged_into: str | None) -> Report:
    return Report(
        report_id=report_id, version=2, status=status, source="app", category_code="roads",
        description="Ổ gà", location=None, ward_code="31321", address=None, photo_count=0,
        tracking_token_hash="x", contact_ciphertext=None, contact_shared=False, created_at=NOW, updated_at=NOW,
        merged_into=merged_into,
    )


def _chain(*ids: str) -> dict:
    """Reports merged one into the next: the first into the second, and so on; the last is open."""
    reports = {}
    for report_id, into in zip(ids, [*ids[1:], None], strict=True):
        status = Status.DUPLICATE if into else Status.IN_PROGRESS
        reports[report_id] = _report(report_id, status, into)
    return reports


def test_a_report_not_merged_follows_nobody():
    reports = _chain("PA261123AAAAAAAA")
    assert followed_master(reports["PA261123AAAAAAAA"], reports.get) is None


def test_a_merged_report_follows_its_master():
    reports = _chain("PA261123AAAAAAAA", "PA261123BBBBBBBB")
    master, absorbed = followed_master(reports["PA261123AAAAAAAA"], reports.get)
    assert (master.report_id, absorbed) == ("PA261123BBBBBBBB", "PA261123AAAAAAAA")


def test_a_chain_is_followed_to_its_end_with_the_report_the_end_took_in():
    reports = _chain("PA261123AAAAAAAA", "PA261123BBBBBBBB", "PA261123CCCCCCCC")
    master, absorbed = followed_master(reports["PA261123AAAAAAAA"], reports.get)
    assert (master.report_id, absorbed) == ("PA261123CCCCCCCC", "PA261123BBBBBBBB")


def test_a_link_to_a_missing_report_ends_the_chain_there():
    reports = _chain("PA261123AAAAAAAA", "PA261123BBBBBBBB", "PA261123CCCCCCCC")
    del reports["PA261123CCCCCCCC"]
    master, absorbed = followed_master(reports["PA261123AAAAAAAA"], reports.get)
    assert (master.report_id, absorbed) == ("PA261123BBBBBBBB", "PA261123AAAAAAAA")


def test_a_loop_stops_after_the_hops_allowed():
    reports = _chain("PA261123AAAAAAAA", "PA261123BBBBBBBB")
    reports["PA261123BBBBBBBB"] = replace(reports["PA261123BBBBBBBB"], merged_into="PA261123AAAAAAAA")
    reads = []

    def lookup(report_id):
        reads.append(report_id)
        return reports.get(report_id)

    assert followed_master(reports["PA261123AAAAAAAA"], lookup) is not None
    assert len(reads) == MERGE_HOPS_MAX
