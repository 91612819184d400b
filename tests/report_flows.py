"""A report's way through the system in integration tests: filed through the submit app, handed
to the route app exactly as the intake queue would deliver it."""

import json

import boto3

VI_THANH = {"lat": 9.779, "lon": 105.47}


def file_report(submit_api, **fields):
    body = {"category": "roads", "description": "Ổ gà lớn trước chợ", "location": VI_THANH, **fields}
    response = submit_api.http.post("/reports", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    assert response.status_code == 201, response.body
    return response.json_body


def queued_bodies(aws) -> list[str]:
    sqs = boto3.client("sqs")
    url = aws.environment["PHANANH_INTAKE_QUEUE_URL"]
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def deliver(route_api, bodies):
    event = route_api.events.generate_sqs_event(message_bodies=bodies, queue_name="phananh-intake")
    return route_api.lambda_.invoke("handle_intake", event).payload


def upload(aws, receipt, index, data):
    boto3.client("s3").put_object(
        Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"], Key=f"quarantine/{receipt['report_id']}/{index}", Body=data
    )


def routed_report(aws, submit_api, route_api, **fields):
    """A report filed and routed (ASSIGNED), with the reporter's receipt."""
    receipt = file_report(submit_api, **fields)
    deliver(route_api, queued_bodies(aws))
    return receipt
