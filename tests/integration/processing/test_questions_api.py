"""Asking the reporter over real HTTP, on moto and the deployed template: the owner unit asks through
the edge, the outbox relays the question by SMS and e-mail to the contact the reporter left (which the
officer never sees), or to it when the app the reporter filed with is gone, the reporter reads it and
answers with the tracking token and a photo that goes through the photo check, and the clock the
due_watch index holds pauses meanwhile."""

import uuid

import boto3
import requests
from delivery_flows import drain_outbox
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import PlatformEndpoint, sns_backends
from photo_samples import jpeg_with_gps
from report_flows import deliver, queued_bodies, routed_report
from sign_ins import bearer

OWNER, OTHER_UNIT, COORDINATOR = "so_xay_dung.officer", "ubnd_31321.officer", "ban_dieu_phoi.coordinator1"
PHONE, EMAIL = "0912345670", "nguoi.phan.anh@example.vn"
# As SNS takes it (E.164).
SMS_TO = "+84912345670"
QUESTION = "Ổ gà nằm bên trái hay bên phải cổng chợ?"


def photo_object(photo: dict) -> str:
    """Which object a photo's link names (links are signed anew on every read)."""
    return photo["url"].split("?")[0]


def test_the_owner_asks_the_reporter_is_told_through_the_system_and_answers_with_the_token(
        aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api,
                            contact={"phone": PHONE, "email": EMAIL, "share_with_officer": False})
    report_id, reporter = receipt["report_id"], {"Authorization": f"Bearer {receipt['tracking_token']}"}
    officer_url = f"{edge}/officer/reports/{report_id}"
    acknowledged = requests.post(f"{officer_url}/acknowledge", json={}, headers=bearer(OWNER), timeout=10).json()
    assert "ask" in acknowledged["allowed_actions"]

    # Another unit's officer cannot, and a coordinator of another unit leaves the asking to the owner.
    stranger = requests.post(f"{officer_url}/questions", json={"text": QUESTION}, headers=bearer(OTHER_UNIT),
                             timeout=10)
    assert stranger.status_code == 404
    coordinator = requests.post(f"{officer_url}/questions", json={"text": QUESTION}, headers=bearer(COORDINATOR),
                                timeout=10)
    assert coordinator.status_code == 403 and coordinator.json()["code"] == "forbidden"

    asked = requests.post(f"{officer_url}/questions", json={"text": QUESTION, "photo_requested": True,
                                                              "version": acknowledged["version"]},
                          headers=bearer(OWNER), timeout=10)
    assert asked.status_code == 201, asked.text
    view = asked.json()
    (question,) = view["questions"]
    assert question["waiting"] and question["clock_paused"] and "ask" not in view["allowed_actions"]
    assert view["contact"] is None and PHONE not in asked.text and EMAIL not in asked.text
    again = requests.post(f"{officer_url}/questions", json={"text": "Còn nữa?"}, headers=bearer(OWNER), timeout=10)
    assert again.status_code == 409 and again.json()["code"] == "question_waiting"

    # The clock the sweeper watches is the paused one.
    stored = boto3.client("dynamodb").get_item(TableName=aws.environment["PHANANH_REPORTS_TABLE"],
                                               Key={"report_id": {"S": report_id}})["Item"]
    assert stored["due_at"]["S"] == view["resolve_due_at"] > stored["resolve_due_at"]["S"]

    drain_outbox()
    sns = sns_backends[DEFAULT_ACCOUNT_ID][aws.region]
    texts = [text for phone, text in sns.sms_messages.values() if phone == SMS_TO]
    assert len(texts) == 1 and QUESTION in texts[0]
    mails = [message for message in ses_backends[DEFAULT_ACCOUNT_ID][aws.region].sent_messages
             if EMAIL in str(message.destinations)]
    assert len(mails) == 1 and QUESTION in mails[0].body
    drain_outbox()  # nothing more: each channel once
    assert len([phone for phone, _ in sns.sms_messages.values() if phone == SMS_TO]) == 1

    mine = requests.get(f"{edge}/reports/{report_id}", headers=reporter, timeout=10).json()
    assert mine["questions"][0]["text"] == QUESTION and mine["questions"][0]["photo_requested"]
    public = requests.get(f"{edge}/public/reports/{report_id}", timeout=10).json()
    assert public["awaiting_information"]["since"] == question["asked_at"]
    assert QUESTION not in str(public)

    wrong = requests.post(f"{edge}/reports/{report_id}/answers", json={"text": "x"},
                          headers={"Authorization": "Bearer AAAAAAAAAAAAAAAAAAAAAA"}, timeout=10)
    assert wrong.status_code == 404
    answered = requests.post(f"{edge}/reports/{report_id}/answers",
                             json={"text": "Bên trái, cạnh cột điện", "photo_count": 1}, headers=reporter, timeout=10)
    assert answered.status_code == 201, answered.text
    (form,) = answered.json()["uploads"]
    assert form["key"] == f"quarantine/{report_id}/q1a1"
    boto3.client("s3").put_object(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"], Key=form["key"],
                                  Body=jpeg_with_gps(size=(400, 300)))
    deliver(route_api, queued_bodies(aws))

    seen = requests.get(officer_url, headers=bearer(OWNER), timeout=10).json()
    (answered_question,) = seen["questions"]
    assert answered_question["answer"] == "Bên trái, cạnh cột điện" and not answered_question["waiting"]
    assert len(answered_question["answer_photos"]) == 1 and "ask" in seen["allowed_actions"]
    assert [entry["action"] for entry in seen["timeline"]][-3:] == ["ask", "answer", "attach_photo"]
    assert seen["resolve_due_at"] < view["resolve_due_at"]  # the answer brought the deadline forward
    public = requests.get(f"{edge}/public/reports/{report_id}", timeout=10).json()
    assert public["awaiting_information"] is None
    assert [entry["label"]["en"] for entry in public["timeline"]][-2:] == [
        "The unit asked for more information", "The reporter sent the information"]
    assert "cột điện" not in str(public)
    once_more = requests.post(f"{edge}/reports/{report_id}/answers", json={"text": "Nữa"}, headers=reporter,
                              timeout=10)
    assert once_more.status_code == 409 and once_more.json()["code"] == "no_open_question"

    # A second question is kept beside the first; its answer's photo lands under its own key, and
    # the first answer's photo stays where it was.
    second = requests.post(f"{officer_url}/questions", json={"text": "Có nước đọng không?", "photo_requested": True},
                           headers=bearer(OWNER), timeout=10)
    assert second.status_code == 201, second.text
    assert [asked["text"] for asked in second.json()["questions"]] == [QUESTION, "Có nước đọng không?"]
    answered = requests.post(f"{edge}/reports/{report_id}/answers", json={"text": "Có, sau mưa", "photo_count": 1},
                             headers=reporter, timeout=10)
    (form,) = answered.json()["uploads"]
    assert form["key"] == f"quarantine/{report_id}/q2a1"
    boto3.client("s3").put_object(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"], Key=form["key"],
                                  Body=jpeg_with_gps(size=(300, 200)))
    deliver(route_api, queued_bodies(aws))
    mine = requests.get(f"{edge}/reports/{report_id}", headers=reporter, timeout=10).json()
    first, latest = mine["questions"]
    assert first["answer"] == "Bên trái, cạnh cột điện" and latest["answer"] == "Có, sau mưa"
    assert [photo_object(photo) for photo in first["answer_photos"]] == [
        photo_object(photo) for photo in answered_question["answer_photos"]]
    assert f"/{report_id}/q2a1-" in photo_object(latest["answer_photos"][0])
    assert "asked_by" not in latest


def test_a_question_whose_push_finds_the_app_gone_goes_by_sms_to_the_contact_instead(
        aws, submit_api, route_api, edge, monkeypatch):
    phone, sms_to = "0912345671", "+84912345671"
    token = f"gone:APA91b{uuid.uuid4().hex}{uuid.uuid4().hex}"
    # The push service refusing the token: SNS disables its endpoint again as soon as it is enabled.
    monkeypatch.setattr(PlatformEndpoint, "enabled", property(lambda endpoint: False))
    receipt = routed_report(aws, submit_api, route_api, push={"platform": "fcm", "token": token},
                            contact={"phone": phone, "share_with_officer": False})
    officer_url = f"{edge}/officer/reports/{receipt['report_id']}"
    asked = requests.post(f"{officer_url}/questions", json={"text": QUESTION}, headers=bearer(OWNER), timeout=10)
    assert asked.status_code == 201, asked.text

    drain_outbox()
    drain_outbox()  # nothing more: the SMS once
    sns = sns_backends[DEFAULT_ACCOUNT_ID][aws.region]
    texts = [text for to, text in sns.sms_messages.values() if to == sms_to]
    assert len(texts) == 1 and QUESTION in texts[0]
    assert not any(endpoint.token == token for endpoint in sns.platform_endpoints.values())  # dropped
