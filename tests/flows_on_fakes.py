"""A report's way in on the fake ports, through the real use cases: filed (intake.filing), then routed
(routing.pipeline), as the submit and route functions would do it; and what the outbox does with the
changes made (`deliver_changes`), as the deliver function would."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from phananh.intake import filing
from phananh.outbox import delivery
from phananh.outbox.effects import Effect
from phananh.report.model import Report
from phananh.routing import pipeline
from phananh.routing.geo import load_wards

FILED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ROUTED_AT = FILED_AT + timedelta(minutes=1)
POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}
CONTACT = {"phone": "0961234580", "email": "dan@example.vn", "share_with_officer": True}
# Each filing from its own address, so that no rate limit gets in the way of setting a scene.
_ADDRESSES = (f"198.18.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def filed(ports, settings, *, now: datetime = FILED_AT, **fields) -> dict:
    """The receipt of a report filed with POTHOLE's fields and `fields`."""
    return filing.submit_report({**POTHOLE, **fields}, filing.Caller(next(_ADDRESSES)), ports=ports,
                                settings=settings, now=now)


def routed(ports, settings, *, now: datetime = ROUTED_AT, **fields) -> tuple[Report, str]:
    """A report filed then routed at `now` (its owner alerted, its reporter told), and its tracking token."""
    receipt = filed(ports, settings, now=now - timedelta(minutes=1), **fields)
    report = pipeline.route_report(receipt["report_id"], ports=ports, settings=settings, now=now,
                                   even_without_photos=True)
    deliver_changes(ports, settings, now=now)
    return report, receipt["tracking_token"]


def deliver_changes(ports, settings, *, now: datetime = ROUTED_AT) -> list[Effect]:
    """The changes written since the last call, through the outbox: forwarded as their effects (the
    fake store's `changes` standing in for the stream), then each effect delivered (the fake queues'
    `deliveries` for the delivery queue). The effects delivered; one that fails raises, and stays
    first on the queue for the next call (its redelivery)."""
    changes = list(ports.reports.changes)
    delivery.forward(changes, ports=ports, settings=settings, now=now)  # failing, the batch stays on the stream
    del ports.reports.changes[:len(changes)]
    delivered = []
    wards = load_wards(settings.wards_geojson_path)
    while ports.queues.deliveries:
        effect = Effect.from_message(ports.queues.deliveries[0])
        delivery.deliver(effect, ports=ports, settings=settings, wards=wards, now=now)
        ports.queues.deliveries.pop(0)
        delivered.append(effect)
    return delivered
