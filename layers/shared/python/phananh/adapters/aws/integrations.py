"""The AWS services the domain uses besides DynamoDB: KMS, S3, SQS, SNS, SES and Secrets Manager.

Clients are created on first use (boto3 is the biggest import on a cold start) and reused.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from phananh.shared.settings import get_settings

QUARANTINE_PREFIX = "quarantine/"
# After-photos of a resolution are uploaded as quarantine/{report_id}/r{n}; the reporter's as .../{n}.
RESULT_PHOTO_PREFIX = "r"
# Where the photo check writes the checked, re-encoded copy and its thumbnail: the only objects
# anyone is ever given a link to.
CHECKED_PHOTO_PREFIX = "public/"
THUMBNAIL_PREFIX = "thumbs/"
SIGNED_PHOTO_PREFIXES = (CHECKED_PHOTO_PREFIX, THUMBNAIL_PREFIX)


@cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    # SigV4 everywhere: presigned S3 POSTs default to the legacy signature otherwise.
    return boto3.client(service, config=Config(signature_version="s3v4") if service == "s3" else None)


@cache
def server_secret() -> bytes:
    """The key for HMACs of device ids, IPs and derived tokens; fetched once per container."""
    response = client("secretsmanager").get_secret_value(SecretId=get_settings().secret_arn)
    return response["SecretString"].encode()


# What a sealed ciphertext is for, in its encryption context: each role's kms:Decrypt grant names
# the purposes it may open (only the officer API opens contacts; the functions that push, endpoints).
CONTACT_PURPOSE = "reporter-contact"
PUSH_PURPOSE = "reporter-push"


def _seal(details: Any, report_id: str, purpose: str) -> bytes:
    # The context binds the ciphertext to its report and purpose: copied onto another report, or
    # opened as the other kind, it no longer decrypts.
    response = client("kms").encrypt(
        KeyId=get_settings().contact_key_id,
        Plaintext=json.dumps(details, ensure_ascii=False).encode(),
        EncryptionContext={"purpose": purpose, "report_id": report_id},
    )
    return response["CiphertextBlob"]


def _unseal(ciphertext: bytes, report_id: str, purpose: str) -> Any:
    response = client("kms").decrypt(
        CiphertextBlob=ciphertext, EncryptionContext={"purpose": purpose, "report_id": report_id}
    )
    return json.loads(response["Plaintext"])


def encrypt_contact(contact: dict[str, Any], report_id: str) -> bytes:
    """Seal the reporter's contact (phone, e-mail, consent) for this report only."""
    return _seal(contact, report_id, CONTACT_PURPOSE)


def decrypt_contact(ciphertext: bytes, report_id: str) -> dict[str, Any]:
    return _unseal(ciphertext, report_id, CONTACT_PURPOSE)


def encrypt_push_endpoint(endpoint_arn: str, report_id: str) -> bytes:
    """Seal the reporter's push endpoint apart from their contact: pushing needs no contact."""
    return _seal(endpoint_arn, report_id, PUSH_PURPOSE)


def decrypt_push_endpoint(ciphertext: bytes, report_id: str) -> str:
    return _unseal(ciphertext, report_id, PUSH_PURPOSE)


@dataclass(frozen=True)
class UploadForm:
    url: str
    fields: dict[str, str]
    key: str
    expires_at: datetime
    max_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "fields": self.fields,
            "key": self.key,
            "expires_at": self.expires_at.isoformat(),
            "max_bytes": self.max_bytes,
            "content_types": "image/*",
        }


def photo_key(report_id: str, index: int, key_prefix: str = "") -> str:
    return f"{QUARANTINE_PREFIX}{report_id}/{key_prefix}{index}"


def photo_upload_forms(report_id: str, count: int, now: datetime, *, key_prefix: str = "") -> list[UploadForm]:
    """One presigned POST per expected photo, each bound to its key, size and image types.

    `key_prefix` names the kind of photo within the report's folder (RESULT_PHOTO_PREFIX for
    after-photos); the reporter's photos have none.
    """
    settings = get_settings()
    forms = []
    for index in range(1, count + 1):
        key = photo_key(report_id, index, key_prefix)
        post = client("s3").generate_presigned_post(
            Bucket=settings.photos_bucket,
            Key=key,
            Conditions=[
                ["content-length-range", 1, settings.photo_max_bytes],
                ["starts-with", "$Content-Type", "image/"],
            ],
            ExpiresIn=settings.upload_url_ttl_s,
        )
        forms.append(
            UploadForm(
                url=post["url"],
                fields=post["fields"],
                key=key,
                expires_at=now + timedelta(seconds=settings.upload_url_ttl_s),
                max_bytes=settings.photo_max_bytes,
            )
        )
    return forms


def enqueue_for_routing(report_id: str, *, kind: str = "report.submitted", delay_s: int = 0) -> None:
    """Hand a report to the route function, on the queue photo events use.

    `report.submitted` routes a report at once; `report.photo_cutoff`, sent with a delay, routes a
    report whose photos never all arrived.
    """
    client("sqs").send_message(
        QueueUrl=get_settings().intake_queue_url,
        MessageBody=json.dumps({"type": kind, "report_id": report_id}),
        DelaySeconds=delay_s,
    )


def enqueue_photo_check(result: dict[str, Any]) -> None:
    """Hand what the photo check made of an upload to the route function, which records it."""
    client("sqs").send_message(QueueUrl=get_settings().intake_queue_url, MessageBody=json.dumps(result))


def read_upload(key: str) -> bytes | None:
    """A quarantined upload, or None when it is gone (a redelivered event, already handled)."""
    s3 = client("s3")
    try:
        return s3.get_object(Bucket=get_settings().photos_bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None


def upload_size(key: str) -> int | None:
    """The size of a quarantined upload, or None when it is gone; any other failure is raised, so
    that the event is retried rather than taken for one already handled."""
    s3 = client("s3")
    try:
        return s3.head_object(Bucket=get_settings().photos_bucket, Key=key)["ContentLength"]
    except s3.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def store_photo(key: str, jpeg: bytes) -> None:
    client("s3").put_object(
        Bucket=get_settings().photos_bucket, Key=key, Body=jpeg, ContentType="image/jpeg",
        CacheControl="public, max-age=31536000, immutable",
    )


def delete_upload(key: str) -> None:
    client("s3").delete_object(Bucket=get_settings().photos_bucket, Key=key)


def delete_checked_photo(key: str) -> None:
    """Take down a checked copy no report records (a photo refused after its check)."""
    if not key.startswith(SIGNED_PHOTO_PREFIXES):
        raise ValueError(f"not a checked photo: {key[:80]!r}")
    client("s3").delete_object(Bucket=get_settings().photos_bucket, Key=key)


def photo_link(key: str) -> str:
    """A short-lived link to a checked photo; the bucket itself stays private."""
    if not key.startswith(SIGNED_PHOTO_PREFIXES):
        # Never a link into quarantine/ (unchecked bytes), nor one the signer's role cannot read.
        raise ValueError(f"not a checked photo: {key[:80]!r}")
    settings = get_settings()
    return client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": settings.photos_bucket, "Key": key},
        ExpiresIn=settings.photo_url_ttl_s,
    )


def send_email(recipients: list[str], subject: str, body: str) -> None:
    client("ses").send_email(
        Source=get_settings().alerts_sender,
        Destination={"ToAddresses": recipients},
        Message={
            "Subject": {"Data": subject, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
        },
    )


def publish(topic_arn: str, subject: str, body: str) -> None:
    client("sns").publish(TopicArn=topic_arn, Subject=subject[:100], Message=body)


def push(endpoint_arn: str, message: str) -> None:
    """A mobile push to one app installation (an SNS platform endpoint)."""
    client("sns").publish(TargetArn=endpoint_arn, Message=message)


def create_unit_topic(name: str, phones: list[str]) -> str:
    """The unit's SMS/push topic, with its officers' phones subscribed (both idempotent)."""
    sns = client("sns")
    topic_arn = sns.create_topic(Name=name)["TopicArn"]
    for phone in phones:
        sns.subscribe(TopicArn=topic_arn, Protocol="sms", Endpoint=phone)
    return topic_arn


def create_sign_in(username: str, email: str, group: str, *, fresh: bool) -> None:
    """An officer's sign-in: Cognito e-mails a temporary password; the group gives the role.

    `fresh` (a new holder of the post, or a new address): any earlier account of that name is signed
    out everywhere and deleted first, so the previous holder's password, address and refresh tokens
    die with it and the new holder starts from a temporary password sent to the new address.
    """
    cognito = client("cognito-idp")
    pool_id = get_settings().user_pool_id
    if fresh:
        remove_sign_in(username)
    # Not fresh: the same holder, changed in place, keeps their credentials.
    with contextlib.suppress(cognito.exceptions.UsernameExistsException):
        cognito.admin_create_user(
            UserPoolId=pool_id, Username=username, DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        )
    for existing in cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]:
        if existing["GroupName"] != group:
            cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=username, GroupName=existing["GroupName"])
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def remove_sign_in(username: str) -> None:
    """Sign the account out everywhere (its refresh tokens stop working) and delete it."""
    cognito = client("cognito-idp")
    pool_id = get_settings().user_pool_id
    try:
        cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
        cognito.admin_delete_user(UserPoolId=pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        pass


def has_totp(username: str) -> bool:
    """Whether the officer's sign-in has an authenticator app (TOTP) enrolled as an MFA method."""
    cognito = client("cognito-idp")
    try:
        user = cognito.admin_get_user(UserPoolId=get_settings().user_pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        return False
    return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])
