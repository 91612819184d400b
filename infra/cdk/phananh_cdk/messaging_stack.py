"""The uploads queue (S3 → the photo check), the intake queue (→ routing), the delivery queue (the
outbox's effects → the deliver function), the dead-letter queues and the alert sender."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from phananh.shared.settings import delivery_queue_name, intake_queue_name, uploads_queue_name
from phananh_cdk.config import DeployConfig
from phananh_cdk.data_stack import QUARANTINE_PREFIX, DataStack
from phananh_cdk.push_platforms import PushPlatformApplications

DLQ_MAX_RECEIVE_COUNT = 5
# AWS advice for SQS event sources: at least six times the consuming function's timeout.
VISIBILITY_PER_FUNCTION_TIMEOUT = 6
# What SQS asks of a queue's key on behalf of whoever sends or receives: CDK's own queue grants
# give the prefix wildcards kms:GenerateDataKey* and kms:ReEncrypt* besides.
KEY_ACTIONS_TO_SEND = ("kms:GenerateDataKey", "kms:Decrypt")
KEY_ACTIONS_TO_CONSUME = ("kms:Decrypt",)


class KeyEncryptedQueue(sqs.Queue):
    """A queue encrypted with a key of ours whose grants name exactly the key actions SQS needs."""

    def grant_send_messages(self, grantee: iam.IGrantable) -> iam.Grant:
        self.encryption_master_key.grant(grantee, *KEY_ACTIONS_TO_SEND)
        return self.grant(grantee, "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")

    def grant_consume_messages(self, grantee: iam.IGrantable) -> iam.Grant:
        self.encryption_master_key.grant(grantee, *KEY_ACTIONS_TO_CONSUME)
        return self.grant(
            grantee,
            "sqs:ReceiveMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueUrl",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        )


class MessagingStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        data: DataStack,
        intake_consumer_timeout: Duration,
        uploads_consumer_timeout: Duration,
        delivery_consumer_timeout: Duration,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # Messages name reports and photo keys: a key of ours, so a grant on it (not only on the
        # queue) decides who reads them, and CloudTrail logs each use.
        self.queue_key = kms.Key(
            self, "QueueKey",
            description="Encrypts the uploads, intake, delivery, dead-letter and failed-events queues",
            enable_key_rotation=True,
        )
        self._encrypted = {"encryption": sqs.QueueEncryption.KMS, "encryption_master_key": self.queue_key,
                           "enforce_ssl": True}
        self.intake_queue, self.intake_dlq = self._consumed_queue("Intake", intake_queue_name(),
                                                                  intake_consumer_timeout)
        # The photo check's own queue: only S3 writes to it (SqsDestination lets S3 use the key), only
        # the photos function reads it.
        self.uploads_queue, self.uploads_dlq = self._consumed_queue("Uploads", uploads_queue_name(),
                                                                    uploads_consumer_timeout)
        # The outbox: one message per side effect of a change of a report, from the reports stream.
        # Its visibility timeout (six times the deliver function's) outlasts the alert claims' lease
        # (phananh.escalation.alerts.CLAIM_LEASE), so a redelivery takes over a failed sender's claim.
        self.delivery_queue, self.delivery_dlq = self._consumed_queue("Delivery", delivery_queue_name(),
                                                                      delivery_consumer_timeout)

        # Where events that Lambda gave up on go: failed schedule runs (asynchronous invocations)
        # and reports-stream batches that kept failing. An alarm fires on any message here.
        self.failed_events_queue = KeyEncryptedQueue(
            self,
            "FailedEventsQueue",
            queue_name=config.physical_name("failed-events"),
            **self._encrypted,
            retention_period=Duration.days(14),
        )
        self.dead_letter_queues = (self.intake_dlq, self.uploads_dlq, self.delivery_dlq, self.failed_events_queue)

        # Imported, so the notification lives here: the bucket's own stack would then depend
        # on this one while the queue policy depends on the bucket, a cycle.
        photos_bucket = s3.Bucket.from_bucket_name(self, "PhotosBucket", data.photos_bucket.bucket_name)
        photos_bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.SqsDestination(self.uploads_queue),
            s3.NotificationKeyFilter(prefix=QUARANTINE_PREFIX),
        )

        self.alerts_identity = ses.EmailIdentity(
            self, "AlertsSender", identity=ses.Identity.email(config.alerts_sender)
        )
        # One SNS topic per unit (SMS/push to its officers), created with the unit; see
        # phananh.shared.settings.unit_topic_name.
        self.unit_topics_arn_pattern = self.format_arn(service="sns", resource=f"{config.resource_prefix}-unit-*")
        # Reporters' push notifications go straight to their apps, through our platform applications.
        self.push_platforms = PushPlatformApplications(self, "PushPlatforms", config=config)

    def _consumed_queue(
        self, construct_name: str, queue_name: str, consumer_timeout: Duration
    ) -> tuple[KeyEncryptedQueue, KeyEncryptedQueue]:
        """A queue one function consumes, with its dead-letter queue, both under the queue key."""
        dead_letters = KeyEncryptedQueue(
            self, f"{construct_name}DeadLetterQueue", queue_name=f"{queue_name}-dlq",
            retention_period=Duration.days(14), **self._encrypted,
        )
        queue = KeyEncryptedQueue(
            self, f"{construct_name}Queue", queue_name=queue_name,
            visibility_timeout=Duration.seconds(consumer_timeout.to_seconds() * VISIBILITY_PER_FUNCTION_TIMEOUT),
            dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=DLQ_MAX_RECEIVE_COUNT),
            **self._encrypted,
        )
        return queue, dead_letters

    def grant_publish(self, grantee: iam.IGrantable) -> None:
        """SNS publish to units' topics, and pushes to reporters' apps."""
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(actions=["sns:Publish"], resources=[self.unit_topics_arn_pattern])
        )
        self.push_platforms.grant_push(grantee)
