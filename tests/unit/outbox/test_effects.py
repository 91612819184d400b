"""The side effects of a change of a report, from its images before and after: one function, every
kind, none for a change nobody hears of, keys the same for every delivery and unique among changes."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sample_reports import FILED_AT, assigned, received

from phananh.adapters.events import stream_image
from phananh.outbox.effects import Effect, Kind, effects_of, image_of
from phananh.report.lifecycle import Status

PUSH = b"sealed-push-endpoint"
# Every status change tells the report's followers, whoever they are (the delivery reads the follows).
FOLLOWERS = (Kind.FOLLOWERS, "")


def change(before, **fields):
    """`before` and the report after a change of `fields` (its version moved on)."""
    return before, replace(before, version=before.version + 1, **fields)


def effects(before, after):
    return effects_of(None if before is None else image_of(before), image_of(after))


def kinds_and_targets(found):
    return [(effect.kind, effect.target) for effect in found]


def test_a_filed_report_is_routed_and_nothing_else():
    report = received(push_ciphertext=PUSH)
    assert effects(None, report) == [Effect(Kind.ROUTE, report.report_id, 1)]


def test_routing_alerts_the_owner_and_pushes_the_reporter():
    before, after = change(received(push_ciphertext=PUSH), status=Status.ASSIGNED, owner_unit_id="ubnd_31321")
    assert kinds_and_targets(effects(before, after)) == [
        (Kind.OWNER_ALERT, "ubnd_31321"), (Kind.PUSH, after.report_id), FOLLOWERS,
    ]


def test_a_reporter_without_a_push_token_gets_no_push():
    before, after = change(received(), status=Status.ASSIGNED, owner_unit_id="ubnd_31321")
    assert kinds_and_targets(effects(before, after)) == [(Kind.OWNER_ALERT, "ubnd_31321"), FOLLOWERS]


def test_a_transfer_alerts_the_new_owner_and_pushes():
    before, after = change(assigned("ubnd_31321", status=Status.ACKNOWLEDGED, push_ciphertext=PUSH),
                           status=Status.ASSIGNED, owner_unit_id="so_xay_dung")
    assert kinds_and_targets(effects(before, after)) == [
        (Kind.OWNER_ALERT, "so_xay_dung"), (Kind.PUSH, after.report_id), FOLLOWERS,
    ]


def test_a_coordinator_s_reassignment_in_place_alerts_the_new_owner():
    before, after = change(assigned("ubnd_31321", push_ciphertext=PUSH), owner_unit_id="so_xay_dung")
    assert kinds_and_targets(effects(before, after)) == [(Kind.OWNER_ALERT, "so_xay_dung")]


def test_naming_an_assignee_e_mails_them_only():
    before, after = change(assigned(push_ciphertext=PUSH), assignee_id="ubnd_31321.officer")
    assert kinds_and_targets(effects(before, after)) == [(Kind.ASSIGNEE_ALERT, "ubnd_31321.officer")]


def test_clearing_the_assignee_tells_nobody():
    before, after = change(assigned(assignee_id="ubnd_31321.officer"), assignee_id=None)
    assert effects(before, after) == []


def test_a_status_change_pushes_the_reporter_and_those_of_the_merged_reports():
    master = assigned(push_ciphertext=PUSH, merged_reports=("PA2", "PA1"))
    before, after = change(master, status=Status.ACKNOWLEDGED)
    assert kinds_and_targets(effects(before, after)) == [
        (Kind.PUSH, master.report_id), (Kind.PUSH, "PA1"), (Kind.PUSH, "PA2"), FOLLOWERS,
    ]


def test_a_merged_report_s_reporter_hears_of_the_merge():
    before, after = change(assigned(push_ciphertext=PUSH), status=Status.DUPLICATE, merged_into="PA9")
    assert kinds_and_targets(effects(before, after)) == [(Kind.PUSH, after.report_id), FOLLOWERS]


@pytest.mark.parametrize("fields", [
    {"description": "a note changes nothing anyone hears of"},
    {"photo_count": 3},
    {"merged_reports": ("PA1",)},  # the master taking in a duplicate: the duplicate's own change tells
    {"updated_at": FILED_AT + timedelta(hours=1)},
])
def test_changes_nobody_hears_of_have_no_effect(fields):
    before, after = change(assigned(push_ciphertext=PUSH), **fields)
    assert effects(before, after) == []


def test_the_rating_reminder_is_pushed_once_recorded():
    resolved = assigned(status=Status.RESOLVED, push_ciphertext=PUSH)
    before, after = change(resolved, rating_reminded_at=FILED_AT + timedelta(days=3))
    assert kinds_and_targets(effects(before, after)) == [(Kind.RATING_REMINDER, after.report_id)]


def test_each_recorded_escalation_level_is_one_effect_named_by_its_level_and_deadline():
    due = FILED_AT + timedelta(days=1)
    before, first = change(assigned(), escalation_level=1, escalation_due=due, escalated_at=due)
    [level_1] = effects(before, first)
    assert (level_1.kind, level_1.target) == (Kind.ESCALATION, "1")
    # A retried state machine writing the same level again (a new version) names the same occasion.
    _, again = change(first, escalated_at=due + timedelta(seconds=5))
    [repeated] = effects(first, again)
    assert repeated.key == level_1.key
    _, second = change(first, escalation_level=2, escalated_at=due + timedelta(days=1))
    [level_2] = effects(first, second)
    assert level_2.key != level_1.key


def test_a_deleted_report_has_no_effect():
    assert effects_of(image_of(assigned()), None) == []


def test_keys_are_the_same_for_every_delivery_and_unique_among_changes():
    before, routed = change(received(push_ciphertext=PUSH), status=Status.ASSIGNED, owner_unit_id="ubnd_31321")
    _, acknowledged = change(routed, status=Status.ACKNOWLEDGED)
    keys = [effect.key for effect in (*effects(None, before), *effects(before, routed), *effects(routed, acknowledged))]
    assert len(set(keys)) == len(keys) == 6
    assert [effect.key for effect in effects(before, routed)] == [effect.key for effect in effects(before, routed)]


def test_every_status_change_tells_the_followers_its_new_status():
    before, after = change(assigned(), status=Status.ACKNOWLEDGED)
    [followers] = effects(before, after)
    assert (followers.kind, followers.detail) == (Kind.FOLLOWERS, "ACKNOWLEDGED")
    assert followers.key == f"{after.report_id}:v{after.version}:followers"


def test_an_effect_survives_its_queue_message():
    before, after = change(received(push_ciphertext=PUSH), status=Status.ASSIGNED, owner_unit_id="ubnd_31321")
    for effect in effects(before, after):
        assert Effect.from_message(json.loads(json.dumps(effect.to_message()))) == effect


@pytest.mark.parametrize("message", [
    {"effect": "launch", "report_id": "PA1", "version": 1},
    {"effect": "push", "report_id": 7, "version": 1},
    {"effect": "push", "report_id": "PA1", "version": "1"},
    {"effect": "push", "version": 1},
])
def test_a_message_that_is_no_effect_is_refused(message):
    with pytest.raises((ValueError, KeyError)):
        Effect.from_message(message)


def test_the_stream_s_merged_reports_read_as_the_list_they_were():
    image = stream_image({"report_id": {"S": "PA1"}, "merged_reports": {"S": json.dumps(["PA2", "PA3"])}})
    assert image["merged_reports"] == ["PA2", "PA3"]
    assert stream_image({"report_id": {"S": "PA1"}})["merged_reports"] == []
