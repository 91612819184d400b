"""The local stack refuses browser uploads as S3 does: forms signed by boto3 itself, checked by
phananh_local.s3_post_policy (the stack puts it in front of moto's server; tests/e2e/test_upload_policy.py
posts through it)."""

import base64
import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.config import Config

from phananh_local.s3_post_policy import check_post

BUCKET = "phananh-photos"
KEY = "reports/r1/1.jpg"
MAX_BYTES = 10 * 1024 * 1024


def secrets(access_key):
    return {"testing": "testing"}.get(access_key)


@pytest.fixture(scope="module")
def form():
    # Signed with the credentials `secrets` knows, whatever other tests left in the environment.
    s3 = boto3.client("s3", region_name="ap-southeast-1", endpoint_url="http://127.0.0.1:9",
                      aws_access_key_id="testing", aws_secret_access_key="testing",
                      config=Config(signature_version="s3v4"))
    post = s3.generate_presigned_post(
        Bucket=BUCKET, Key=KEY, ExpiresIn=900,
        Conditions=[["content-length-range", 1, MAX_BYTES], ["starts-with", "$Content-Type", "image/"]],
    )
    return {**post["fields"], "Content-Type": "image/jpeg"}


def check(fields, size=1000, bucket=BUCKET, now=None):
    return check_post(fields, size, bucket, now or datetime.now(UTC), secrets)


def test_the_form_as_signed_is_accepted(form):
    assert check(form) is None
    assert check(form, size=MAX_BYTES) is None


def test_a_file_over_the_range_is_entity_too_large(form):
    refusal = check(form, size=MAX_BYTES + 1024 * 1024)
    assert (refusal.status, refusal.code) == (400, "EntityTooLarge")
    assert b"<MaxSizeAllowed>10485760</MaxSizeAllowed>" in refusal.xml()


def test_an_empty_file_is_entity_too_small(form):
    assert (check(form, size=0).status, check(form, size=0).code) == (400, "EntityTooSmall")


def test_another_content_type_fails_its_condition(form):
    refusal = check({**form, "Content-Type": "text/html"})
    assert (refusal.status, refusal.code) == (403, "AccessDenied")
    assert refusal.message.startswith("Invalid according to Policy: Policy Condition failed")
    assert check({**form, "Content-Type": "image/png,text/html"}).code == "AccessDenied"


def test_after_expiry(form):
    expiration = datetime.fromisoformat(json.loads(base64.b64decode(form["policy"]))["expiration"])
    assert check(form, now=expiration - timedelta(seconds=1)) is None
    refusal = check(form, now=expiration)
    assert (refusal.status, refusal.message) == (403, "Invalid according to Policy: Policy expired.")


def test_another_key_or_bucket_fails(form):
    assert check({**form, "key": "reports/other/1.jpg"}).code == "AccessDenied"
    assert check(form, bucket="someone-elses").code == "AccessDenied"


def test_a_field_the_policy_does_not_name_is_refused(form):
    refusal = check({**form, "acl": "public-read"})
    assert refusal.message == "Invalid according to Policy: Extra input fields: acl"
    assert check({**form, "x-ignore-note": "anything"}) is None


def test_a_rewritten_policy_no_longer_matches_its_signature(form):
    policy = json.loads(base64.b64decode(form["policy"]))
    policy["conditions"][0] = ["content-length-range", 1, 10 * MAX_BYTES]
    forged = {**form, "policy": base64.b64encode(json.dumps(policy).encode()).decode()}
    refusal = check(forged, size=MAX_BYTES + 1)
    assert (refusal.status, refusal.code) == (403, "SignatureDoesNotMatch")


def test_unknown_keys_and_unsigned_forms_are_refused(form):
    stranger = {**form, "x-amz-credential": form["x-amz-credential"].replace("testing/", "AKIASTRANGER/", 1)}
    assert (check(stranger).status, check(stranger).code) == (403, "InvalidAccessKeyId")
    unsigned = {name: value for name, value in form.items() if name not in ("policy", "x-amz-signature")}
    assert (check(unsigned).status, check(unsigned).code) == (403, "AccessDenied")
    legacy = {name: value for name, value in form.items() if not name.startswith("x-amz-")}
    assert check({**legacy, "AWSAccessKeyId": "testing", "signature": "c2lnbmF0dXJl"}).status == 400
