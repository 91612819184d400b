"""The photo check: S3 announces each quarantined upload on this function's own queue.

The uploaded bytes are the attacker's: they are decoded here, by a role that may only read
quarantine/, write the checked copies under public/ and thumbs/, and tell the route function what
came of each upload. No table, key or secret is within its reach.
"""

from chalice import Chalice

from phananh import bootstrap
from phananh.adapters import events, web
from phananh.routing import photo_check
from phananh.shared.settings import get_settings, uploads_queue_name

app = Chalice(app_name="phananh-photos")
web.install(app)

# Only what its role may use: no table, key or secret (see bootstrap.ports).
PORTS = bootstrap.ports("photos", "queues")


@app.on_sqs_message(queue=uploads_queue_name(), batch_size=5)
def check_uploads(event):
    return events.each_message(event, events.parse_upload_message, _check)


def _check(item):
    photo_check.check_upload(item, ports=PORTS, settings=get_settings())
