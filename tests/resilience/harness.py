"""What the resilience tests drive and count: the uploads, intake and delivery queues and the reports
stream delivered as Lambda's event sources do, and what moto recorded as sent (e-mails, SMS/push)."""

import threading

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from phananh_local.dispatch import SqsPoller, StreamPoller

REGION = "ap-southeast-1"


class QueueDelivery:
    """One queue delivered to its function the way Lambda's SQS event source does it (dev's own
    poller: batches, partial batch failures, successes deleted)."""

    def __init__(self, spec, queue_url: str, batch_size: int):
        self.spec, self.queue_url = spec, queue_url
        self.poller = SqsPoller(spec, queue_url, batch_size, threading.Event())
        self.sqs = boto3.client("sqs")
        attributes = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
        self.visibility_timeout = attributes["VisibilityTimeout"]
        self.dlq_url = self.sqs.get_queue_url(QueueName=f"{queue_url.rsplit('/', 1)[1]}-dlq")["QueueUrl"]


class IntakeDelivery:
    """The uploads queue delivered to the photos function, the intake queue to the route function,
    and the outbox (the reports stream forwarded by the deliver function, the delivery queue
    delivered to it), the way Lambda's event sources do it, with the visibility timeout shortened
    to nothing (see the `intake` fixture): a failed message is at once visible again, and moto moves
    it to its dead-letter queue after maxReceiveCount receives, as the template says."""

    def __init__(self, deployment):
        self.queues = [
            QueueDelivery(spec, url, batch_size)
            for spec in deployment.functions for url, batch_size in spec.sqs_sources
        ]
        assert sorted(queue.spec.app for queue in self.queues) == ["deliver", "photos", "route"]
        # Uploads first: the photo check's results land on the intake queue; the effects last.
        order = {"photos": 0, "route": 1, "deliver": 2}
        self.queues.sort(key=lambda queue: order[queue.spec.app])
        [forwarding] = [spec for spec in deployment.functions if spec.app == "deliver" and spec.stream_sources]
        self.stream = StreamPoller(forwarding, forwarding.stream_sources[0], stop=None)
        self.stream.start_at_latest()
        self.sqs = boto3.client("sqs")
        self.receives = 0

    def drain(self) -> int:
        """Deliver until no change is left on the stream nor a message visible on any queue; the
        number of deliveries (stream records and queue receives) made."""
        delivered = 0
        while received := self.stream.poll_once() + sum(self._drain(queue) for queue in self.queues):
            delivered += received
        self.receives += delivered
        return delivered

    @staticmethod
    def _drain(queue: QueueDelivery) -> int:
        delivered = 0
        while received := queue.poller.poll_once():
            delivered += received
        return delivered

    def dead_letters(self) -> list[str]:
        """The bodies in the dead-letter queues, read from moto without receiving them."""
        backend = sqs_backends[DEFAULT_ACCOUNT_ID][REGION]
        return [message.body for queue in self.queues
                for message in backend.queues[queue.dlq_url.rsplit("/", 1)[1]]._messages]

    def redrive(self) -> int:
        """What an operator does once the trouble is over: the dead letters back onto their queues."""
        moved = 0
        for queue in self.queues:
            while messages := self.sqs.receive_message(QueueUrl=queue.dlq_url, MaxNumberOfMessages=10).get("Messages"):
                for message in messages:
                    self.sqs.send_message(QueueUrl=queue.queue_url, MessageBody=message["Body"])
                    self.sqs.delete_message(QueueUrl=queue.dlq_url, ReceiptHandle=message["ReceiptHandle"])
                    moved += 1
        return moved


def emails_sent() -> list:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def texts_sent() -> list[tuple[str, str]]:
    """(topic or endpoint ARN, message) of every SNS publish."""
    backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    sent = [(topic.arn, text) for topic in backend.topics.values() for _, text, *_ in topic.sent_notifications]
    for endpoint in backend.platform_endpoints.values():
        sent += [(endpoint.arn, text) for text in endpoint.messages.values()]
    return sent
