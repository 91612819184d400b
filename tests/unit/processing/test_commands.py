"""The officers' and coordinators' commands (processing.commands) on the fake ports: each move of the
lifecycle, who may make it, conflicts, queues and the officer's view."""

from datetime import timedelta

import pytest
from fakes import PUSH
from flows_on_fakes import CONTACT, ROUTED_AT, deliver_changes, routed

from phananh.processing import commands
from phananh.processing.sign_in import Forbidden
from phananh.report.lifecycle import Action, Publication, Status
from phananh.report.model import Result
from phananh.routing.directory import COORDINATORS_ID
from phananh.routing.rules import ANY_WARD, RoutingRule
from phananh.shared.errors import InvalidInput, NotFound, StateConflict

NOW = ROUTED_AT + timedelta(hours=1)


@pytest.fixture
def report(ports, settings, directory):
    return routed(ports, settings, push=PUSH, contact=CONTACT)[0]


def test_the_owner_unit_acknowledges_works_and_resolves_and_the_reporter_hears_each_move(
        ports, settings, report, officer):
    common = dict(ports=ports)
    acknowledged = commands.acknowledge(officer, report.report_id, note="Đã nhận", now=NOW, **common)
    started = commands.add_progress(officer, report.report_id, "Đang vá", now=NOW + timedelta(hours=1), **common)
    noted = commands.add_progress(officer, report.report_id, "Gần xong", now=NOW + timedelta(hours=2), **common)
    resolved, uploads = commands.resolve(officer, report.report_id, "Đã vá xong", photo_count=2,
                                         now=NOW + timedelta(hours=3), **common)
    assert [acknowledged.status, started.status, noted.status, resolved.status] == [
        Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.RESOLVED]
    assert resolved.result == Result(note="Đã vá xong", at=NOW + timedelta(hours=3), officer=officer.officer_id,
                                     photo_count=2)
    assert [form.key for form in uploads] == [f"quarantine/{report.report_id}/r{n}" for n in (1, 2)]
    assert [event.action for event in ports.reports.events(report.report_id)][-4:] == [
        Action.ACKNOWLEDGE, Action.START_WORK, Action.NOTE, Action.RESOLVE]
    # Routed, acknowledged, started, resolved: a note is no news.
    deliver_changes(ports, settings, now=NOW + timedelta(hours=3))
    assert len(ports.notifier.pushes) == 4


def test_another_units_report_does_not_exist_for_its_officers(ports, settings, report, directory):
    stranger = directory.principal(directory.other_officer)
    with pytest.raises(NotFound):
        commands.acknowledge(stranger, report.report_id, ports=ports, now=NOW)
    with pytest.raises(NotFound):
        commands.report_detail(stranger, report.report_id, ports=ports, settings=settings, now=NOW)
    assert ports.reports.get(report.report_id).status is Status.ASSIGNED


def test_a_move_the_lifecycle_does_not_allow_is_a_conflict_with_the_current_state(ports, settings, report, officer):
    with pytest.raises(StateConflict) as refused:
        commands.resolve(officer, report.report_id, "xong", photo_count=1, ports=ports, now=NOW)
    assert refused.value.details["current"] == {"report_id": report.report_id, "status": "ASSIGNED",
                                                "version": report.version, "owner_unit_id": report.owner_unit_id}


def test_a_change_on_a_version_the_officer_no_longer_sees_is_refused(ports, settings, report, officer):
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    with pytest.raises(StateConflict) as refused:
        commands.add_progress(officer, report.report_id, "Đang vá", expected_version=report.version,
                              ports=ports, now=NOW)
    assert refused.value.code == "version_conflict"


def test_an_id_that_cannot_be_a_report_is_not_found(ports, settings, officer):
    with pytest.raises(NotFound):
        commands.acknowledge(officer, "../../etc/passwd", ports=ports, now=NOW)


def test_a_transfer_hands_the_report_to_its_new_owner_who_is_alerted_and_must_acknowledge(
        ports, settings, report, officer, directory):
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    emails = len(ports.notifier.emails)
    moved = commands.transfer(officer, report.report_id, "Thuộc Sở Xây dựng", to_unit_id=directory.other.unit_id,
                              ports=ports, now=NOW + timedelta(hours=1))
    assert (moved.status, moved.owner_unit_id, moved.transfer_count) == (Status.ASSIGNED, directory.other.unit_id, 1)
    assert moved.acknowledge_due_at > NOW + timedelta(hours=1)
    assert moved.resolve_due_at == report.resolve_due_at
    deliver_changes(ports, settings, now=NOW + timedelta(hours=1))
    assert [email.recipients for email in ports.notifier.emails[emails:]] == [[directory.other_officer.email]]
    with pytest.raises(NotFound):  # no longer theirs
        commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)


def test_not_ours_goes_to_the_coordinators_and_too_many_transfers_do_too(ports, settings, report, directory):
    officer, other = directory.principal(directory.officer), directory.principal(directory.other_officer)
    common = dict(ports=ports, now=NOW)
    commands.transfer(officer, report.report_id, "Sở", to_unit_id=directory.other.unit_id, **common)
    back = commands.transfer(other, report.report_id, "Phường", to_unit_id=directory.ward.unit_id, **common)
    assert back.transfer_count == 2
    capped = commands.transfer(officer, report.report_id, "Sở lần nữa", to_unit_id=directory.other.unit_id, **common)
    assert capped.owner_unit_id == COORDINATORS_ID and capped.transfer_count == 3
    assert "Đã chuyển 2 lần" in ports.reports.events(report.report_id)[-1].reason


def test_a_transfer_to_an_unknown_or_the_same_unit_is_invalid(ports, settings, report, officer, directory):
    for unit_id, code in (("no_such_unit", "unknown_unit"), (directory.ward.unit_id, "same_unit")):
        with pytest.raises(InvalidInput) as refused:
            commands.transfer(officer, report.report_id, "x", to_unit_id=unit_id, ports=ports,
                              now=NOW)
        assert refused.value.code == code


def test_only_a_coordinator_assigns_rejects_merges_and_moderates(ports, settings, report, officer, directory):
    common = dict(ports=ports, now=NOW)
    for attempt in (
        lambda: commands.assign(officer, report.report_id, directory.other.unit_id, **common),
        lambda: commands.reject(officer, report.report_id, "spam", "rác", **common),
        lambda: commands.merge(officer, report.report_id, report.report_id, **common),
        lambda: commands.unpublish(officer, report.report_id, "riêng tư", **common),
        lambda: commands.review_queue(officer, ports=ports),
    ):
        with pytest.raises(Forbidden):
            attempt()


def test_a_coordinators_assignment_is_not_counted_as_a_transfer(ports, settings, report, coordinator, directory):
    assigned = commands.assign(coordinator, report.report_id, directory.other.unit_id, reason="Sở lo",
                               ports=ports, now=NOW)
    assert (assigned.owner_unit_id, assigned.transfer_count) == (directory.other.unit_id, 0)


def test_a_rejected_report_ends_with_its_grounds_and_is_never_public(ports, settings, report, coordinator):
    with pytest.raises(InvalidInput):
        commands.reject(coordinator, report.report_id, "boring", "x", ports=ports, now=NOW)
    rejected = commands.reject(coordinator, report.report_id, "spam", "Quảng cáo", ports=ports,
                               now=NOW)
    assert rejected.status is Status.REJECTED and rejected.ended_at == NOW
    assert ports.reports.events(report.report_id)[-1].reason == "spam: Quảng cáo"
    assert ports.reports.published(limit=10, cursor=None).items == []


def test_a_merge_moves_both_reports_together_and_the_duplicates_reporter_follows_the_master(
        ports, settings, report, coordinator, directory):
    master = routed(ports, settings, description="Ổ gà khác")[0]
    duplicate = commands.merge(coordinator, report.report_id, master.report_id, reason="trùng",
                               ports=ports, now=NOW)
    assert (duplicate.status, duplicate.merged_into) == (Status.DUPLICATE, master.report_id)
    assert ports.reports.get(master.report_id).merged_reports == (report.report_id,)
    assert ports.reports.events(master.report_id)[-1].action is Action.ABSORB
    pushes = len(ports.notifier.pushes)
    deliver_changes(ports, settings, now=NOW)
    assert [pushed.device.to_dict() for pushed in ports.notifier.pushes[pushes:]] == [PUSH]  # the duplicate's reporter
    # Then the master's moves reach the duplicate's reporter too.
    commands.acknowledge(directory.principal(directory.officer), master.report_id, ports=ports, now=NOW)
    deliver_changes(ports, settings, now=NOW)
    assert [pushed.device.to_dict() for pushed in ports.notifier.pushes[pushes + 1:]] == [PUSH]


def test_a_merge_into_itself_or_into_an_ended_report_is_refused(ports, settings, report, coordinator):
    with pytest.raises(InvalidInput):
        commands.merge(coordinator, report.report_id, report.report_id, ports=ports, now=NOW)
    ended = routed(ports, settings)[0]
    commands.reject(coordinator, ended.report_id, "spam", "x", ports=ports, now=NOW)
    with pytest.raises(StateConflict) as refused:
        commands.merge(coordinator, report.report_id, ended.report_id, ports=ports, now=NOW)
    assert refused.value.code == "master_not_open"
    assert ports.reports.get(report.report_id).status is Status.ASSIGNED


def test_unpublish_and_publish_change_the_publication_alone_off_the_public_timeline(
        ports, settings, report, coordinator):
    common = dict(ports=ports)
    down = commands.unpublish(coordinator, report.report_id, "Có thông tin cá nhân", now=NOW, **common)
    assert (down.publication, down.status) == (Publication.UNPUBLISHED, Status.ASSIGNED)
    assert ports.reports.published(limit=10, cursor=None).items == []
    up = commands.publish(coordinator, report.report_id, now=NOW + timedelta(minutes=1), **common)
    assert up.publication is Publication.PUBLISHED
    assert [event.public for event in ports.reports.events(report.report_id)][-2:] == [False, False]


def test_the_review_queue_lists_what_waits_with_why(ports, settings, coordinator, directory):
    held = routed(ports, settings, description="Gọi 0961234580 để biết thêm")[0]
    page = commands.review_queue(coordinator, ports=ports)
    assert [item["report_id"] for item in page["reports"]] == [held.report_id]
    assert page["reports"][0]["held_for"][0]["code"] == "phone"
    commands.publish(coordinator, held.report_id, ports=ports, now=NOW)
    assert commands.review_queue(coordinator, ports=ports)["reports"] == []


def test_a_units_queue_pages_its_reports_the_most_overdue_first(ports, settings, officer, coordinator, directory):
    reports = [routed(ports, settings, now=ROUTED_AT + timedelta(hours=n))[0] for n in (2, 0, 1)]
    first = commands.unit_queue(officer, status="ASSIGNED", limit=2, ports=ports, now=NOW + timedelta(days=1))
    rest = commands.unit_queue(officer, status="ASSIGNED", limit=2, cursor=first["next_cursor"], ports=ports,
                               now=NOW + timedelta(days=1))
    listed = [item["report_id"] for item in first["reports"] + rest["reports"]]
    assert listed == [reports[1].report_id, reports[2].report_id, reports[0].report_id]
    assert [item["past_due"] for item in first["reports"]] == [True, True]
    assert rest["next_cursor"] is None
    with pytest.raises(Forbidden):
        commands.unit_queue(officer, unit_id=directory.other.unit_id, status="ASSIGNED", ports=ports)
    assert commands.unit_queue(coordinator, unit_id=directory.ward.unit_id, status="ASSIGNED", ports=ports)["reports"]
    with pytest.raises(InvalidInput):
        commands.unit_queue(officer, status="CLOSED", ports=ports)


def test_the_owner_sees_the_contact_and_the_view_is_recorded(ports, settings, report, officer):
    detail = commands.report_detail(officer, report.report_id, ports=ports, settings=settings, now=NOW)
    assert detail["contact"] == {"phone": "0961234580", "email": "dan@example.vn"}
    assert [(view.actor, view.purpose) for view in ports.reports.contact_views(report.report_id)] == [
        (officer.actor, "handle_report")]
    assert "acknowledge" in detail["allowed_actions"] and "reject" not in detail["allowed_actions"]


def test_a_coordinator_sees_the_contact_only_for_a_stated_purpose(ports, settings, report, coordinator):
    plain = commands.report_detail(coordinator, report.report_id, ports=ports, settings=settings, now=NOW)
    assert plain["contact"] is None
    stated = commands.report_detail(coordinator, report.report_id, purpose="verify_location", ports=ports,
                                    settings=settings, now=NOW)
    assert stated["contact"]["phone"] == "0961234580"
    assert [view.purpose for view in ports.reports.contact_views(report.report_id)] == ["verify_location"]
    with pytest.raises(InvalidInput):
        commands.report_detail(coordinator, report.report_id, purpose="curiosity", ports=ports, settings=settings)


def test_without_consent_nobody_sees_the_contact(ports, settings, officer, directory):
    private = routed(ports, settings, contact={**CONTACT, "share_with_officer": False})[0]
    detail = commands.report_detail(officer, private.report_id, ports=ports, settings=settings, now=NOW)
    assert detail["contact"] is None and ports.reports.contact_views(private.report_id) == []


def test_an_officer_who_handed_a_report_over_sees_only_where_it_went(ports, settings, report, officer, directory):
    moved = commands.transfer(officer, report.report_id, "Thuộc Sở", to_unit_id=directory.other.unit_id,
                              ports=ports, now=NOW)
    seen = commands.handed_over_view(moved, officer, ports=ports, settings=settings)
    assert seen == {"report_id": report.report_id, "status": "ASSIGNED", "version": moved.version,
                    "owner_unit": seen["owner_unit"], "allowed_actions": []}
    assert seen["owner_unit"]["unit_id"] == directory.other.unit_id
    coordinator = directory.principal(directory.coordinator)
    whole = commands.handed_over_view(moved, coordinator, ports=ports, settings=settings)
    assert whole["timeline"] and "assign" in whole["allowed_actions"]


def test_resolving_without_an_after_photo_is_refused_and_leaves_the_report_as_it_was(ports, report, officer):
    acknowledged = commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    with pytest.raises(InvalidInput) as refused:
        commands.resolve(officer, report.report_id, "Đã vá xong", ports=ports, now=NOW + timedelta(hours=1))
    assert refused.value.code == "after_photo_required" and refused.value.details == {"field": "photo_count"}
    assert set(refused.value.message) == {"vi", "en"}
    assert ports.reports.get(report.report_id) == acknowledged


def test_an_administrative_field_is_resolved_without_an_after_photo(ports, settings, directory, officer):
    ports.directory.put_rules([RoutingRule("education", ANY_WARD, directory.ward.unit_id)])
    school_fees, _ = routed(ports, settings, category="education", description="Trường thu thêm tiền học")
    commands.acknowledge(officer, school_fees.report_id, ports=ports, now=NOW)
    resolved, uploads = commands.resolve(officer, school_fees.report_id, "Đã hoàn trả khoản thu", ports=ports,
                                         now=NOW + timedelta(hours=1))
    assert resolved.status is Status.RESOLVED and resolved.result.photo_count == 0 and uploads == []
