"""Routing: new reports, photo cutoffs and the photo check's results arrive on one SQS queue.

No photo is decoded here (see functions/photos): this function only records what the check found.
"""

from chalice import Chalice

from phananh import bootstrap
from phananh.adapters import events, web
from phananh.report.model import utcnow
from phananh.routing import pipeline
from phananh.shared.observability import logger
from phananh.shared.settings import get_settings, intake_queue_name

app = Chalice(app_name="phananh-route")
web.install(app)

PORTS = bootstrap.ports()


@app.on_sqs_message(queue=intake_queue_name(), batch_size=10)
def handle_intake(event):
    """Each message on its own: one that fails goes back to the queue alone (partial batch)."""
    return events.each_message(event, events.parse_intake_message, _handle)


def _handle(item):
    settings, now = get_settings(), utcnow()
    logger.append_keys(report_id=item.report_id)
    if item.kind == "photo_checked":
        pipeline.record_photo_check(item, ports=PORTS, settings=settings, now=now)
    pipeline.route_report(
        item.report_id, ports=PORTS, settings=settings, now=now, even_without_photos=item.kind == "photo_cutoff"
    )
