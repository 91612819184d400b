"""The boto3 clients of the services besides DynamoDB, created on first use (boto3 is the biggest
import on a cold start) and reused for the life of the container."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    # SigV4 everywhere: presigned S3 POSTs default to the legacy signature otherwise.
    return boto3.client(service, config=Config(signature_version="s3v4") if service == "s3" else None)
