"""The route function on moto: S3 uploads and new reports in, checked photos and one owner out."""

import io
import json
import math
import threading
from contextlib import contextmanager

import boto3
import pytest
from delivery_flows import redeliver_effects
from log_lines import json_log_lines
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from photo_samples import CAMERA_SERIAL, astronaut_face, jpeg_with_gps
from PIL import Image
from report_flows import check_uploads, deliver, file_report, queued_bodies, upload, uploaded_bodies

from phananh.adapters.aws.notifications import SesSnsNotifier
from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.adapters.dynamo.models import ReportModel
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.model import Photo
from phananh.routing.directory import COORDINATORS_ID, Officer
from phananh.routing.geo import METRES_PER_DEGREE
from phananh.routing.latitude_bands import BAND_DEG
from phananh.shared.settings import get_settings
from phananh_local.demo_directory import ward_committee_id

REGION = "ap-southeast-1"
def emails_sent():
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def sms_alerts():
    topics = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics.values()
    return [text for topic in topics for _, text, *_ in topic.sent_notifications]


def test_a_report_without_photos_goes_to_the_field_owner_with_deadlines_and_alerts(aws, submit_api, route_api):
    receipt = file_report(submit_api, category="roads",
                          contact={"phone": "0911222333", "email": "canary@example.vn"}, device_id="dev-canary")
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}

    report = DynamoReportStore().get(receipt["report_id"])
    assert report.status == "ASSIGNED"
    assert report.owner_unit_id == "so_xay_dung"
    assert report.ward_code == "31321"
    assert report.created_at < report.acknowledge_due_at < report.resolve_due_at

    emails = emails_sent()
    assert all(receipt["report_id"] in email.subject for email in emails)
    # One message per officer: one address SES refuses cannot take the others' alert with it.
    assert sorted(email.destinations["ToAddresses"] for email in emails) == [
        ["so_xay_dung.head@example.vn"], ["so_xay_dung.officer@example.vn"]
    ]
    [sms] = [text for text in sms_alerts() if receipt["report_id"] in text]
    for alert_text in [email.subject + email.body for email in emails] + [sms]:
        for private in ("0911222333", "canary@example.vn", "dev-canary", receipt["tracking_token"]):
            assert private not in alert_text


def test_a_ward_level_field_goes_to_the_ward_committee(aws, submit_api, route_api):
    receipt = file_report(submit_api, category="urban_order")
    deliver(route_api, queued_bodies(aws))
    assert DynamoReportStore().get(receipt["report_id"]).owner_unit_id == ward_committee_id("31321")


def test_a_photo_is_checked_stripped_and_published_before_routing(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1, location=None, ward_code="31321")
    assert queued_bodies(aws) == []  # waiting for its photo; the cutoff message is delayed
    upload(aws, receipt, 1, jpeg_with_gps())
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}

    report = DynamoReportStore().get(receipt["report_id"])
    assert report.status == "ASSIGNED"
    photo = report.photos["1"]
    assert photo.is_checked
    s3 = boto3.client("s3")
    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    served = s3.get_object(Bucket=bucket, Key=photo.image_key)["Body"].read()
    assert CAMERA_SERIAL.encode() not in served
    assert not Image.open(io.BytesIO(served)).getexif()
    assert max(Image.open(io.BytesIO(served)).size) <= 2048
    assert s3.list_objects_v2(Bucket=bucket, Prefix="quarantine/")["KeyCount"] == 0
    # The photo's GPS filled the missing location, and nothing else keeps it.
    assert report.location.lat == pytest.approx(9.7791, abs=1e-3)
    assert "GPS" not in json.dumps({index: photo.as_record() for index, photo in report.photos.items()})

    view = submit_api.http.get(
        f"/reports/{receipt['report_id']}", headers={"Authorization": f"Bearer {receipt['tracking_token']}"}
    ).json_body
    assert len(view["photos"]) == 1
    assert photo.image_key in view["photos"][0]["url"]


def test_a_face_is_published_blurred_and_only_the_officers_see_the_unblurred_evidence(
        aws, submit_api, route_api, ports):
    scene = Image.new("RGB", (1200, 900), (120, 130, 110))
    scene.paste(astronaut_face(160), (300, 200))
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=92)
    receipt = file_report(submit_api, photo_count=1)
    upload(aws, receipt, 1, buffer.getvalue())
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}

    report = DynamoReportStore().get(receipt["report_id"])
    photo = report.photos["1"]
    assert photo.evidence_key.startswith(f"evidence/{receipt['report_id']}/")
    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    s3 = boto3.client("s3")
    published = s3.get_object(Bucket=bucket, Key=photo.image_key)["Body"].read()
    evidence = s3.get_object(Bucket=bucket, Key=photo.evidence_key)["Body"].read()
    assert published != evidence

    view = submit_api.http.get(
        f"/reports/{receipt['report_id']}", headers={"Authorization": f"Bearer {receipt['tracking_token']}"}
    ).json_body
    assert "evidence_url" not in view["photos"][0]
    assert "evidence/" not in json.dumps(view)
    officer = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
    officer_view = commands.officer_view(report, officer, ports=ports, settings=get_settings())
    assert photo.evidence_key in officer_view["photos"][0]["evidence_url"]
    assert photo.image_key in officer_view["photos"][0]["url"]


def test_a_redelivered_or_concurrent_upload_event_changes_nothing_twice(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1)
    upload(aws, receipt, 1, jpeg_with_gps())
    [notification] = queued_bodies(aws)

    threads = [threading.Thread(target=deliver, args=(route_api, [notification])) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deliver(route_api, [notification])

    report = DynamoReportStore().get(receipt["report_id"])
    assert report.status == "ASSIGNED"
    events = DynamoReportStore().events(receipt["report_id"])
    assert [event.action for event in events] == ["submit", "attach_photo", "route"]
    alerted = [email.destinations["ToAddresses"] for email in emails_sent() if receipt["report_id"] in email.subject]
    assert sorted(alerted) == [["so_xay_dung.head@example.vn"], ["so_xay_dung.officer@example.vn"]]  # each once


def test_a_bad_photo_is_recorded_as_rejected_and_the_report_goes_on(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1)
    upload(aws, receipt, 1, b"MZ\x90\x00 this is not an image")
    deliver(route_api, queued_bodies(aws))
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.photos["1"] == Photo(state="rejected", reason="unsupported_type")
    assert report.status == "ASSIGNED"


def test_missing_photos_wait_for_the_cutoff(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=2)
    upload(aws, receipt, 1, jpeg_with_gps())
    deliver(route_api, queued_bodies(aws))
    assert DynamoReportStore().get(receipt["report_id"]).status == "RECEIVED"

    cutoff = json.dumps({"type": "report.photo_cutoff", "report_id": receipt["report_id"]})
    deliver(route_api, [cutoff])
    assert DynamoReportStore().get(receipt["report_id"]).status == "ASSIGNED"


def test_one_failing_message_does_not_fail_its_batch(aws, submit_api, route_api):
    good = file_report(submit_api)
    [good_body] = queued_bodies(aws)
    table = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"])
    broken = table.get_item(Key={"report_id": good["report_id"]})["Item"]
    broken.update(report_id="PA261123BROKEN00", category_code="no-such-field")
    table.put_item(Item=broken)
    bad_body = json.dumps({"type": "report.submitted", "report_id": "PA261123BROKEN00"})

    event = route_api.events.generate_sqs_event(message_bodies=[good_body, bad_body, "not json"])
    bad_id = event["Records"][1]["messageId"]
    result = route_api.lambda_.invoke("handle_intake", event).payload
    assert result == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    assert DynamoReportStore().get(good["report_id"]).status == "ASSIGNED"


def test_a_messages_report_id_stays_off_the_next_messages_log_lines(aws, submit_api, route_api):
    file_report(submit_api)
    [routed] = queued_bodies(aws)
    with json_log_lines() as lines:
        assert deliver(route_api, [routed, "not json"]) == {"batchItemFailures": []}
    [dropped] = [line for line in lines() if line["message"] == "dropped an unreadable message"]
    assert "report_id" not in dropped


def test_a_point_outside_every_ward_goes_to_the_coordinators_with_the_reason(aws, submit_api, route_api, monkeypatch):
    # Just over the border (accepted within the service margin), and no ward centre within reach.
    monkeypatch.setenv("PHANANH_WARD_MAX_DISTANCE_M", "1000")
    get_settings.cache_clear()
    receipt = file_report(submit_api, location={"lat": 9.7929, "lon": 105.4349})
    deliver(route_api, queued_bodies(aws))
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.owner_unit_id == COORDINATORS_ID
    assert report.ward_code is None
    route_event = DynamoReportStore().events(receipt["report_id"])[-1]
    assert route_event.reason


def test_a_second_report_nearby_is_flagged_as_a_possible_duplicate(aws, submit_api, route_api):
    first = file_report(submit_api, location={"lat": 9.77900, "lon": 105.47000})
    deliver(route_api, queued_bodies(aws))
    second = file_report(submit_api, location={"lat": 9.77915, "lon": 105.47010})
    far = file_report(submit_api, location={"lat": 9.78400, "lon": 105.47000})
    other_field = file_report(submit_api, category="lighting", location={"lat": 9.77901, "lon": 105.47001})
    deliver(route_api, queued_bodies(aws))
    store = DynamoReportStore()
    assert store.get(second["report_id"]).possible_duplicates == (first["report_id"],)
    assert store.get(far["report_id"]).possible_duplicates == ()
    assert store.get(other_field["report_id"]).possible_duplicates == ()


@contextmanager
def nearby_queries():
    """The queries of the nearby_band index made meanwhile (the reports table's client, PynamoDB's)."""
    client, made = ReportModel._get_connection().connection.client, []

    def record(params, **_):
        if params.get("IndexName") == ReportModel.nearby.Meta.index_name:
            made.append(params)

    client.meta.events.register("before-parameter-build.dynamodb.Query", record)
    try:
        yield made
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb.Query", record)


def test_a_report_40_metres_across_a_band_edge_is_flagged_in_at_most_two_queries(aws, submit_api, route_api):
    edge = math.ceil(9.779 / BAND_DEG) * BAND_DEG
    first = file_report(submit_api, location={"lat": round(edge - 10 / METRES_PER_DEGREE, 6), "lon": 105.47})
    deliver(route_api, queued_bodies(aws))
    second = file_report(submit_api, location={"lat": round(edge + 30 / METRES_PER_DEGREE, 6), "lon": 105.47})
    with nearby_queries() as made:
        deliver(route_api, queued_bodies(aws))
    assert DynamoReportStore().get(second["report_id"]).possible_duplicates == (first["report_id"],)
    assert 1 <= len(made) <= 2


def photo_objects(aws) -> list[str]:
    listing = boto3.client("s3").list_objects_v2(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"])
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_the_photo_check_only_publishes_and_reports_the_route_function_records(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1, location=None, ward_code="31321")
    upload(aws, receipt, 1, jpeg_with_gps())
    assert check_uploads(uploaded_bodies(aws)) == {"batchItemFailures": []}

    # Checked and published, the upload gone: the report itself untouched until routing records it.
    assert [key.split("/")[0] for key in photo_objects(aws)] == ["public", "thumbs"]
    assert DynamoReportStore().get(receipt["report_id"]).photos == {}
    [result] = [json.loads(body) for body in queued_bodies(aws)]
    assert result["type"] == "photo.checked" and result["check"]["state"] == "checked"
    assert result["gps"] == [pytest.approx(9.7791, abs=1e-3), pytest.approx(105.4702, abs=1e-3)]
    deliver(route_api, [json.dumps(result)])
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.photos["1"].image_key == result["check"]["image_key"] and report.status == "ASSIGNED"


def test_a_photo_through_a_stale_form_for_a_routed_report_is_refused(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1, location=None, ward_code="31321")
    # Its photo never came: routed after the cutoff, without a location.
    deliver(route_api, [json.dumps({"type": "report.photo_cutoff", "report_id": receipt["report_id"]})])
    assert DynamoReportStore().get(receipt["report_id"]).status == "ASSIGNED"
    upload(aws, receipt, 1, jpeg_with_gps())  # the form is still valid
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}

    report = DynamoReportStore().get(receipt["report_id"])
    assert report.photos == {} and report.location is None  # neither published nor moved the report
    assert photo_objects(aws) == []
    assert [event.action for event in DynamoReportStore().events(receipt["report_id"])] == ["submit", "route"]


def test_a_second_upload_to_a_recorded_slot_never_replaces_the_published_photo(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=2)
    upload(aws, receipt, 1, jpeg_with_gps())
    deliver(route_api, queued_bodies(aws))
    first = DynamoReportStore().get(receipt["report_id"]).photos["1"]
    published = photo_objects(aws)

    upload(aws, receipt, 1, jpeg_with_gps(colour=(10, 200, 10)))  # the same form used again
    deliver(route_api, queued_bodies(aws))
    assert DynamoReportStore().get(receipt["report_id"]).photos == {"1": first}
    assert photo_objects(aws) == published


def test_a_photo_check_result_naming_another_reports_photos_is_dropped(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1)
    forged = {
        "type": "photo.checked", "report_id": receipt["report_id"], "photo_index": 1, "photo_kind": "",
        "check": {"state": "checked", "image_key": "public/PA261123OTHERREP1/1-0123456789abcdef.jpg",
                  "thumbnail_key": f"thumbs/{receipt['report_id']}/1-0123456789abcdef.jpg",
                  "width": 1, "height": 1, "perceptual_hash": "0" * 16},
        "gps": None,
    }
    assert deliver(route_api, [json.dumps(forged)]) == {"batchItemFailures": []}
    assert DynamoReportStore().get(receipt["report_id"]).photos == {}


@pytest.fixture
def an_officer_with_a_bad_address(seeded):
    """An address recorded before addresses were checked strictly, as SES would refuse it."""
    directory = DynamoDirectoryStore()
    [head] = [officer for officer in directory.officers_of("so_xay_dung") if officer.role == "unit_head"]
    bad = Officer(**{**head.__dict__, "officer_id": "so_xay_dung.officer3", "email": "nguyen,van@example.vn"})
    directory.put_officers([bad])
    yield bad
    directory.delete_officer(bad.officer_id)


def test_one_bad_address_stops_neither_the_other_emails_nor_the_sms(
    aws, submit_api, route_api, an_officer_with_a_bad_address
):
    receipt = file_report(submit_api, category="roads")
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}
    assert DynamoReportStore().get(receipt["report_id"]).status == "ASSIGNED"
    assert sorted(email.destinations["ToAddresses"][0] for email in emails_sent()) == [
        "so_xay_dung.head@example.vn", "so_xay_dung.officer@example.vn"
    ]
    assert [text for text in sms_alerts() if receipt["report_id"] in text]


def test_a_failing_email_is_retried_alone_and_the_sms_still_goes(aws, submit_api, route_api, monkeypatch):
    real_send = SesSnsNotifier.send_email
    ses_down_for = {"so_xay_dung.officer@example.vn"}

    def flaky_send(notifier, recipients, subject, body):
        if set(recipients) & ses_down_for:
            raise ConnectionError("SES unreachable")
        real_send(notifier, recipients, subject, body)

    monkeypatch.setattr(SesSnsNotifier, "send_email", flaky_send)
    receipt = file_report(submit_api, category="roads")
    bodies = queued_bodies(aws)
    # Routed; the alert, the outbox's, is to be delivered again for the failed e-mail.
    assert deliver(route_api, bodies) == {"batchItemFailures": []}
    assert [email.destinations["ToAddresses"] for email in emails_sent()] == [["so_xay_dung.head@example.vn"]]
    assert len([text for text in sms_alerts() if receipt["report_id"] in text]) == 1

    ses_down_for.clear()
    assert redeliver_effects() == 1
    assert sorted(email.destinations["ToAddresses"][0] for email in emails_sent()) == [
        "so_xay_dung.head@example.vn", "so_xay_dung.officer@example.vn"
    ]
    assert len([text for text in sms_alerts() if receipt["report_id"] in text]) == 1  # not sent twice
