"""The reporter's rating of a resolution (transparency.rating) on the fake ports: it closes or reopens
the report, once; a coordinator may hide its comment."""

from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed

from phananh.processing import commands
from phananh.processing.sign_in import Forbidden
from phananh.report.lifecycle import Status
from phananh.report.model import Rating, Result
from phananh.shared.errors import InvalidInput, NotFound, StateConflict
from phananh.transparency import rating, views

RESOLVED_AT = ROUTED_AT + timedelta(hours=2)
RATED_AT = RESOLVED_AT + timedelta(hours=1)


@pytest.fixture
def resolved(ports, settings, directory):
    officer = directory.principal(directory.officer)
    report, token = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, ports=ports, now=ROUTED_AT + timedelta(hours=1))
    commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports, now=RESOLVED_AT)
    return report.report_id, token


def test_a_good_rating_closes_the_report_and_a_second_is_refused(ports, resolved):
    report_id, token = resolved
    closed = rating.rate(report_id, token, {"score": 5, "fixed": True, "comment": "Cảm ơn"}, ports=ports,
                         now=RATED_AT)
    assert closed.status is Status.CLOSED
    assert closed.rating.score == 5 and closed.rating.resolved_at == RESOLVED_AT
    assert "Cảm ơn" not in str(ports.reports.events(report_id)[-1].reason)
    with pytest.raises(StateConflict) as again:
        rating.rate(report_id, token, {"score": 1, "fixed": False}, ports=ports, now=RATED_AT)
    assert again.value.code == "already_rated"


def test_not_fixed_and_a_low_score_reopens_the_report_with_a_new_resolve_deadline(ports, resolved):
    report_id, token = resolved
    reopened = rating.rate(report_id, token, {"score": 1, "fixed": False}, ports=ports, now=RATED_AT)
    assert (reopened.status, reopened.reopen_count) == (Status.IN_PROGRESS, 1)
    assert reopened.resolve_due_at > RATED_AT


def test_a_rating_needs_the_token_a_resolution_and_a_valid_body(ports, settings, resolved, directory):
    report_id, token = resolved
    with pytest.raises(NotFound):
        rating.rate(report_id, "wrong", {"score": 5, "fixed": True}, ports=ports, now=RATED_AT)
    with pytest.raises(InvalidInput):
        rating.rate(report_id, token, {"score": 9, "fixed": True}, ports=ports, now=RATED_AT)
    open_report, open_token = routed(ports, settings)
    with pytest.raises(StateConflict):
        rating.rate(open_report.report_id, open_token, {"score": 5, "fixed": True}, ports=ports, now=RATED_AT)


def test_a_coordinator_hides_an_abusive_comment_from_the_public_but_the_score_stays(
        ports, settings, resolved, directory):
    report_id, token = resolved
    rating.rate(report_id, token, {"score": 2, "fixed": True, "comment": "Đồ tồi"}, ports=ports, now=RATED_AT)
    with pytest.raises(Forbidden):
        rating.hide_comment(directory.principal(directory.officer), report_id, "x", ports=ports, now=RATED_AT)
    coordinator = directory.principal(directory.coordinator)
    hidden = rating.hide_comment(coordinator, report_id, "xúc phạm", ports=ports, now=RATED_AT)
    public = views.public_view(report_id, ports=ports, settings=settings, now=RATED_AT)["rating"]
    assert (public["score"], public["comment"], public["comment_hidden"]) == (2, None, True)
    assert hidden.rating.comment == "Đồ tồi"  # kept for the reporter and officers
    versions = len(ports.reports.events(report_id))
    rating.hide_comment(coordinator, report_id, "xúc phạm", ports=ports, now=RATED_AT)
    assert len(ports.reports.events(report_id)) == versions


def _rating(fixed, resolved_at):
    return Rating(score=3, fixed=fixed, comment=None, comment_hidden=False, at=RATED_AT, resolved_at=resolved_at,
                  by=rating.REPORTER)


@pytest.mark.parametrize(("given", "confirmed"), [
    pytest.param(None, True, id="the window closed without a rating"),
    pytest.param(_rating(True, RESOLVED_AT), True, id="rated fixed"),
    pytest.param(_rating(False, RESOLVED_AT), False, id="rated not fixed"),
    pytest.param(_rating(False, RESOLVED_AT - timedelta(days=3)), True, id="a rating of the earlier resolution"),
    pytest.param(_rating(False, None), False, id="a rating stored before resolved_at was"),
])
def test_a_fix_is_confirmed_unless_its_reporter_said_not_fixed(given, confirmed):
    result = Result(note="Đã vá", at=RESOLVED_AT, officer="vt.officer", photo_count=1)
    assert rating.confirms_fix(given, result) is confirmed
