"""Following a published report on moto: a device follows through the submit app, each status change
is pushed to its SNS platform endpoint (made by the deliver function, recorded by moto), once however
often the change is delivered; the token unfollows; the follows go when the report ends."""

import json
import uuid
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from delivery_flows import drain_outbox
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends
from report_flows import routed_report

from phananh.adapters.aws.kms import KmsContactVault
from phananh.escalation import jobs
from phananh.outbox.effects import Effect, Kind
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.model import utcnow
from phananh.routing.directory import COORDINATORS_ID

REGION = "ap-southeast-1"
OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", COORDINATORS_ID, frozenset({"coordinator"}))
JSON = {"Content-Type": "application/json"}


def app_registration(name: str) -> dict:
    """An app's push registration: an FCM registration token of its own."""
    return {"platform": "fcm", "token": f"{name}:APA91b{uuid.uuid4().hex}{uuid.uuid4().hex}"}


def pushed_to(registration: dict) -> list[str]:
    """What moto's SNS delivered to the platform endpoint made for this token."""
    endpoints = sns_backends[DEFAULT_ACCOUNT_ID][REGION].platform_endpoints.values()
    endpoint = next((endpoint for endpoint in endpoints if endpoint.token == registration["token"]), None)
    return list(endpoint.messages.values()) if endpoint else []


def follow(submit_api, report_id: str, registration: dict):
    return submit_api.http.post(f"/public/reports/{report_id}/follow", headers=JSON, body=json.dumps(registration))


def unfollow(submit_api, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return submit_api.http.delete("/public/follows", headers=headers)


def follows_table(aws):
    return boto3.resource("dynamodb").Table(aws.environment["PHANANH_FOLLOWS_TABLE"])


def context(ports):
    return {"ports": ports, "now": utcnow()}


@pytest.fixture
def published(aws, submit_api, route_api):
    return routed_report(aws, submit_api, route_api)["report_id"]


def test_a_follower_is_pushed_each_status_change_and_holds_nothing_that_names_it(aws, submit_api, published, ports):
    follower = app_registration("follower")
    response = follow(submit_api, published, follower)
    assert response.status_code == 200, response.body
    assert response.headers["Cache-Control"] == "no-store"
    token = response.json_body["follow_token"]
    assert follow(submit_api, published, follower).json_body["follow_token"] == token  # the same follow

    [item] = follows_table(aws).scan()["Items"]
    assert item["report_id"] == published and token not in repr(item) and follower["token"] not in repr(item)
    sealed = bytes(item["device_ciphertext"])
    assert KmsContactVault().unseal_follower_device(sealed, published).to_dict() == follower
    with pytest.raises(ClientError):  # KMS's encryption context: never opened as a reporter's device
        KmsContactVault().unseal_push_device(sealed, published)

    commands.acknowledge(OFFICER, published, **context(ports))
    commands.add_progress(OFFICER, published, "Đang thi công.", **context(ports))  # work starts: IN_PROGRESS
    commands.add_progress(OFFICER, published, "Sắp xong.", **context(ports))  # a note, not a status change
    drain_outbox()
    acknowledged, in_progress = pushed_to(follower)
    assert acknowledged.startswith(f"Phản ánh bạn theo dõi {published} (")
    assert "Acknowledged by the unit" in acknowledged
    assert "In progress" in in_progress
    assert "Ổ gà" not in acknowledged + in_progress  # the reporter's words are not relayed


def test_a_change_delivered_twice_pushes_each_follower_once(aws, submit_api, published, ports):
    followers = [app_registration("first"), app_registration("second")]
    for follower in followers:
        assert follow(submit_api, published, follower).status_code == 200
    acknowledged = commands.acknowledge(OFFICER, published, **context(ports))
    drain_outbox()
    # The same effect queued again, as a redelivered stream batch would.
    effect = Effect(Kind.FOLLOWERS, published, acknowledged.version, detail="ACKNOWLEDGED")
    boto3.client("sqs").send_message(QueueUrl=aws.environment["PHANANH_DELIVERY_QUEUE_URL"],
                                     MessageBody=json.dumps(effect.to_message()))
    assert drain_outbox() == 1
    assert [len(pushed_to(follower)) for follower in followers] == [1, 1]


def test_the_follow_token_unfollows_and_bad_tokens_are_refused(aws, submit_api, published, ports):
    follower = app_registration("leaving")
    token = follow(submit_api, published, follower).json_body["follow_token"]
    response = unfollow(submit_api, token)
    assert (response.status_code, response.body) == (204, b"")
    commands.acknowledge(OFFICER, published, **context(ports))
    drain_outbox()
    assert pushed_to(follower) == []
    again = unfollow(submit_api, token)
    assert (again.status_code, again.json_body["code"]) == (404, "not_found")
    for bad in (None, "garbage"):
        refused = unfollow(submit_api, bad)
        assert (refused.status_code, refused.json_body["code"]) == (401, "unauthorized")
        assert set(refused.json_body["message"]) == {"vi", "en"}


def test_only_published_reports_can_be_followed(aws, submit_api, published, ports):
    commands.unpublish(COORDINATOR, published, "Có thông tin cá nhân.", **context(ports))
    for report_id in (published, "PA260101ABCDEFGH"):
        response = follow(submit_api, report_id, app_registration("hidden"))
        assert (response.status_code, response.json_body["code"]) == (404, "not_found")
    bad = follow(submit_api, "PA260101ABCDEFGH", {"platform": "fcm", "token": "short"})
    assert (bad.status_code, bad.json_body["code"], bad.json_body["field"]) == (400, "invalid_push_token", "token")
    assert follows_table(aws).scan()["Items"] == []


def test_the_follows_are_erased_when_the_report_closes_after_the_last_push(aws, submit_api, published, ports):
    follower = app_registration("until-closed")
    assert follow(submit_api, published, follower).status_code == 200
    commands.acknowledge(OFFICER, published, **context(ports))
    commands.resolve(OFFICER, published, "Đã vá.", photo_count=1, **context(ports))
    drain_outbox()
    assert jobs.close_unrated(ports=ports, now=utcnow() + timedelta(days=30)) == [published]
    drain_outbox()
    assert ["Closed" in message for message in pushed_to(follower)] == [False, False, True]
    assert follows_table(aws).scan()["Items"] == []


def test_a_follower_whose_endpoint_still_refuses_loses_the_follow(aws, submit_api, published, ports, monkeypatch):
    dead, alive = app_registration("dead"), app_registration("alive")
    for follower in (dead, alive):
        assert follow(submit_api, published, follower).status_code == 200
    commands.acknowledge(OFFICER, published, **context(ports))
    drain_outbox()
    endpoints = sns_backends[DEFAULT_ACCOUNT_ID][REGION].platform_endpoints.values()
    endpoint_type = type(next(iter(endpoints)))
    enabled = endpoint_type.enabled
    # The push service refusing the first token: SNS disables its endpoint again as soon as it is enabled.
    monkeypatch.setattr(endpoint_type, "enabled", property(
        lambda endpoint: endpoint.token != dead["token"] and enabled.__get__(endpoint)))
    commands.add_progress(OFFICER, published, "Đang thi công.", **context(ports))
    drain_outbox()
    assert len(pushed_to(alive)) == 2 and pushed_to(dead) == []  # its endpoint deleted with the follow
    [left] = follows_table(aws).scan()["Items"]
    assert KmsContactVault().unseal_follower_device(bytes(left["device_ciphertext"]), published).to_dict() == alive


def mails_to(address: str) -> list:
    """What moto's SES sent to `address`."""
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    return [mail for mail in sent if mail.destinations["ToAddresses"] == [address]]


def link_token(body: str, page: str) -> str:
    [token] = {line.rpartition("#")[2] for line in body.splitlines() if f"/{page}#" in line}
    return token


def test_an_address_is_mailed_one_confirmation_then_each_status_change_once_confirmed(
        aws, submit_api, published, ports):
    address = f"follower-{uuid.uuid4().hex[:8]}@example.vn"
    for _ in range(2):  # asked twice: one pending follow, one confirmation
        response = follow(submit_api, published, {"email": address})
        assert response.status_code == 202, response.body
        assert "follow_token" not in response.json_body and response.headers["Cache-Control"] == "no-store"
    [item] = follows_table(aws).scan()["Items"]
    assert item["pending"] is True and address not in repr(item)
    commands.acknowledge(OFFICER, published, **context(ports))
    drain_outbox()
    [confirmation] = mails_to(address)  # no status mail before it is confirmed
    token = link_token(confirmation.body, "follow")
    confirm = submit_api.http.post("/public/follows/confirm", headers={"Authorization": f"Bearer {token}"})
    assert (confirm.status_code, confirm.json_body["confirmed"]) == (200, True)
    assert submit_api.http.post("/public/follows/confirm",
                                headers={"Authorization": f"Bearer {token}"}).status_code == 200  # idempotent
    commands.add_progress(OFFICER, published, "Đang thi công.", **context(ports))
    drain_outbox()
    [_, status] = mails_to(address)
    assert "In progress" in status.subject and link_token(status.body, "unfollow") == token
    assert "Ổ gà" not in status.body
    assert unfollow(submit_api, token).status_code == 204
    gone = submit_api.http.post("/public/follows/confirm", headers={"Authorization": f"Bearer {token}"})
    assert (gone.status_code, gone.json_body["code"]) == (404, "not_found")
    bad = follow(submit_api, published, {"email": "nobody"})
    assert (bad.status_code, bad.json_body["code"], bad.json_body["field"]) == (400, "invalid_email", "email")
