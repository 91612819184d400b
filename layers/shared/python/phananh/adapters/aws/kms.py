"""Sealing the reporter's contact and push device, and a follower's device or e-mail address, with
KMS: the ContactVault of phananh.report.ports."""

from __future__ import annotations

import json
from typing import Any

from phananh.adapters.aws.clients import client
from phananh.report.push_device import PushDevice
from phananh.shared.settings import get_settings

# What a sealed ciphertext is for, in its encryption context: each role's kms:Decrypt grant names
# the purposes it may open (only the officer API opens contacts; the functions that push, device tokens).
CONTACT_PURPOSE = "reporter-contact"
PUSH_PURPOSE = "reporter-push"
# A device following a published report: sealed by the citizen API, opened by the outbox only.
FOLLOWER_PURPOSE = "follower-push"
# An e-mail address following a published report, with its follow token: sealed by the citizen API,
# opened by the outbox only (to mail the confirmation and the status changes, whose links need the token).
FOLLOWER_EMAIL_PURPOSE = "follower-email"


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


class KmsContactVault:
    def seal_contact(self, contact: dict[str, Any], report_id: str) -> bytes:
        """Seal the reporter's contact (phone, e-mail, consent) for this report only."""
        return _seal(contact, report_id, CONTACT_PURPOSE)

    def unseal_contact(self, ciphertext: bytes, report_id: str) -> dict[str, Any]:
        return _unseal(ciphertext, report_id, CONTACT_PURPOSE)

    def seal_push_device(self, device: PushDevice, report_id: str) -> bytes:
        """Seal the reporter's device token apart from their contact: pushing needs no contact."""
        return _seal(device.to_dict(), report_id, PUSH_PURPOSE)

    def unseal_push_device(self, ciphertext: bytes, report_id: str) -> PushDevice:
        return PushDevice.from_dict(_unseal(ciphertext, report_id, PUSH_PURPOSE))

    def seal_follower_device(self, device: PushDevice, report_id: str) -> bytes:
        """Seal a follower's device token for the follows of this report only."""
        return _seal(device.to_dict(), report_id, FOLLOWER_PURPOSE)

    def unseal_follower_device(self, ciphertext: bytes, report_id: str) -> PushDevice:
        return PushDevice.from_dict(_unseal(ciphertext, report_id, FOLLOWER_PURPOSE))

    def seal_follower_email(self, follower: dict[str, str], report_id: str) -> bytes:
        """Seal a follower's e-mail address and follow token for the follows of this report only."""
        return _seal(follower, report_id, FOLLOWER_EMAIL_PURPOSE)

    def unseal_follower_email(self, ciphertext: bytes, report_id: str) -> dict[str, str]:
        return _unseal(ciphertext, report_id, FOLLOWER_EMAIL_PURPOSE)
