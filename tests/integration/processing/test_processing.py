"""The processing use cases on moto: officers, unit heads and coordinators working routed reports."""

import dataclasses
import json
import threading
import uuid
from datetime import timedelta

import boto3
import pytest
from chalice.test import Client
from delivery_flows import drain_outbox
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from photo_samples import jpeg_with_gps
from report_flows import queued_bodies

from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.processing.sign_in import Forbidden
from phananh.report.model import utcnow
from phananh.routing.directory import COORDINATORS_ID
from phananh.shared.errors import InvalidInput, NotFound, StateConflict
from phananh.shared.settings import get_settings
from phananh_local.apps import app_dir, load_chalice_app
from phananh_local.demo import seed_demo_data
from phananh_local.demo_directory import ward_committee_id

REGION = "ap-southeast-1"
VI_THANH = {"lat": 9.779, "lon": 105.47}
ROADS_UNIT = "so_xay_dung"
WARD_UNIT = ward_committee_id("31321")

OFFICER = Principal("so_xay_dung.officer", ROADS_UNIT, frozenset({"officer"}))
UNIT_HEAD = Principal("so_xay_dung.head", ROADS_UNIT, frozenset({"unit_head"}))
WARD_OFFICER = Principal(f"{WARD_UNIT}.officer", WARD_UNIT, frozenset({"officer"}))
ENVIRONMENT_UNIT = "so_nong_nghiep_moi_truong"
ENVIRONMENT_OFFICER = Principal(f"{ENVIRONMENT_UNIT}.officer", ENVIRONMENT_UNIT, frozenset({"officer"}))
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", COORDINATORS_ID, frozenset({"coordinator"}))


@pytest.fixture
def route_api(aws):
    seed_demo_data()
    with Client(load_chalice_app("route").app, project_dir=str(app_dir("route"))) as client:
        yield client


def context(ports):
    return {"ports": ports, "now": utcnow()}


def deliver_queued(aws, route_api):
    """The intake queue delivered to the route function, then what its changes call for (the outbox)."""
    event = route_api.events.generate_sqs_event(message_bodies=queued_bodies(aws), queue_name="phananh-intake")
    assert route_api.lambda_.invoke("handle_intake", event).payload == {"batchItemFailures": []}
    drain_outbox()


def file_routed_report(aws, submit_api, route_api, **fields) -> dict:
    """A report filed through the citizen API and routed by the route function: its receipt."""
    body = {"category": "roads", "description": "Ổ gà lớn trước chợ", "location": VI_THANH, **fields}
    response = submit_api.http.post("/reports", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    assert response.status_code == 201, response.body
    deliver_queued(aws, route_api)
    return response.json_body


def reporter_view(submit_api, receipt) -> dict:
    response = submit_api.http.get(
        f"/reports/{receipt['report_id']}", headers={"Authorization": f"Bearer {receipt['tracking_token']}"}
    )
    assert response.status_code == 200, response.body
    return response.json_body


def assert_one_event_per_change(report_id):
    """Every version of the report, from its submission on, has exactly one audit event."""
    store = DynamoReportStore()
    versions = [event.version for event in store.events(report_id)]
    assert versions == list(range(1, store.get(report_id).version + 1))


def test_acknowledge_progress_and_resolve_with_an_after_photo_reach_the_reporter(aws, submit_api, route_api, ports):
    receipt = file_routed_report(aws, submit_api, route_api)
    report_id = receipt["report_id"]

    assert commands.acknowledge(OFFICER, report_id, note="Đã nhận, cử cán bộ kiểm tra.",
                                  **context(ports)).status == "ACKNOWLEDGED"
    assert commands.add_progress(OFFICER, report_id, "Đã khảo sát hiện trường.", **context(ports)).status \
        == "IN_PROGRESS"
    assert commands.add_progress(UNIT_HEAD, report_id, "Đã đặt biển cảnh báo.", **context(ports)).status \
        == "IN_PROGRESS"
    resolved, [upload] = commands.resolve(OFFICER, report_id, "Đã vá ổ gà, thông xe.", photo_count=1,
                                            **context(ports))
    assert resolved.status == "RESOLVED"
    assert resolved.result.officer == OFFICER.officer_id
    assert upload.key == f"quarantine/{report_id}/r1" == upload.fields["key"]

    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    boto3.client("s3").put_object(Bucket=bucket, Key=upload.key, Body=jpeg_with_gps(colour=(20, 160, 60)))
    deliver_queued(aws, route_api)

    report = ports.reports.get(report_id)
    after_photo = report.result_photos["1"]
    assert after_photo.is_checked
    assert after_photo.image_key.startswith(f"public/{report_id}/r1-")  # named by its content
    assert report.photos == {}  # the reporter's photos are untouched
    assert [event.action for event in ports.reports.events(report_id)] == [
        "submit", "route", "acknowledge", "start_work", "note", "resolve", "attach_photo",
    ]
    assert_one_event_per_change(report_id)

    view = reporter_view(submit_api, receipt)
    assert view["status"] == "RESOLVED"
    assert view["result"]["note"] == "Đã vá ổ gà, thông xe."
    [photo] = view["result"]["photos"]
    assert after_photo.image_key in photo["url"]
    # The after-photo's own GPS lies ~25 m from the report's point: the fix is shown where it was reported.
    assert view["result"]["location_verified"] is True
    assert [step["status"] for step in view["timeline"]] == [
        "RECEIVED", "ASSIGNED", "ACKNOWLEDGED", "IN_PROGRESS", "IN_PROGRESS", "RESOLVED",
    ]
    assert view["timeline"][-1]["note"] == "Đã vá ổ gà, thông xe."
    # The public reads the same steps and the officers' notes at them (the console says notes are public).
    public = submit_api.http.get(f"/public/reports/{report_id}").json_body
    assert public["result"]["note"] == "Đã vá ổ gà, thông xe."
    assert public["result"]["location_verified"] is True
    assert [step.get("note") for step in public["timeline"]] == [step.get("note") for step in view["timeline"]]


def test_an_after_photo_nobody_asked_for_is_dropped(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, **context(ports))
    commands.resolve(OFFICER, report_id, "Đã xử lý.", photo_count=1, **context(ports))
    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    # One after-photo was announced: a second slot is nobody's.
    boto3.client("s3").put_object(Bucket=bucket, Key=f"quarantine/{report_id}/r2", Body=jpeg_with_gps())
    deliver_queued(aws, route_api)
    assert ports.reports.get(report_id).result_photos == {}
    assert boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="quarantine/")["KeyCount"] == 0


def test_a_transfer_restarts_the_acknowledge_clock_only_and_the_third_goes_to_the_coordinators(
    aws, submit_api, route_api, ports
):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    routed = ports.reports.get(report_id)
    start = routed.updated_at

    first = commands.transfer(OFFICER, report_id, "Thuộc địa bàn phường quản lý.", to_unit_id=WARD_UNIT,
                                ports=ports, now=start + timedelta(hours=2))
    assert (first.owner_unit_id, first.status, first.transfer_count) == (WARD_UNIT, "ASSIGNED", 1)
    assert first.acknowledge_due_at == start + timedelta(hours=2 + 8)  # roads: acknowledge within 8 hours
    assert first.resolve_due_at == routed.resolve_due_at
    drain_outbox()
    assert any(f"{WARD_UNIT}.officer@example.vn" in email.destinations["ToAddresses"]
               for email in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)

    commands.acknowledge(WARD_OFFICER, report_id, ports=ports, now=start + timedelta(hours=3))
    second = commands.transfer(WARD_OFFICER, report_id, "Hạ tầng do Sở quản lý.",
                                 to_unit_id=ENVIRONMENT_UNIT, ports=ports,
                                 now=start + timedelta(hours=4))
    assert (second.owner_unit_id, second.transfer_count) == (ENVIRONMENT_UNIT, 2)

    third = commands.transfer(ENVIRONMENT_OFFICER, report_id, "Không thuộc lĩnh vực môi trường.",
                                to_unit_id=ROADS_UNIT, ports=ports,
                                now=start + timedelta(hours=5))
    assert (third.owner_unit_id, third.transfer_count) == (COORDINATORS_ID, 3)
    assert third.resolve_due_at == routed.resolve_due_at
    reason = ports.reports.events(report_id)[-1].reason
    assert ROADS_UNIT in reason and "Không thuộc lĩnh vực môi trường." in reason

    # The coordinators' assignment does not count; the next transfer request goes back to them.
    assigned = commands.assign(COORDINATOR, report_id, ROADS_UNIT, reason="Sở Xây dựng xử lý.",
                                 ports=ports, now=start + timedelta(hours=6))
    assert (assigned.owner_unit_id, assigned.transfer_count) == (ROADS_UNIT, 3)
    again = commands.transfer(OFFICER, report_id, "Vẫn không thuộc thẩm quyền.", to_unit_id=WARD_UNIT,
                                ports=ports, now=start + timedelta(hours=7))
    assert again.owner_unit_id == COORDINATORS_ID
    assert again.resolve_due_at == routed.resolve_due_at
    assert_one_event_per_change(report_id)


def test_not_ours_goes_to_the_coordinators_queue(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    moved = commands.transfer(
        OFFICER, report_id, "Không thuộc thẩm quyền của Sở.", **context(ports)
    )
    assert moved.owner_unit_id == COORDINATORS_ID
    queue = commands.unit_queue(COORDINATOR, status="ASSIGNED", ports=ports)
    assert [item["report_id"] for item in queue["reports"]] == [report_id]
    assert commands.unit_queue(OFFICER, status="ASSIGNED", ports=ports)["reports"] == []
    with pytest.raises(InvalidInput) as same:
        commands.assign(COORDINATOR, report_id, COORDINATORS_ID, **context(ports))
    assert same.value.code == "same_unit"
    with pytest.raises(InvalidInput) as missing_reason:
        commands.transfer(
            COORDINATOR, report_id, "  ", to_unit_id=ROADS_UNIT, **context(ports)
        )
    assert missing_reason.value.code == "missing_field"


def test_malformed_requests_are_refused_before_anything_is_read(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    for attempt in (
        lambda: commands.assign(COORDINATOR, report_id, None, **context(ports)),
        lambda: commands.assign(COORDINATOR, report_id, "x" * 5000, **context(ports)),
        lambda: commands.transfer(
            OFFICER, report_id, "Lý do", to_unit_id=7, **context(ports)
        ),
        lambda: commands.merge(COORDINATOR, report_id, None, **context(ports)),
        lambda: commands.acknowledge(OFFICER, report_id, expected_version="2", **context(ports)),
        lambda: commands.resolve(OFFICER, report_id, "Xong", photo_count=4, **context(ports)),
    ):
        with pytest.raises(InvalidInput):
            attempt()
    with pytest.raises(NotFound):
        commands.acknowledge(OFFICER, "PA" + "0" * 5000, **context(ports))
    assert ports.reports.get(report_id).version == 2


def test_another_units_report_looks_missing_in_every_use_case(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    attempts = {
        "detail": lambda rid: commands.report_detail(WARD_OFFICER, rid, ports=ports, settings=get_settings()),
        "acknowledge": lambda rid: commands.acknowledge(WARD_OFFICER, rid, **context(ports)),
        "progress": lambda rid: commands.add_progress(WARD_OFFICER, rid, "Ghi chú", **context(ports)),
        "resolve": lambda rid: commands.resolve(WARD_OFFICER, rid, "Xong", photo_count=1, **context(ports)),
        "transfer": lambda rid: commands.transfer(WARD_OFFICER, rid, "Lý do", to_unit_id=WARD_UNIT, **context(ports)),
    }
    for name, attempt in attempts.items():
        with pytest.raises(NotFound) as theirs:
            attempt(report_id)
        with pytest.raises(NotFound) as nobodys:
            attempt("PA000000NOTHERE")
        assert (theirs.value.code, theirs.value.message) == (nobodys.value.code, nobodys.value.message), name
    assert ports.reports.get(report_id).version == 2
    with pytest.raises(Forbidden):
        commands.unit_queue(WARD_OFFICER, unit_id=ROADS_UNIT, status="ASSIGNED", ports=ports)


def test_officers_and_unit_heads_may_not_use_the_coordinators_use_cases(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    other_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    for principal in (OFFICER, UNIT_HEAD):
        with pytest.raises(Forbidden):
            commands.assign(principal, report_id, WARD_UNIT, **context(ports))
        with pytest.raises(Forbidden):
            commands.reject(principal, report_id, "spam", "Quảng cáo", **context(ports))
        with pytest.raises(Forbidden):
            commands.merge(principal, report_id, other_id, **context(ports))
    assert ports.reports.get(report_id).version == 2


class RacingReportStore(DynamoReportStore):
    """Every thread's first read waits for the others': both officers see the same version."""

    def __init__(self, parties):
        self.all_read = threading.Barrier(parties)
        self.seen = threading.local()

    def get(self, report_id):
        report = super().get(report_id)
        if not getattr(self.seen, "first_read", False):
            self.seen.first_read = True
            self.all_read.wait(timeout=10)
        return report


def test_of_two_resolves_at_once_one_wins_and_the_other_gets_the_current_state(
    aws, submit_api, route_api, ports
):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, **context(ports))
    racing = dataclasses.replace(ports, reports=RacingReportStore(2))
    outcomes = []

    def resolve_as(principal):
        try:
            outcomes.append(commands.resolve(principal, report_id, f"Xử lý bởi {principal.officer_id}",
                                               photo_count=1, **context(racing)))
        except StateConflict as conflict:
            outcomes.append(conflict)

    threads = [threading.Thread(target=resolve_as, args=(principal,)) for principal in (OFFICER, UNIT_HEAD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [conflict] = [outcome for outcome in outcomes if isinstance(outcome, StateConflict)]
    [(winner, _)] = [outcome for outcome in outcomes if not isinstance(outcome, StateConflict)]
    assert conflict.details["current"] == {
        "report_id": report_id, "status": "RESOLVED", "version": winner.version, "owner_unit_id": ROADS_UNIT,
    }
    assert ports.reports.get(report_id).result.officer == winner.result.officer
    assert [event.action for event in ports.reports.events(report_id)].count("resolve") == 1
    assert_one_event_per_change(report_id)


def test_a_change_on_a_stale_version_is_a_conflict(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    seen = ports.reports.get(report_id).version
    commands.acknowledge(OFFICER, report_id, expected_version=seen, **context(ports))
    with pytest.raises(StateConflict) as stale:
        commands.add_progress(UNIT_HEAD, report_id, "Đang xử lý", expected_version=seen, **context(ports))
    assert stale.value.code == "version_conflict"
    assert stale.value.details["current"]["status"] == "ACKNOWLEDGED"
    assert stale.value.details["current"]["version"] == seen + 1


def test_a_rejected_report_is_unpublished_and_the_reporter_reads_why(aws, submit_api, route_api, ports):
    receipt = file_routed_report(aws, submit_api, route_api)
    report_id = receipt["report_id"]
    assert submit_api.http.get(f"/public/reports/{report_id}").status_code == 200
    with pytest.raises(InvalidInput):
        commands.reject(COORDINATOR, report_id, "boring", "Không rõ", **context(ports))
    with pytest.raises(InvalidInput):
        commands.reject(COORDINATOR, report_id, "spam", None, **context(ports))

    rejected = commands.reject(COORDINATOR, report_id, "spam", "Nội dung quảng cáo.", **context(ports))
    assert rejected.status == "REJECTED"
    assert submit_api.http.get(f"/public/reports/{report_id}").status_code == 404
    assert submit_api.http.get("/public/reports").json_body["reports"] == []
    view = reporter_view(submit_api, receipt)
    assert view["status"] == "REJECTED"
    assert view["timeline"][-1]["note"] == "spam: Nội dung quảng cáo."
    assert_one_event_per_change(report_id)


def test_a_merged_reports_reporter_follows_the_master(aws, submit_api, route_api, ports):
    master_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    duplicate = file_routed_report(aws, submit_api, route_api, location={"lat": 9.77905, "lon": 105.47005})
    duplicate_id = duplicate["report_id"]
    view = commands.report_detail(OFFICER, duplicate_id, ports=ports, settings=get_settings())
    [flagged] = view["possible_duplicates"]
    assert flagged["report_id"] == master_id and flagged["category"] == "roads" and flagged["distance_m"] < 10

    merged = commands.merge(COORDINATOR, duplicate_id, master_id, reason="Cùng một ổ gà.", **context(ports))
    assert (merged.status, merged.merged_into) == ("DUPLICATE", master_id)
    assert ports.reports.get(master_id).merged_reports == (duplicate_id,)
    assert [event.action for event in ports.reports.events(master_id)][-1] == "absorb"
    assert_one_event_per_change(master_id)
    assert_one_event_per_change(duplicate_id)

    commands.acknowledge(OFFICER, master_id, **context(ports))
    view = reporter_view(submit_api, duplicate)
    assert (view["status"], view["merged_into"]) == ("ACKNOWLEDGED", master_id)
    assert [step["status"] for step in view["timeline"]][-2:] == ["DUPLICATE", "ACKNOWLEDGED"]
    commands.resolve(OFFICER, master_id, "Đã vá.", photo_count=1, **context(ports))
    assert reporter_view(submit_api, duplicate)["result"]["note"] == "Đã vá."
    assert submit_api.http.get(f"/public/reports/{duplicate_id}").status_code == 404


def test_a_follower_reads_the_masters_public_notes_and_none_that_carries_personal_data(aws, submit_api, route_api,
                                                                                         ports):
    master = file_routed_report(aws, submit_api, route_api)
    duplicate = file_routed_report(aws, submit_api, route_api)
    commands.merge(COORDINATOR, duplicate["report_id"], master["report_id"], reason="Cùng ổ gà.", **context(ports))
    # A slip the console warns of: a note written to the master's reporter, with her number.
    private = "Chào chị Bích, cán bộ sẽ gọi chị theo số 0939 517 286 chiều nay."
    public_note = "Đã cử tổ sửa chữa đến hiện trường."
    commands.acknowledge(OFFICER, master["report_id"], note=private, **context(ports))
    commands.add_progress(OFFICER, master["report_id"], public_note, **context(ports))

    assert private in json.dumps(reporter_view(submit_api, master), ensure_ascii=False)
    followed = reporter_view(submit_api, duplicate)
    assert [step["status"] for step in followed["timeline"]][-2:] == ["ACKNOWLEDGED", "IN_PROGRESS"]
    assert [step.get("note") for step in followed["timeline"][-2:]] == [None, public_note]
    public = json.dumps(submit_api.http.get(f"/public/reports/{master['report_id']}").json_body, ensure_ascii=False)
    assert public_note in public
    assert "517 286" not in public and "517 286" not in json.dumps(followed, ensure_ascii=False)


def test_a_merge_is_one_transaction(aws, submit_api, route_api, ports):
    master_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    duplicate_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    master, duplicate = ports.reports.get(master_id), ports.reports.get(duplicate_id)
    commands.acknowledge(OFFICER, master_id, **context(ports))  # the master moves on meanwhile

    now = utcnow()
    duplicate_after = duplicate.moved("merge", now, merged_into=master_id)
    master_after = master.changed(now, merged_reports=(duplicate_id,))
    events = [
        commands._event(duplicate, duplicate_after, "merge", COORDINATOR, now, None),
        commands._event(master, master_after, "absorb", COORDINATOR, now, None, public=False),
    ]
    with pytest.raises(StateConflict):
        ports.reports.save_changes([(duplicate, duplicate_after, events[0]), (master, master_after, events[1])])
    assert ports.reports.get(duplicate_id) == duplicate
    assert_one_event_per_change(duplicate_id)


def test_the_contact_is_shown_only_with_consent_and_only_to_those_who_may_act(aws, submit_api, route_api, ports):
    shared = file_routed_report(aws, submit_api, route_api,
                                contact={"phone": "0912345678", "share_with_officer": True})["report_id"]
    kept = file_routed_report(aws, submit_api, route_api,
                              contact={"phone": "0987654321", "share_with_officer": False})["report_id"]
    settings = get_settings()
    # The owner unit sees it; a coordinator only with a stated purpose (tests/integration/test_privacy_rights.py).
    for principal, purpose in ((OFFICER, None), (COORDINATOR, "clarify_report")):
        view = commands.report_detail(principal, shared, purpose=purpose, ports=ports, settings=settings)
        assert view["contact"] == {"phone": "0912345678", "email": None}
        assert commands.report_detail(principal, kept, purpose=purpose, ports=ports,
                                        settings=settings)["contact"] is None
    with pytest.raises(NotFound):
        commands.report_detail(WARD_OFFICER, shared, ports=ports, settings=settings)
    with pytest.raises(NotFound):
        commands.officer_view(ports.reports.get(shared), WARD_OFFICER, ports=ports, settings=settings)


def test_the_officer_view_carries_the_whole_audit_trail(aws, submit_api, route_api, ports):
    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, note="Đã nhận.", **context(ports))
    view = commands.report_detail(UNIT_HEAD, report_id, ports=ports, settings=get_settings())
    step = view["timeline"][-1]
    assert (step["actor"], step["action"], step["from_status"], step["to_status"], step["reason"]) == (
        f"officer:{OFFICER.officer_id}", "acknowledge", "ASSIGNED", "ACKNOWLEDGED", "Đã nhận.",
    )
    # The unit head may also name the officer who works it, and ask the reporter a question.
    assert view["allowed_actions"] == ["progress", "resolve", "transfer", "assign_officer", "ask"]
    assert view["owner_unit"]["unit_id"] == ROADS_UNIT


def test_the_queue_puts_the_earliest_deadline_first_and_pages(aws, submit_api, route_api, ports):
    start = utcnow()
    ids = {}
    for hours in (3, 1, 2):
        report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
        commands.assign(COORDINATOR, report_id, WARD_UNIT, ports=ports,
                          now=start + timedelta(hours=hours))
        ids[hours] = report_id

    first = commands.unit_queue(WARD_OFFICER, status="ASSIGNED", limit=2, ports=ports,
                                  now=start + timedelta(hours=9, minutes=30))
    assert [item["report_id"] for item in first["reports"]] == [ids[1], ids[2]]
    assert [item["past_due"] for item in first["reports"]] == [True, False]
    second = commands.unit_queue(WARD_OFFICER, status="ASSIGNED", limit=2, cursor=first["next_cursor"],
                                   ports=ports)
    assert [item["report_id"] for item in second["reports"]] == [ids[3]]

    with pytest.raises(InvalidInput) as foreign_cursor:
        commands.unit_queue(WARD_OFFICER, status="ACKNOWLEDGED", cursor=first["next_cursor"], ports=ports)
    assert foreign_cursor.value.code == "invalid_cursor"
    for bad in ({"status": "RESOLVED"}, {"status": "nope"}, {"status": "ASSIGNED", "limit": 0}):
        with pytest.raises(InvalidInput):
            commands.unit_queue(WARD_OFFICER, ports=ports, **bad)


def app_registration(name: str) -> dict:
    """What an app sends as `push`: an FCM registration token of its own."""
    return {"platform": "fcm", "token": f"{name}:APA91b{uuid.uuid4().hex}{uuid.uuid4().hex}"}


def endpoint_of(registration: dict):
    """The SNS platform endpoint the deliver function made for the token, if any (moto's record)."""
    endpoints = sns_backends[DEFAULT_ACCOUNT_ID][REGION].platform_endpoints.values()
    return next((endpoint for endpoint in endpoints if endpoint.token == registration["token"]), None)


def pushed_to(registration: dict) -> list[str]:
    endpoint = endpoint_of(registration)
    return list(endpoint.messages.values()) if endpoint else []


def test_the_reporter_is_pushed_each_status_change_when_the_app_gave_its_token(aws, submit_api, route_api, ports):
    registration = app_registration("reporter")
    receipt = file_routed_report(aws, submit_api, route_api, push=registration)
    report_id = receipt["report_id"]
    assert pushed_to(registration) == [
        f"Phản ánh {report_id}: Đã chuyển đơn vị xử lý. / Report {report_id}: Assigned to the responsible unit."
    ]
    endpoint = endpoint_of(registration)
    assert endpoint.application.arn == aws.environment["PHANANH_PUSH_FCM_APPLICATION_ARN"]
    stored = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"]).get_item(
        Key={"report_id": report_id})["Item"]
    assert registration["token"] not in repr(stored) and endpoint.arn not in repr(stored)
    assert reporter_view(submit_api, receipt)["push_enabled"] is True

    commands.acknowledge(OFFICER, report_id, **context(ports))
    commands.add_progress(OFFICER, report_id, "Đang thi công.", **context(ports))
    commands.add_progress(OFFICER, report_id, "Sắp xong.", **context(ports))  # a note, not a status change
    commands.resolve(OFFICER, report_id, "Đã xong.", photo_count=1, **context(ports))
    drain_outbox()
    assert len(pushed_to(registration)) == 4
    assert "Resolved" in pushed_to(registration)[-1]
    assert endpoint_of(registration).arn == endpoint.arn  # one endpoint per token, however many pushes

    silent = file_routed_report(aws, submit_api, route_api, location={"lat": 9.7845, "lon": 105.4700})
    commands.acknowledge(OFFICER, silent["report_id"], **context(ports))
    drain_outbox()
    assert len(pushed_to(registration)) == 4
    assert reporter_view(submit_api, silent)["push_enabled"] is False


def test_the_reporter_of_a_merged_report_is_pushed_the_masters_moves(aws, submit_api, route_api, ports):
    registration = app_registration("merged")
    master_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    duplicate_id = file_routed_report(aws, submit_api, route_api, push=registration)["report_id"]
    commands.merge(COORDINATOR, duplicate_id, master_id, **context(ports))
    commands.acknowledge(OFFICER, master_id, **context(ports))
    drain_outbox()
    assert pushed_to(registration)[-2:] == [
        f"Phản ánh {duplicate_id}: Trùng với phản ánh khác. / Report {duplicate_id}: Duplicate of another report.",
        f"Phản ánh {duplicate_id}: Đơn vị đã nhận xử lý. / Report {duplicate_id}: Acknowledged by the unit.",
    ]


def test_an_endpoint_the_push_service_disabled_is_re_enabled_for_the_token_the_app_gave(
        aws, submit_api, route_api, ports):
    registration = app_registration("disabled")
    report_id = file_routed_report(aws, submit_api, route_api, push=registration)["report_id"]
    endpoint = endpoint_of(registration)
    boto3.client("sns").set_endpoint_attributes(EndpointArn=endpoint.arn, Attributes={"Enabled": "false"})
    commands.acknowledge(OFFICER, report_id, **context(ports))
    drain_outbox()
    assert endpoint_of(registration).arn == endpoint.arn
    assert "Acknowledged" in pushed_to(registration)[-1]
    assert boto3.client("sns").get_endpoint_attributes(EndpointArn=endpoint.arn)["Attributes"]["Enabled"] == "true"


def test_an_endpoint_that_still_refuses_is_dropped_and_the_change_stands(aws, submit_api, route_api, ports,
                                                                         monkeypatch):
    registration = app_registration("dead")
    report_id = file_routed_report(aws, submit_api, route_api, push=registration)["report_id"]
    # The push service refusing the token: SNS disables its endpoint again as soon as it is enabled.
    monkeypatch.setattr(type(endpoint_of(registration)), "enabled", property(lambda endpoint: False))
    assert commands.acknowledge(OFFICER, report_id, **context(ports)).status == "ACKNOWLEDGED"
    drain_outbox()
    assert endpoint_of(registration) is None  # deleted: no push will reach it
    assert ports.reports.get(report_id).push_enabled is True  # the reporter still follows it with the token


def test_a_push_registration_must_name_a_push_service_and_its_token(aws, submit_api):
    for push, code in (({"platform": "sns", "token": "x" * 40}, "invalid_push_platform"),
                       ({"platform": "apns", "token": "not hex"}, "invalid_push_token")):
        body = {"category": "roads", "description": "Ổ gà", "location": VI_THANH, "push": push}
        response = submit_api.http.post("/reports", headers={"Content-Type": "application/json"},
                                        body=json.dumps(body))
        assert (response.status_code, response.json_body["code"]) == (400, code)
        assert set(response.json_body["message"]) == {"vi", "en"}


def test_an_after_photo_through_a_stale_form_for_a_closed_report_is_refused(aws, submit_api, route_api, ports):
    from phananh.escalation import jobs

    report_id = file_routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, **context(ports))
    _, [upload] = commands.resolve(OFFICER, report_id, "Đã vá.", photo_count=1, **context(ports))
    assert jobs.close_unrated(ports=ports, now=utcnow() + timedelta(days=30)) == [report_id]

    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    boto3.client("s3").put_object(Bucket=bucket, Key=upload.key, Body=jpeg_with_gps(colour=(20, 160, 60)))
    deliver_queued(aws, route_api)
    assert ports.reports.get(report_id).result_photos == {}
    assert boto3.client("s3").list_objects_v2(Bucket=bucket).get("KeyCount") == 0
