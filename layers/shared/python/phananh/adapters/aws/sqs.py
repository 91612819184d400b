"""The routing and delivery queues: the WorkQueues of phananh.report.ports (message shapes:
phananh.adapters.events and phananh.outbox.effects)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from phananh.adapters import events
from phananh.adapters.aws.clients import client
from phananh.shared.settings import get_settings

# SendMessageBatch's limit.
BATCH_MAX = 10


class DeliveryNotQueued(Exception):
    """SQS refused some entries of a batch (it answers 200 with them listed as Failed)."""


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
        self, report_id: str, photo_index: int, *, photo_kind: str, check: dict[str, Any],
        gps: tuple[float, float] | None,
    ) -> None:
        _send(events.photo_checked_message(report_id, photo_index, photo_kind=photo_kind, check=check, gps=gps))

    def send_deliveries(self, effects: Sequence[dict[str, Any]]) -> None:
        """SendMessageBatch, ten at a time; raises if SQS took any of them not (the stream retries the
        whole batch: an effect queued twice is delivered once)."""
        sqs, url = client("sqs"), get_settings().delivery_queue_url
        for start in range(0, len(effects), BATCH_MAX):
            entries = [{"Id": str(number), "MessageBody": json.dumps(effect)}
                       for number, effect in enumerate(effects[start:start + BATCH_MAX])]
            failed = sqs.send_message_batch(QueueUrl=url, Entries=entries).get("Failed") or []
            if failed:
                raise DeliveryNotQueued(f"{len(failed)} of {len(entries)} effects not queued: {failed[0].get('Code')}")
