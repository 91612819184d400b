"""A report's way through the system in integration tests: filed through the submit app, its uploads
checked by the photos app, handed to the route app exactly as the intake queue would deliver it, and
what each change calls for (its routing message, the alerts and pushes) done by the outbox
(tests/delivery_flows.py)."""

import json

import boto3
from chalice.test import Client
from delivery_flows import drain_outbox

from phananh import bootstrap
from phananh.processing import commands
from phananh.report.model import utcnow
from phananh.shared.settings import uploads_queue_name
from phananh_local.apps import app_dir, load_chalice_app
from phananh_local.dispatch import StreamPoller

VI_THANH = {"lat": 9.779, "lon": 105.47}


def file_report(submit_api, **fields):
    body = {"category": "roads", "description": "Ổ gà lớn trước chợ", "location": VI_THANH, **fields}
    response = submit_api.http.post("/reports", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    assert response.status_code == 201, response.body
    return response.json_body


def _received(url: str) -> list[str]:
    sqs = boto3.client("sqs")
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def uploaded_bodies(aws) -> list[str]:
    """The S3 upload notifications waiting on the photo check's queue."""
    return _received(boto3.client("sqs").get_queue_url(QueueName=uploads_queue_name())["QueueUrl"])


def check_uploads(bodies: list[str]) -> dict:
    """The photos app's answer to these notifications, delivered as its queue would."""
    with Client(load_chalice_app("photos").app, project_dir=str(app_dir("photos"))) as photos_api:
        event = photos_api.events.generate_sqs_event(message_bodies=bodies, queue_name=uploads_queue_name())
        return photos_api.lambda_.invoke("check_uploads", event).payload


def queued_bodies(aws) -> list[str]:
    """What the route function gets next from the intake queue, once the outbox has forwarded the
    changes so far (a new report's routing message) and the photo check has taken the uploads
    waiting on its own queue (as their event sources would first)."""
    drain_outbox()
    if uploads := uploaded_bodies(aws):
        assert check_uploads(uploads) == {"batchItemFailures": []}
    return _received(aws.environment["PHANANH_INTAKE_QUEUE_URL"])


def deliver(route_api, bodies):
    """The route function's answer to these intake messages; then what its changes call for (the
    owner's alert, the reporter's push) done by the outbox."""
    event = route_api.events.generate_sqs_event(message_bodies=bodies, queue_name="phananh-intake")
    answer = route_api.lambda_.invoke("handle_intake", event).payload
    drain_outbox()
    return answer


def upload(aws, receipt, index, data):
    boto3.client("s3").put_object(
        Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"], Key=f"quarantine/{receipt['report_id']}/{index}", Body=data
    )


def routed_report(aws, submit_api, route_api, **fields):
    """A report filed and routed (ASSIGNED), with the reporter's receipt."""
    receipt = file_report(submit_api, **fields)
    deliver(route_api, queued_bodies(aws))
    return receipt


def doubled_stream_pollers(aws):
    """Two pollers of the reports stream from now on: the second delivers every record again, as a
    retried batch would."""
    rate_function = next(spec for spec in aws.functions if spec.app == "rate" and spec.stream_sources)
    pollers = [StreamPoller(rate_function, rate_function.stream_sources[0], stop=None) for _ in range(2)]
    for poller in pollers:
        poller.start_at_latest()
    return pollers


def resolved_and_rated(aws, submit_api, route_api, rate_api, officer, score=4, fixed=True):
    """A report routed, acknowledged and resolved by `officer`, then rated by its reporter; its receipt."""
    ports = bootstrap.ports()
    context = {"ports": ports, "now": utcnow()}
    receipt = routed_report(aws, submit_api, route_api)
    commands.acknowledge(officer, receipt["report_id"], **context)
    commands.resolve(officer, receipt["report_id"], "Đã vá", photo_count=1, **context)
    rated = rate_api.http.post(
        f"/reports/{receipt['report_id']}/rating", body=json.dumps({"score": score, "fixed": fixed}),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {receipt['tracking_token']}"},
    )
    assert rated.status_code == 201, rated.body
    return receipt
