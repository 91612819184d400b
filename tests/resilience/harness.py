"""What the resilience tests drive and count: the intake queue delivered as Lambda's event source
does, and what moto recorded as sent (e-mails, SMS/push)."""

import threading

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from phananh_local.dispatch import SqsPoller

REGION = "ap-southeast-1"


class IntakeDelivery:
    """The intake queue delivered to the route function the way Lambda's SQS event source does it
    (dev's own poller: batches of 10, partial batch failures, successes deleted), with the
    visibility timeout shortened to nothing: a failed message is at once visible again, and moto
    moves it to the dead-letter queue after maxReceiveCount receives, as the template says."""

    def __init__(self, deployment):
        [self.spec] = [spec for spec in deployment.functions if spec.sqs_sources]
        [(self.queue_url, batch_size)] = self.spec.sqs_sources
        self.poller = SqsPoller(self.spec, self.queue_url, batch_size, threading.Event())
        self.sqs = boto3.client("sqs")
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])["Attributes"]
        self.visibility_timeout = attributes["VisibilityTimeout"]
        self.dlq_url = self.sqs.get_queue_url(QueueName=f"{self.queue_url.rsplit('/', 1)[1]}-dlq")["QueueUrl"]
        self.receives = 0

    def drain(self) -> int:
        """Deliver until no message is visible; the number of deliveries (receives) made."""
        delivered = 0
        while received := self.poller.poll_once():
            delivered += received
        self.receives += delivered
        return delivered

    def dead_letters(self) -> list[str]:
        """The bodies in the dead-letter queue, read from moto without receiving them."""
        queue = sqs_backends[DEFAULT_ACCOUNT_ID][REGION].queues[self.dlq_url.rsplit("/", 1)[1]]
        return [message.body for message in queue._messages]

    def redrive(self) -> int:
        """What an operator does once the trouble is over: the dead letters back onto the queue."""
        moved = 0
        while messages := self.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10).get("Messages"):
            for message in messages:
                self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=message["Body"])
                self.sqs.delete_message(QueueUrl=self.dlq_url, ReceiptHandle=message["ReceiptHandle"])
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
