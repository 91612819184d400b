"""The app installation a reporter's pushes go to: its push service and the token that service gave it.

The app sends its token as it has it (an FCM registration token, an APNs device token): a phone
cannot create the SNS platform endpoint a push is published to, so the backend does, when it first
pushes (phananh.adapters.aws.notifications). The token reaches one device: it is sealed like a
contact and never logged, which is why its repr hides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    # Firebase Cloud Messaging: Android, and iOS apps that push through Firebase (SNS's "GCM" platform).
    FCM = "fcm"
    # Apple Push Notification service, for iOS apps that push directly (SNS's "APNS" platform).
    APNS = "apns"


@dataclass(frozen=True, repr=False)
class PushDevice:
    platform: Platform
    token: str

    def __repr__(self) -> str:
        return f"PushDevice({self.platform}, token=<{len(self.token)} characters>)"

    def to_dict(self) -> dict[str, Any]:
        return {"platform": str(self.platform), "token": self.token}

    @classmethod
    def from_dict(cls, sealed: dict[str, Any]) -> PushDevice:
        return cls(Platform(sealed["platform"]), sealed["token"])
