import pytest

from phananh.report.lifecycle import MOVES, Action, Status, is_published, next_status
from phananh.shared.errors import StateConflict


def test_a_report_starts_received():
    assert next_status(None, Action.SUBMIT) is Status.RECEIVED


@pytest.mark.parametrize(
    ("path", "final"),
    [
        ([Action.ROUTE, Action.ACKNOWLEDGE, Action.START_WORK, Action.RESOLVE, Action.CLOSE], Status.CLOSED),
        ([Action.ROUTE, Action.ACKNOWLEDGE, Action.RESOLVE, Action.REOPEN, Action.RESOLVE], Status.RESOLVED),
        ([Action.ROUTE, Action.ACKNOWLEDGE, Action.TRANSFER, Action.ACKNOWLEDGE], Status.ACKNOWLEDGED),
        ([Action.REJECT], Status.REJECTED),
        ([Action.ROUTE, Action.MERGE], Status.DUPLICATE),
    ],
)
def test_paths_through_the_lifecycle(path, final):
    status = next_status(None, Action.SUBMIT)
    for action in path:
        status = next_status(status, action)
    assert status is final


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.RECEIVED, Action.ACKNOWLEDGE),
        (Status.ASSIGNED, Action.RESOLVE),
        (Status.RESOLVED, Action.TRANSFER),
        (Status.CLOSED, Action.REOPEN),
        (Status.REJECTED, Action.ROUTE),
        (Status.DUPLICATE, Action.REJECT),
    ],
)
def test_forbidden_moves_are_conflicts(status, action):
    with pytest.raises(StateConflict) as refused:
        next_status(status, action)
    assert refused.value.code == "invalid_transition"
    assert refused.value.message["vi"] and refused.value.message["en"]


def test_terminal_states_lead_nowhere():
    for status in (Status.CLOSED, Status.REJECTED, Status.DUPLICATE):
        assert not any(status in move.sources for move in MOVES.values())


def test_every_state_but_the_start_is_reachable():
    reachable = {move.target for move in MOVES.values()}
    assert reachable == set(Status)


def test_publication_follows_the_state():
    assert not is_published(Status.RECEIVED)
    assert is_published(Status.ASSIGNED)
    assert is_published(Status.CLOSED)
    assert not is_published(Status.REJECTED)
    assert not is_published(Status.DUPLICATE)
