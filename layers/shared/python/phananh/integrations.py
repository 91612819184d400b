"""The AWS services the domain uses besides DynamoDB: KMS, S3, SQS and Secrets Manager.

Clients are created on first use (boto3 is the biggest import on a cold start) and reused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from phananh.settings import get_settings

QUARANTINE_PREFIX = "quarantine/"


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


def encrypt_contact(contact: dict[str, Any], report_id: str) -> bytes:
    # The encryption context binds the ciphertext to its report: copied onto another report it
    # no longer decrypts.
    response = client("kms").encrypt(
        KeyId=get_settings().contact_key_id,
        Plaintext=json.dumps(contact, ensure_ascii=False).encode(),
        EncryptionContext={"report_id": report_id},
    )
    return response["CiphertextBlob"]


def decrypt_contact(ciphertext: bytes, report_id: str) -> dict[str, Any]:
    response = client("kms").decrypt(
        CiphertextBlob=ciphertext, EncryptionContext={"report_id": report_id}
    )
    return json.loads(response["Plaintext"])


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


def photo_key(report_id: str, index: int) -> str:
    return f"{QUARANTINE_PREFIX}{report_id}/{index}"


def photo_upload_forms(report_id: str, count: int, now: datetime) -> list[UploadForm]:
    """One presigned POST per expected photo, each bound to its key, size and image types."""
    settings = get_settings()
    forms = []
    for index in range(1, count + 1):
        key = photo_key(report_id, index)
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


def enqueue_for_routing(report_id: str) -> None:
    """Hand a report with no photos to the route function, on the queue photo events use."""
    client("sqs").send_message(
        QueueUrl=get_settings().intake_queue_url,
        MessageBody=json.dumps({"type": "report.submitted", "report_id": report_id}),
    )
