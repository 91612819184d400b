"""The outbox's delivery: every side effect of a change of a report, read from the reports table's
stream, and nothing else. The one function that sends e-mail (SES) and SMS/push (SNS) about reports
and opens the reporters' push tokens (making their apps' SNS endpoints).

1. `forward_changes`, on the stream: each change becomes its effects (phananh.outbox.effects), the
   routing of a new report onto the intake queue, every other effect onto the delivery queue. A
   failing batch is retried, split, then set aside on the failed-events queue (app_stack.py).
2. `deliver_effects`, on the delivery queue: each effect on its own (partial batch failures), each
   channel sent once under its leased claim; a failed one comes back after the visibility timeout,
   and after maxReceiveCount tries waits in the dead-letter queue.
"""

import json

from chalice import Chalice

from phananh import bootstrap
from phananh.adapters import events, web
from phananh.outbox import delivery
from phananh.outbox.effects import Effect
from phananh.report.model import utcnow
from phananh.routing.geo import load_wards
from phananh.shared.observability import count, record_keys
from phananh.shared.settings import delivery_queue_name, get_settings

app = Chalice(app_name="phananh-deliver")
web.install(app)

PORTS = bootstrap.ports()


@app.on_dynamodb_record(stream_arn=events.REPORTS_STREAM_PLACEHOLDER, batch_size=100, starting_position="TRIM_HORIZON")
def forward_changes(event):
    """Each change's effects queued; a redelivered batch queues them again, and they are sent once."""
    changes = [(events.stream_image(record.old_image), events.stream_image(record.new_image)) for record in event]
    queued = delivery.forward(changes, ports=PORTS, settings=get_settings(), now=utcnow())
    count("EffectQueued", len(queued))


@app.on_sqs_message(queue=delivery_queue_name(), batch_size=10)
def deliver_effects(event):
    """Each effect on its own: one that fails goes back to the queue alone (partial batch)."""
    return events.each_message(event, _read_effect, _deliver)


def _read_effect(body: str) -> list[Effect]:
    try:
        return [Effect.from_message(json.loads(body))]
    except (ValueError, KeyError, TypeError) as problem:
        raise events.UnreadableMessage("not an effect") from problem


def _deliver(effect: Effect) -> None:
    settings = get_settings()
    with record_keys(report_id=effect.report_id):
        delivery.deliver(effect, ports=PORTS, settings=settings, wards=load_wards(settings.wards_geojson_path),
                         now=utcnow())
