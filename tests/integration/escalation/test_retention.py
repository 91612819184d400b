"""Retention of the reporter's personal data on moto (Personal Data Protection Law, Decree 13/2023):
a configurable time after a report ended (closed, rejected, merged) the scheduled job erases the
sealed contact and push token and the reporter's free text nobody sees published, each with an
audit event that says what kinds were erased and never what they said; the answers to the unit's
questions too, in the report, in their audit events and their photos in the bucket; a second run
does nothing."""

import json
from datetime import timedelta

import boto3
from fakes import PUSH
from photo_samples import jpeg_with_gps
from report_flows import deliver, queued_bodies, routed_report

from phananh.escalation import jobs
from phananh.intake import answers
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.model import utcnow
from phananh.routing.directory import COORDINATORS_ID
from phananh.shared.settings import get_settings
from phananh.transparency import rating

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", COORDINATORS_ID, frozenset({"coordinator"}))
PHONE, EMAIL = "0961234579", "giu.kin@example.vn"
COMMENT = "Ông tổ trưởng Nguyễn Văn B ở số 12 chẳng làm gì"
CONTACT = {"phone": PHONE, "email": EMAIL, "share_with_officer": True}


def context(ports, now=None):
    return {"ports": ports, "now": now or utcnow()}


def retention() -> timedelta:
    return timedelta(days=get_settings().personal_data_retention_days)


def erase(ports, now):
    return jobs.erase_expired_personal_data(ports=ports, settings=get_settings(), now=now)


def raw_item(report_id) -> dict:
    table = get_settings().reports_table
    return boto3.client("dynamodb").get_item(TableName=table, Key={"report_id": {"S": report_id}})["Item"]


def closed_with_a_hidden_comment(aws, submit_api, route_api, rate_api, ports) -> str:
    receipt = routed_report(aws, submit_api, route_api, contact=CONTACT, push=PUSH)
    report_id = receipt["report_id"]
    commands.acknowledge(OFFICER, report_id, **context(ports))
    commands.resolve(OFFICER, report_id, "Đã vá ổ gà", photo_count=1, **context(ports))
    rated = rate_api.http.post(
        f"/reports/{report_id}/rating", body=json.dumps({"score": 4, "fixed": True, "comment": COMMENT}),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {receipt['tracking_token']}"},
    )
    assert rated.status_code == 201, rated.body
    rating.hide_comment(COORDINATOR, report_id, "Nêu tên người khác", ports=ports, now=utcnow())
    return report_id


def test_a_closed_reports_contact_push_token_and_hidden_comment_are_erased_once_the_retention_is_over(
    aws, submit_api, route_api, rate_api, ports
):
    report_id = closed_with_a_hidden_comment(aws, submit_api, route_api, rate_api, ports)
    closed = ports.reports.get(report_id)
    assert closed.status == "CLOSED" and closed.ended_at is not None
    assert closed.personal_data_held() == ("contact", "push token", "hidden rating comment")
    # Watched (due_watch) from the time it ended.
    assert raw_item(report_id)["due_at"]["S"] == closed.ended_at.isoformat()

    assert erase(ports, closed.ended_at + retention() - timedelta(minutes=1)) == []
    assert ports.reports.get(report_id) == closed

    after_retention = closed.ended_at + retention() + timedelta(minutes=1)
    assert erase(ports, after_retention) == [report_id]
    erased = ports.reports.get(report_id)
    assert erased.contact_ciphertext is None and not erased.push_enabled and not erased.contact_provided
    assert not erased.contact_shared and erased.contact_erased_at == after_retention
    assert erased.rating.comment is None and erased.rating.score == 4
    # Published text stays: the public page shows it.
    assert erased.description == closed.description
    item = raw_item(report_id)
    assert "contact_ciphertext" not in item and "due_at" not in item
    assert PHONE not in json.dumps(item, default=str) and COMMENT not in json.dumps(item, default=str)

    event = ports.reports.events(report_id)[-1]
    assert (event.action, event.actor, event.public) == ("contact_erased", jobs.SCHEDULER, False)
    assert (event.from_status, event.to_status, event.version) == ("CLOSED", "CLOSED", closed.version + 1)
    assert "contact, push token, hidden rating comment" in event.reason
    assert not {PHONE, EMAIL, PUSH["token"], COMMENT} & set(event.reason.split())

    # A second run, or a later one, does nothing new.
    assert erase(ports, after_retention) == []
    assert erase(ports, after_retention + timedelta(days=400)) == []
    assert len(ports.reports.events(report_id)) == closed.version + 1


def test_rejected_and_merged_reports_lose_their_unpublished_description_too_and_open_ones_keep_everything(
    aws, submit_api, route_api, ports
):
    rejected = routed_report(aws, submit_api, route_api, contact=CONTACT, address="Nhà số 12, hẻm 3")["report_id"]
    master = routed_report(aws, submit_api, route_api, location={"lat": 9.7850, "lon": 105.4700})["report_id"]
    merged = routed_report(aws, submit_api, route_api, contact=CONTACT,
                           location={"lat": 9.7851, "lon": 105.4701})["report_id"]
    still_open = routed_report(aws, submit_api, route_api, contact=CONTACT,
                               location={"lat": 9.7900, "lon": 105.4800})["report_id"]
    commands.reject(COORDINATOR, rejected, "spam", "Quảng cáo", **context(ports))
    commands.merge(COORDINATOR, merged, master, **context(ports))
    ended = max(ports.reports.get(report_id).ended_at for report_id in (rejected, merged))

    later = ended + retention() + timedelta(minutes=1)
    assert sorted(erase(ports, later)) == sorted([rejected, merged])
    for report_id in (rejected, merged):
        report = ports.reports.get(report_id)
        assert report.contact_ciphertext is None
        assert report.description == "" and report.address is None
        event = ports.reports.events(report_id)[-1]
        assert event.action == "contact_erased" and "unpublished description and address" in event.reason
    # The master and the report still being handled keep theirs; none of them is watched for it.
    assert ports.reports.get(master).description == "Ổ gà lớn trước chợ"
    assert ports.reports.get(still_open).contact_ciphertext is not None
    assert erase(ports, later + timedelta(days=400)) == []


def test_the_retention_is_a_setting_and_applies_to_reports_that_ended_before_it_changed(
    aws, submit_api, route_api, ports, monkeypatch
):
    report_id = routed_report(aws, submit_api, route_api, contact=CONTACT)["report_id"]
    commands.reject(COORDINATOR, report_id, "spam", "Quảng cáo", **context(ports))
    ended = ports.reports.get(report_id).ended_at
    assert get_settings().personal_data_retention_days == 90
    assert erase(ports, ended + timedelta(days=31)) == []

    monkeypatch.setenv("PHANANH_PERSONAL_DATA_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    assert erase(ports, ended + timedelta(days=31)) == [report_id]


def test_a_report_that_ended_holding_nothing_personal_is_never_watched(aws, submit_api, route_api, ports):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, **context(ports))
    commands.resolve(OFFICER, report_id, "Đã vá ổ gà", photo_count=1, **context(ports))
    jobs.close_unrated(ports=ports, now=utcnow() + timedelta(days=8))
    report = ports.reports.get(report_id)
    assert report.status == "CLOSED" and report.personal_data_held() == ()
    assert "due_at" not in raw_item(report_id)


ANSWER = "Tôi ở nhà số 12 ngay cạnh, gọi tôi nhé"


def objects(aws) -> set[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"])
    return {item["Key"] for item in listed.get("Contents", [])}


def test_the_answers_text_trail_text_and_photos_are_erased_once_the_retention_is_over(
    aws, submit_api, route_api, ports
):
    receipt = routed_report(aws, submit_api, route_api)
    report_id = receipt["report_id"]
    commands.ask_reporter(OFFICER, report_id, "Ổ gà sâu bao nhiêu?", photo_requested=True, pause_working_days=3,
                          **context(ports))
    answered = answers.answer_question(report_id, receipt["tracking_token"], {"text": ANSWER, "photo_count": 1},
                                       **context(ports))
    boto3.client("s3").put_object(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"],
                                  Key=answered["uploads"][0]["key"], Body=jpeg_with_gps(size=(400, 300)))
    deliver(route_api, queued_bodies(aws))
    with_photo = ports.reports.get(report_id)
    keys = set(with_photo.answer_photo_keys())
    assert len(keys) == 2 and keys <= objects(aws)
    commands.reject(COORDINATOR, report_id, "spam", "Quảng cáo", **context(ports))
    ended = ports.reports.get(report_id)
    assert "answers" in ended.personal_data_held()
    assert raw_item(report_id)["due_at"]["S"] == ended.ended_at.isoformat()

    after_retention = ended.ended_at + retention() + timedelta(minutes=1)
    assert erase(ports, after_retention) == [report_id]
    erased = ports.reports.get(report_id)
    assert erased.questions[0].answer_erased and erased.answer_photo_keys() == [] and erased.personal_data_held() == ()
    assert not keys & objects(aws)
    assert ANSWER not in json.dumps(raw_item(report_id), default=str)
    audit = boto3.client("dynamodb").query(
        TableName=get_settings().audit_table, KeyConditionExpression="report_id = :id",
        ExpressionAttributeValues={":id": {"S": report_id}},
    )["Items"]
    assert ANSWER not in json.dumps(audit)
    answer_events = [item for item in audit if item["action"]["S"] == "answer"]
    assert [item["reason"]["S"] for item in answer_events] == [jobs.ERASED_ANSWER]
    assert "answers" in ports.reports.events(report_id)[-1].reason

    # A second run finds nothing (the report left the due_watch index).
    assert "due_at" not in raw_item(report_id)
    assert erase(ports, after_retention) == []
    assert len(ports.reports.events(report_id)) == erased.version
