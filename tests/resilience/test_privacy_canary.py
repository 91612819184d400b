"""A privacy canary: a phone, an e-mail, a device id, an app's push token and an IP address that exist
nowhere else, given with a report (and written into its photo's EXIF, as phones do with the owner's name), and
a follower's push token. The report is filed, its photo checked, routed, followed, acknowledged, asked about
(the question relayed) and answered, resolved and rated (which closes it and ends the follow); then every place
a leak could
surface is searched: public and citizen answers (the open data's CSV and GeoJSON downloads and the
daily snapshot's files among them), the officers' answers (the reporter did not consent), the logs of
every step, the alerts sent (SES, SNS), the stored photos (bytes and metadata) and the tables' raw
items. A second report that consents proves the search can find the canary."""

import csv
import io
import json

import boto3
import piexif
import pytest
import requests
from chalice.local import LambdaEventConverter
from delivery_flows import drain_outbox
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends
from PIL import Image
from report_flows import deliver, file_report, queued_bodies, upload
from resilience.harness import emails_sent, texts_sent
from sign_ins import bearer

from phananh import bootstrap
from phananh.report.model import utcnow
from phananh.shared.observability import logger
from phananh.shared.settings import get_settings
from phananh.transparency import snapshots

PHONE, EMAIL, DEVICE, IP = "0939517286", "canary.q7x4@example.vn", "device-canary-5c1e9", "203.0.113.77"
# The app's FCM token: pushed to (its SNS endpoint made at the first push), never logged nor shown.
PUSH_TOKEN = "canaryPushToken7f3e9a:APA91bQ2w8e4r6t0y1u3i5o7p9a2s4d6f8g0h1j3k5l7z9x2c4v6b8n0m1q3w5e7r9t2y4u6i8o0p"
# A device following the report: pushed its changes, and otherwise as unseen as the reporter's.
FOLLOWER_TOKEN = "canaryFollowerToken2b8d4:APA91bZ9y7x5w3v1u0t8s6r4q2p0o9n7m5l3k1j0i8h6g4f2e0d9c7b5a3"
CANARIES = (PHONE, EMAIL, DEVICE, IP, PUSH_TOKEN, FOLLOWER_TOKEN)
OWNER, COORDINATOR = "so_xay_dung.officer", "ban_dieu_phoi.coordinator1"


def photo_with_the_owners_details() -> bytes:
    exif = piexif.dump({"0th": {piexif.ImageIFD.Artist: EMAIL.encode(), piexif.ImageIFD.Copyright: PHONE.encode(),
                                piexif.ImageIFD.ImageDescription: DEVICE.encode()}})
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 140, 90)).save(buffer, "JPEG", exif=exif, comment=IP.encode())
    return buffer.getvalue()


def leaks(where: str, text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [f"{canary} in {where}" for canary in CANARIES if canary in text]


@pytest.fixture
def canary_ip(monkeypatch):
    # API Gateway names the caller's address in the event; Chalice's test client always says 127.0.0.1.
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", IP)


@pytest.fixture
def every_log_line():
    level = logger.log_level
    logger.setLevel("DEBUG")
    yield
    logger.setLevel(level)


def test_the_reporters_details_surface_nowhere_but_with_consent(
    aws, submit_api, route_api, edge, canary_ip, every_log_line, capfd, caplog
):
    receipt = file_report(submit_api, photo_count=1, device_id=DEVICE, push={"platform": "fcm", "token": PUSH_TOKEN},
                          contact={"phone": PHONE, "email": EMAIL, "share_with_officer": False})
    report_id = receipt["report_id"]
    upload(aws, receipt, 1, photo_with_the_owners_details())
    deliver(route_api, queued_bodies(aws))
    consenting = file_report(submit_api, location={"lat": 9.786, "lon": 105.47},
                             contact={"phone": PHONE, "share_with_officer": True})
    deliver(route_api, queued_bodies(aws))

    found: list[str] = []
    answers: dict[str, str] = {}

    def get(path, **headers):
        response = requests.get(edge + path, headers=headers, timeout=30)
        assert response.status_code == 200, (path, response.text)
        answers[f"GET {path}"] = response.text

    def post(path, body, **headers):
        response = requests.post(edge + path, json=body, headers=headers, timeout=30)
        assert response.status_code in (200, 201), (path, response.text)
        answers[f"POST {path}"] = response.text

    s3 = boto3.client("s3")
    officer, coordinator = bearer(OWNER), bearer(COORDINATOR)
    get("/public/reports")
    get(f"/public/reports/{report_id}")
    get(f"/open311/v2/requests/{report_id}.json")
    get("/open311/v2/requests.xml")
    get(f"/reports/{report_id}", Authorization=f"Bearer {receipt['tracking_token']}")
    get("/officer/reports?status=ASSIGNED", **officer)
    get(f"/officer/reports/{report_id}", **officer)
    get(f"/officer/reports/{report_id}", **coordinator)
    post(f"/public/reports/{report_id}/follow", {"platform": "fcm", "token": FOLLOWER_TOKEN})
    follow_token = json.loads(answers[f"POST /public/reports/{report_id}/follow"])["follow_token"]
    post(f"/officer/reports/{report_id}/acknowledge", {"note": "Đã nhận"}, **officer)
    post(f"/officer/reports/{report_id}/progress", {"note": "Đang sửa"}, **officer)
    # The owner unit asks the reporter, through the system (relayed to the app), and reads the answer.
    post(f"/officer/reports/{report_id}/questions", {"text": "Ổ gà ở bên nào của chợ?", "photo_requested": True},
         **officer)
    drain_outbox()
    post(f"/reports/{report_id}/answers", {"text": "Bên trái, cạnh cột điện"},
         Authorization=f"Bearer {receipt['tracking_token']}")
    get(f"/officer/reports/{report_id}", **officer)
    post(f"/officer/reports/{report_id}/resolve", {"note": "Đã sửa xong", "photo_count": 1}, **officer)
    post(f"/reports/{report_id}/rating", {"score": 5, "fixed": True},
         Authorization=f"Bearer {receipt['tracking_token']}")
    drain_outbox()
    # The token reached SNS (its endpoint made, pushed each status change) and nothing else.
    [endpoint] = [endpoint for endpoint in sns_backends[DEFAULT_ACCOUNT_ID][aws.region].platform_endpoints.values()
                  if endpoint.token == PUSH_TOKEN]
    assert len(endpoint.messages) >= 3
    # The follower's token reached SNS too; what it was pushed names nobody (searched with every SNS message).
    [followed] = [endpoint for endpoint in sns_backends[DEFAULT_ACCOUNT_ID][aws.region].platform_endpoints.values()
                  if endpoint.token == FOLLOWER_TOKEN]
    assert len(followed.messages) >= 3
    # The rating closed the report: its follows went with it, and the token names nothing now.
    unfollowed = requests.delete(f"{edge}/public/follows", headers={"Authorization": f"Bearer {follow_token}"},
                                 timeout=30)
    assert unfollowed.status_code == 404
    get(f"/public/reports/{report_id}")
    get("/public/scorecards")
    # The open data, parsed as its users read it: both reports are in it, and nothing of their reporters.
    get("/public/open-data/reports.csv")
    get("/public/open-data/reports.geojson")
    csv_rows = list(csv.DictReader(io.StringIO(answers["GET /public/open-data/reports.csv"].lstrip("\ufeff"))))
    features = json.loads(answers["GET /public/open-data/reports.geojson"])["features"]
    assert {row["report_id"] for row in csv_rows} == {feature["id"] for feature in features} == {
        report_id, consenting["report_id"]}
    # The daily snapshot of today, written as the nightly job writes a day: every file in the bucket searched.
    now = utcnow()
    snapshots.write_daily_snapshot(snapshots.vietnam_day(now), ports=bootstrap.ports(), settings=get_settings(),
                                   now=now)
    open_data_bucket = aws.environment["PHANANH_OPEN_DATA_BUCKET"]
    snapshot_files = {item["Key"]: s3.get_object(Bucket=open_data_bucket, Key=item["Key"])["Body"].read()
                      for item in s3.list_objects_v2(Bucket=open_data_bucket)["Contents"]}
    day = f"open-data/daily/{snapshots.vietnam_day(now).isoformat()}"
    snapshot_rows = list(csv.DictReader(io.StringIO(snapshot_files[f"{day}.csv"].decode("utf-8-sig"))))
    snapshot_features = json.loads(snapshot_files[f"{day}.geojson"])["features"]
    assert {row["report_id"] for row in snapshot_rows} == {feature["id"] for feature in snapshot_features} == {
        report_id, consenting["report_id"]}
    for key, body in snapshot_files.items():
        answers[f"s3 {key}"] = body.decode("utf-8")
    # The coordinators' views across units: the export lists both reports, and never a contact.
    for path in ("/coordinator/export/reports.csv", "/coordinator/dashboard", "/coordinator/escalations",
                 "/coordinator/units"):
        get(path, **coordinator)
    # Views that decrypt the consenting reporter's contact (so not searched as answers) are recorded:
    # the tables, searched below, must not hold the contact itself.
    for who, query in ((officer, ""), (coordinator, "?purpose=clarify_report")):
        shown = requests.get(f"{edge}/officer/reports/{consenting['report_id']}{query}", headers=who, timeout=30)
        assert shown.status_code == 200 and PHONE in shown.text
    for where, text in answers.items():
        found += leaks(where, text)
    # The reporter's own download holds their contact, and only theirs: it is not searched as a leak,
    # but its request must leave no trace of it in the logs (searched below).
    download = requests.get(f"{edge}/reports/{report_id}/personal-data", timeout=30,
                            headers={"Authorization": f"Bearer {receipt['tracking_token']}"})
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert download.json()["contact"] == {"phone": PHONE, "email": EMAIL,
                                          "push": {"platform": "fcm", "token": PUSH_TOKEN}}

    captured = capfd.readouterr()
    found += leaks("logs (stdout)", captured.out) + leaks("logs (stderr)", captured.err)
    found += leaks("logs (logging)", caplog.text)
    # The follow token, shown once to its device, is never logged.
    found += [f"follow token in logs ({where})" for where, text in
              (("stdout", captured.out), ("stderr", captured.err), ("logging", caplog.text)) if follow_token in text]
    for message in emails_sent():
        found += leaks(f"e-mail {message.subject[:30]}", message.subject + message.body)
    for target, text in texts_sent():
        found += leaks(f"SNS to {target.rsplit(':', 1)[1]}", text)

    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    stored = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert {item["Key"].split("/")[0] for item in stored} == {"public", "thumbs"}
    for item in stored:
        head = s3.head_object(Bucket=bucket, Key=item["Key"])
        found += leaks(f"s3 {item['Key']} metadata", json.dumps(head["Metadata"]) + item["Key"])
        found += leaks(f"s3 {item['Key']}", s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())

    dynamodb = boto3.client("dynamodb")
    for name, table in aws.environment.items():
        if name.endswith("_TABLE"):
            for page in dynamodb.get_paginator("scan").paginate(TableName=table):
                items = json.dumps(page["Items"], default=str)
                found += leaks(f"table {table}", items)
                found += [f"follow token in table {table}"] if follow_token in items else []

    assert found == []
    # The search itself works: the consenting reporter's phone is shown to the owner unit.
    response = requests.get(f"{edge}/officer/reports/{consenting['report_id']}", headers=officer, timeout=30)
    assert PHONE in response.text
    # Once the reporter withdraws consent, nobody sees it.
    withdrawn = requests.delete(f"{edge}/reports/{consenting['report_id']}/contact/consent", timeout=30,
                                headers={"Authorization": f"Bearer {consenting['tracking_token']}"})
    assert withdrawn.status_code == 200
    for who in (officer, coordinator):
        response = requests.get(f"{edge}/officer/reports/{consenting['report_id']}?purpose=clarify_report",
                                headers=who, timeout=30)
        assert response.status_code == 200 and PHONE not in response.text
    assert len(answers) >= 15 and len(emails_sent()) >= 2
