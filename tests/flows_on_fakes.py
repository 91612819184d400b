"""A report's way in on the fake ports, through the real use cases: filed (intake.filing), then routed
(routing.pipeline), as the submit and route functions would do it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from phananh.intake import filing
from phananh.report.model import Report
from phananh.routing import pipeline

FILED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ROUTED_AT = FILED_AT + timedelta(minutes=1)
POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}
PUSH = "arn:aws:sns:ap-southeast-1:123456789012:endpoint/GCM/phananh/0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11"
CONTACT = {"phone": "0961234580", "email": "dan@example.vn", "share_with_officer": True}
# Each filing from its own address, so that no rate limit gets in the way of setting a scene.
_ADDRESSES = (f"198.18.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def filed(ports, settings, *, now: datetime = FILED_AT, **fields) -> dict:
    """The receipt of a report filed with POTHOLE's fields and `fields`."""
    return filing.submit_report({**POTHOLE, **fields}, filing.Caller(next(_ADDRESSES)), ports=ports,
                                settings=settings, now=now)


def routed(ports, settings, *, now: datetime = ROUTED_AT, **fields) -> tuple[Report, str]:
    """A report filed then routed at `now`, and its tracking token."""
    receipt = filed(ports, settings, now=now - timedelta(minutes=1), **fields)
    report = pipeline.route_report(receipt["report_id"], ports=ports, settings=settings, now=now,
                                   even_without_photos=True)
    return report, receipt["tracking_token"]
