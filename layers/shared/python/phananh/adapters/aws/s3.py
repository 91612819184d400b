"""The photos bucket: the PhotoStorage of phananh.report.ports (key rules: phananh.report.photo_keys)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from phananh.adapters.aws.clients import client
from phananh.report.photo_keys import QUARANTINE_PREFIX, is_checked_photo
from phananh.report.ports import UploadForm
from phananh.shared.settings import get_settings


def _checked(key: str) -> str:
    if not is_checked_photo(key):
        # Never a link into quarantine/ (unchecked bytes), nor one the signer's role cannot read.
        raise ValueError(f"not a checked photo: {key[:80]!r}")
    return key


class S3PhotoStorage:
    def upload_form(self, key: str, now: datetime) -> UploadForm:
        """A presigned POST bound to its key, size and image types."""
        settings = get_settings()
        post = client("s3").generate_presigned_post(
            Bucket=settings.photos_bucket,
            Key=key,
            Conditions=[
                ["content-length-range", 1, settings.photo_max_bytes],
                ["starts-with", "$Content-Type", "image/"],
            ],
            ExpiresIn=settings.upload_url_ttl_s,
        )
        return UploadForm(
            url=post["url"],
            fields=post["fields"],
            key=key,
            expires_at=now + timedelta(seconds=settings.upload_url_ttl_s),
            max_bytes=settings.photo_max_bytes,
        )

    def upload_size(self, key: str) -> int | None:
        """The size of a quarantined upload, or None when it is gone; any other failure is raised, so
        that the event is retried rather than taken for one already handled."""
        s3 = client("s3")
        try:
            return s3.head_object(Bucket=get_settings().photos_bucket, Key=key)["ContentLength"]
        except s3.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def read_upload(self, key: str) -> bytes | None:
        s3 = client("s3")
        try:
            return s3.get_object(Bucket=get_settings().photos_bucket, Key=key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None

    def delete_upload(self, key: str) -> None:
        client("s3").delete_object(Bucket=get_settings().photos_bucket, Key=key)

    def delete_stale_uploads(self, older_than: datetime) -> list[str]:
        """Delete what is still in quarantine from before `older_than` (the bucket's lifecycle rule
        expires it too, later)."""
        s3, bucket = client("s3"), get_settings().photos_bucket
        deleted: list[str] = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=QUARANTINE_PREFIX):
            stale: list[dict[str, Any]] = [
                {"Key": item["Key"]} for item in page.get("Contents", []) if item["LastModified"] < older_than
            ]
            if stale:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": stale, "Quiet": True})
                deleted += [item["Key"] for item in stale]
        return deleted

    def store_checked_photo(self, key: str, jpeg: bytes) -> None:
        client("s3").put_object(
            Bucket=get_settings().photos_bucket, Key=key, Body=jpeg, ContentType="image/jpeg",
            CacheControl="public, max-age=31536000, immutable",
        )

    def delete_checked_photo(self, key: str) -> None:
        """Take down a checked copy no report records (a photo refused after its check)."""
        key = _checked(key)
        client("s3").delete_object(Bucket=get_settings().photos_bucket, Key=key)

    def photo_link(self, key: str) -> str:
        """A short-lived link to a checked photo; the bucket itself stays private."""
        key = _checked(key)
        settings = get_settings()
        return client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": settings.photos_bucket, "Key": key},
            ExpiresIn=settings.photo_url_ttl_s,
        )
