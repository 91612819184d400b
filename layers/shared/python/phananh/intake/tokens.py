"""Citizen secrets: tracking tokens, follow tokens, and keyed hashes that stand in for device ids and IPs.

A tracking token is shown once and stored only as a hash; so is a follow token. Device ids and IP addresses are never
stored: only an HMAC under the server's secret, enough to count requests from the same source.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_tracking_token() -> str:
    return secrets.token_urlsafe(16)


def tracking_token_for_claim(secret: bytes, idempotency_key: str, report_id: str) -> str:
    """The token a retried submission must get again, derived instead of stored in plaintext.

    Bound to the report the key's claim fixed, not to the key alone: once the claim expires, the
    same key files another report with another token, so a key that leaked or was guessed never
    yields the token of a report filed before.
    """
    message = f"tracking-token:{report_id}:{idempotency_key}".encode()
    digest = hmac.new(secret, message, hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip("=")


def follow_token(secret: bytes, report_id: str, platform: str, device_token: str) -> str:
    """The token that names one device's follow of one published report: derived, so the same device
    following twice gets the same token (the same follow), and unguessable without the server's secret
    even to someone who knows the device token. It opens with the report's id, public anyway, so that
    the token alone finds its follow (phananh.transparency.following)."""
    message = f"follow-token:{report_id}:{platform}:{device_token}".encode()
    digest = hmac.new(secret, message, hashlib.sha256)
    return f"{report_id}.{base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip('=')}"


def hash_token(token: str) -> str:
    # A 128-bit random token needs no slow hash: nobody can enumerate the space.
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def pseudonym(secret: bytes, kind: str, value: str) -> str:
    """A stable stand-in for a device id or an IP address that does not reveal it."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]
