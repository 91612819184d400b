"""The open-data bucket: the OpenDataFiles of phananh.transparency.ports (what goes in it:
phananh.transparency.snapshots). CloudFront serves each object with the Cache-Control it was put with."""

from __future__ import annotations

from phananh.adapters.aws.clients import client
from phananh.shared.settings import get_settings


class S3OpenDataFiles:
    def put(self, key: str, body: bytes, *, content_type: str, cache_control: str) -> None:
        client("s3").put_object(
            Bucket=get_settings().open_data_bucket, Key=key, Body=body, ContentType=content_type,
            CacheControl=cache_control,
        )

    def get(self, key: str) -> bytes | None:
        s3 = client("s3")
        try:
            return s3.get_object(Bucket=get_settings().open_data_bucket, Key=key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None
