"""Photo checks and routing: S3 uploads and new reports arrive on one SQS queue."""

from chalice import Chalice

from phananh import intake, web
from phananh.entities import utcnow
from phananh.observability import logger
from phananh.settings import get_settings, intake_queue_name
from phananh.store import DirectoryStore, DynamoReportStore

app = Chalice(app_name="phananh-route")
web.install(app)

REPORTS = DynamoReportStore()
DIRECTORY = DirectoryStore()


@app.on_sqs_message(queue=intake_queue_name(), batch_size=10)
def handle_intake(event):
    """Each message on its own: one that fails goes back to the queue alone (partial batch)."""
    failures = []
    for record in event:
        message_id = record.to_dict()["messageId"]
        try:
            items = intake.parse_intake_message(record.body)
        except intake.UnreadableMessage as problem:
            logger.warning("dropped an unreadable intake message", extra={"problem": str(problem)})
            continue
        try:
            for item in items:
                _handle(item)
        except Exception:
            logger.exception("intake message failed; it will be retried", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def _handle(item):
    settings, now = get_settings(), utcnow()
    logger.append_keys(report_id=item.report_id)
    if item.kind == "photo":
        intake.check_upload(item, reports=REPORTS, settings=settings, now=now)
    intake.route_report(
        item.report_id, reports=REPORTS, directory=DIRECTORY, settings=settings, now=now,
        even_without_photos=item.kind == "photo_cutoff",
    )
