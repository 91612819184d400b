"""The outbox in integration tests: the deliver app's two event sources, played as the local stack
plays them (phananh_local.dispatch): the reports stream forwarded as effects, and the delivery queue
delivered, until neither has anything left. Every test's outbox starts at the stream's end when the
`aws` fixture wipes the account, so it sees that test's changes only."""

import threading

from moto.core import DEFAULT_ACCOUNT_ID
from moto.sqs.models import sqs_backends

from phananh_local.dispatch import SqsPoller, StreamPoller


class Outbox:
    def __init__(self, deployment):
        [forwarding] = [spec for spec in deployment.functions if spec.app == "deliver" and spec.stream_sources]
        [delivering] = [spec for spec in deployment.functions if spec.app == "deliver" and spec.sqs_sources]
        self.stream = StreamPoller(forwarding, forwarding.stream_sources[0], stop=None)
        self.stream.start_at_latest()
        self.queue_url, self.region = delivering.sqs_sources[0][0], deployment.region
        self.delivery = SqsPoller(delivering, *delivering.sqs_sources[0], stop=None)
        # One event source mapping per function: tests that deliver from several threads drain it in turn.
        self.lock = threading.Lock()

    def drain(self) -> int:
        """Forward every change and deliver every effect there is now; the records and messages handled."""
        handled = 0
        with self.lock:
            while moved := self.stream.poll_once() + self.delivery.poll_once():
                handled += moved
        return handled

    def redeliver(self) -> int:
        """The delivery queue's failed messages visible again, as after their visibility timeout, and
        delivered; the records and messages handled."""
        queue = sqs_backends[DEFAULT_ACCOUNT_ID][self.region].queues[self.queue_url.rsplit("/", 1)[1]]
        for message in queue._messages:
            message.change_visibility(0)
        return self.drain()


_current: list[Outbox] = []


def start_outbox(deployment) -> Outbox:
    """A fresh outbox from the stream's end (the `aws` fixture's, for each test)."""
    _current[:] = [Outbox(deployment)]
    return _current[0]


def drain_outbox() -> int:
    """What the deliver app would do now with the changes made so far (see Outbox.drain)."""
    return _current[0].drain()


def redeliver_effects() -> int:
    """The failed effects delivered again (see Outbox.redeliver)."""
    return _current[0].redeliver()
