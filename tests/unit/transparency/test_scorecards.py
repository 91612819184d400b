"""The public scorecards (transparency.scorecards) on the fake ports: each change of a report, as the
reports stream carries it, counted once on its unit's and field's day, then read back per period."""

import itertools
import json
from collections import Counter
from dataclasses import asdict, replace
from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed

from phananh.escalation import jobs
from phananh.intake import answers
from phananh.processing import commands
from phananh.report.lifecycle import Status
from phananh.report.model import Report, iso
from phananh.shared.errors import InvalidInput
from phananh.transparency import rating, scorecards

NOW = ROUTED_AT + timedelta(days=1)


def image(report: Report | None) -> dict | None:
    """A report as phananh.adapters.events.stream_image gives the stream's image of it: times as ISO
    text, JSON fields decoded, its result and rating typed."""
    if report is None:
        return None
    fields = {name: value for name, value in asdict(report).items() if value is not None}
    plain = json.loads(json.dumps({**fields, "status": str(report.status)}, default=iso))
    return {**plain, "result": report.result, "rating": report.rating}


def count_change(ports, before: Report | None, after: Report) -> bool:
    """What the rate app does with one stream record."""
    change = scorecards.increments(image(before), image(after))
    return change is not None and ports.scorecards.apply(change, scorecards.scopes_of(change), NOW)


@pytest.fixture
def history(ports, settings, directory):
    """Every version of one report: filed, routed, acknowledged in an hour, resolved, rated 4."""
    officer = directory.principal(directory.officer)
    report, token = routed(ports, settings)
    acknowledged = commands.acknowledge(officer, report.report_id, ports=ports,
                                        now=ROUTED_AT + timedelta(hours=1))
    resolved, _ = commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports,
                                   now=ROUTED_AT + timedelta(hours=5))
    rated = rating.rate(report.report_id, token, {"score": 4, "fixed": True}, ports=ports,
                        now=ROUTED_AT + timedelta(hours=6))
    filed = replace(report, status=Status.RECEIVED, version=report.version - 1, published_at=None)
    return [filed, report, acknowledged, resolved, rated]


def test_each_change_counts_once_and_the_scorecards_show_the_units_and_fields_figures(ports, history, directory):
    pairs = list(itertools.pairwise(history))
    assert all(count_change(ports, before, after) for before, after in pairs)
    assert not any(count_change(ports, before, after) for before, after in pairs)  # a redelivered batch
    cards = scorecards.scorecards({"period": "30"}, ports=ports, now=NOW)
    [unit] = cards["units"]
    [field] = cards["fields"]
    assert (unit["unit_id"], unit["name"]) == (directory.ward.unit_id, directory.ward.name)
    assert field["category"] == "roads"
    for card in (unit, field):
        assert (card["received"], card["acknowledged"], card["resolved"]) == (1, 1, 1)
        assert card["acknowledged_on_time_pct"] == 100.0
        assert card["satisfaction"] == {"average": 4.0, "count": 1}
        assert card["hours_to_acknowledge"]["median"] >= 1
        assert (card["confirmed_fixes"], card["confirmed_fix_pct"]) == (1, 100.0)


def test_a_period_out_of_the_list_is_refused(ports):
    with pytest.raises(InvalidInput):
        scorecards.scorecards({"period": "7"}, ports=ports, now=NOW)



def fix_figures(ports, settings, officer, ratings):
    """A report resolved (again after each reopening), rated with each of `ratings` in turn, then
    closed unrated if still RESOLVED: the fix outcomes and confirmed fixes its changes counted."""
    report, token = routed(ports, settings)
    report_id, now, counted = report.report_id, ROUTED_AT + timedelta(hours=1), Counter()

    def counting(use_case, *args, **kwargs):
        before = ports.reports.get(report_id)
        use_case(*args, ports=ports, **kwargs)
        increments = scorecards.increments(image(before), image(ports.reports.get(report_id)))
        counted.update(increments.counts if increments else {})

    counting(commands.acknowledge, officer, report_id, now=now)
    for rated in [*ratings, None]:
        now += timedelta(hours=1)
        if ports.reports.get(report_id).status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            counting(commands.resolve, officer, report_id, "Đã vá", photo_count=1, now=now)
        if rated is not None:
            now += timedelta(hours=1)
            score, fixed = rated
            counting(rating.rate, report_id, token, {"score": score, "fixed": fixed}, now=now)
    counting(jobs.close_unrated, now=now + timedelta(days=8))
    assert ports.reports.get(report_id).status is Status.CLOSED
    return counted["fix_outcomes"], counted["confirmed_fixes"]


@pytest.mark.parametrize(("ratings", "figures"), [
    pytest.param([(4, True)], (1, 1), id="rated fixed"),
    pytest.param([], (1, 1), id="rating window closed without a rating"),
    pytest.param([(3, False)], (1, 0), id="rated not fixed, closed"),
    pytest.param([(1, False), (5, True)], (2, 1), id="reopened, then rated fixed"),
    # The rating that reopened the report was of the first resolution: no word on the second.
    pytest.param([(1, False)], (2, 1), id="reopened, then closed unrated"),
])
def test_a_resolution_is_a_confirmed_fix_only_when_the_reporter_did_not_say_not_fixed(
        ports, settings, directory, officer, ratings, figures):
    assert fix_figures(ports, settings, officer, ratings) == figures


def test_a_resolution_within_the_deadline_paused_for_the_reporters_answer_counts_as_on_time(
        ports, settings, directory):
    officer = directory.principal(directory.officer)
    report, token = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, ports=ports, now=ROUTED_AT + timedelta(hours=1))
    asked_at = ROUTED_AT + timedelta(hours=2)
    commands.ask_reporter(officer, report.report_id, "Ổ gà ở làn nào?", pause_working_days=3, ports=ports,
                          now=asked_at)
    answers.answer_question(report.report_id, token, {"text": "Làn phải"}, ports=ports,
                            now=asked_at + timedelta(days=1))
    before = ports.reports.get(report.report_id)
    # Half a day after the stored deadline, within the one it was moved to by the day's wait.
    resolved, _ = commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports,
                                   now=report.resolve_due_at + timedelta(hours=12))
    # The pause of the answered question is counted on the report (earlier_pauses_s), no question needed.
    change = scorecards.increments(image(before), image(resolved))
    assert (change.counts["resolved"], change.counts["resolved_on_time"]) == (1, 1)
