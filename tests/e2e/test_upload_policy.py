"""The local stack's S3 holds presigned upload forms to their policy as S3 does (size range,
content type, expiry, signature), so tests see what the cloud would refuse; and moto's dashboard,
which the banner advertises, answers."""

import time

import pytest
import requests
from local_stack_runner import running_stack
from photo_samples import jpeg_with_gps

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack():
    yield from running_stack()


def upload_form(stack):
    receipt = requests.post(
        f"{stack.base_url}/reports",
        json={"category": "lighting", "description": "Đèn đường tắt cả tuần", "ward_code": "31321",
              "photo_count": 1},
        timeout=10,
    ).json()
    [upload] = receipt["uploads"]
    return upload


def post(upload, content, content_type="image/jpeg", fields=None):
    return requests.post(
        upload["url"],
        data={**(fields or upload["fields"]), "Content-Type": content_type},
        files={"file": ("photo.jpg", content, content_type)},
        timeout=30,
    )


def stored(stack, upload):
    bucket = upload["url"].rstrip("/").rsplit("/", 1)[1]
    listed = stack.aws("s3").list_objects_v2(Bucket=bucket, Prefix=upload["key"])
    return [item["Key"] for item in listed.get("Contents", [])]


def test_a_file_over_the_forms_size_limit_is_refused(stack):
    upload = upload_form(stack)
    refused = post(upload, b"\xff\xd8\xff" + bytes(upload["max_bytes"] + 1024 * 1024))
    assert refused.status_code == 400
    assert "<Code>EntityTooLarge</Code>" in refused.text
    assert stored(stack, upload) == []


def test_another_content_type_is_refused(stack):
    upload = upload_form(stack)
    refused = post(upload, b"<script>alert(1)</script>", content_type="text/html")
    assert refused.status_code == 403
    assert "<Code>AccessDenied</Code>" in refused.text and "Policy Condition failed" in refused.text
    assert stored(stack, upload) == []


def test_a_form_used_after_it_expired_is_refused(stack):
    upload = upload_form(stack)
    bucket = upload["url"].rstrip("/").rsplit("/", 1)[1]
    import boto3
    from botocore.config import Config

    s3 = boto3.client("s3", endpoint_url=stack.moto_url, region_name="ap-southeast-1",
                      config=Config(signature_version="s3v4"))
    short = s3.generate_presigned_post(Bucket=bucket, Key=upload["key"], ExpiresIn=1,
                                       Conditions=[["starts-with", "$Content-Type", "image/"]])
    time.sleep(2.1)
    refused = post({**upload, "url": short["url"]}, jpeg_with_gps(), fields=short["fields"])
    assert refused.status_code == 403
    assert "Policy expired" in refused.text
    assert stored(stack, upload) == []


def test_a_good_photo_is_stored(stack):
    upload = upload_form(stack)
    accepted = post(upload, jpeg_with_gps())
    assert accepted.status_code in (200, 201, 204), accepted.text
    assert stored(stack, upload) == [upload["key"]]


def test_the_advertised_dashboard_answers(stack):
    assert f"{stack.moto_url}/moto-api/" in "".join(stack.output)
    page = requests.get(f"{stack.moto_url}/moto-api/", timeout=10)
    assert page.status_code == 200
    state = requests.get(f"{stack.moto_url}/moto-api/data.json", timeout=30)
    assert state.status_code == 200, state.text[:500]
    assert state.json()["awslambda"]["LambdaFunction"]  # the deployed functions, Docker or not
