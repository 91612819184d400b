"""The routing queue: the WorkQueues of phananh.report.ports (message shapes: phananh.adapters.events)."""

from __future__ import annotations

import json
from typing import Any

from phananh.adapters import events
from phananh.adapters.aws.clients import client
from phananh.shared.settings import get_settings


def _send(message: dict[str, Any], delay_s: int = 0) -> None:
    client("sqs").send_message(
        QueueUrl=get_settings().intake_queue_url, MessageBody=json.dumps(message), DelaySeconds=delay_s
    )


class SqsWorkQueues:
    def send_to_routing(self, report_id: str) -> None:
        _send(events.routing_message(events.REPORT_SUBMITTED, report_id))

    def send_to_routing_at_photo_cutoff(self, report_id: str, *, delay_s: int = 0) -> None:
        """Sent with a delay, routes a report whose photos never all arrived."""
        _send(events.routing_message(events.PHOTO_CUTOFF, report_id), delay_s)

    def send_photo_check(
        self, report_id: str, photo_index: int, *, result_photo: bool, check: dict[str, Any],
        gps: tuple[float, float] | None,
    ) -> None:
        _send(events.photo_checked_message(report_id, photo_index, result_photo=result_photo, check=check, gps=gps))
