"""The server's HMAC secret in Secrets Manager: the ServerSecret of phananh.report.ports."""

from __future__ import annotations

from functools import cache

from phananh.adapters.aws.clients import client
from phananh.shared.settings import get_settings


@cache
def fetched_secret(secret_arn: str) -> bytes:
    """The secret's value, fetched once per container."""
    return client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"].encode()


class SecretsManagerSecret:
    def hmac_key(self) -> bytes:
        """The key for HMACs of device ids, IPs and derived tokens."""
        return fetched_secret(get_settings().secret_arn)
