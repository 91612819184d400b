"""A browser asks S3 before it posts an upload with progress (CORS preflight): the photos bucket, with the
template's CORS rule, lets the console's origin post; a bucket without CORS refuses it, as S3 does (moto's
server alone would allow any origin), through the gate the local stack puts in front of moto."""

import boto3
import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.test import Client

from phananh_local.s3_post_policy import PostPolicyGate

CONSOLE_ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def s3_server():
    return Client(PostPolicyGate(DomainDispatcherApplication(create_backend_app)))


def _preflight(s3_server, bucket: str):
    return s3_server.open(f"/{bucket}", method="OPTIONS", headers={
        "Origin": CONSOLE_ORIGIN, "Access-Control-Request-Method": "POST", "Host": "127.0.0.1:5005",
    })


def test_the_photos_bucket_lets_the_console_post(aws, s3_server):
    answer = _preflight(s3_server, aws.environment["PHANANH_PHOTOS_BUCKET"])
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] in ("*", CONSOLE_ORIGIN)
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]


def test_a_bucket_without_cors_refuses_the_preflight(aws, s3_server):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="no-cors-here", CreateBucketConfiguration={"LocationConstraint": aws.region})
    try:
        answer = _preflight(s3_server, "no-cors-here")
    finally:
        s3.delete_bucket(Bucket="no-cors-here")
    assert answer.status_code == 403
    assert b"<Code>CORSResponse</Code>" in answer.data
    assert "Access-Control-Allow-Origin" not in answer.headers
