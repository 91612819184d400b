"""E-mail (SES) and SMS/mobile push (SNS): the Notifier of phananh.report.ports."""

from __future__ import annotations

from botocore.exceptions import ClientError

from phananh.adapters.aws.clients import client
from phananh.report.ports import DeviceGone
from phananh.shared.settings import get_settings

# What SNS answers for an endpoint no retry will reach: deleted, or disabled by the push service.
_GONE = frozenset({"NotFound", "EndpointDisabled"})


class SesSnsNotifier:
    def send_email(self, recipients: list[str], subject: str, body: str) -> None:
        client("ses").send_email(
            Source=get_settings().alerts_sender,
            Destination={"ToAddresses": recipients},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
            },
        )

    def publish_to_topic(self, topic_arn: str, subject: str, body: str) -> None:
        client("sns").publish(TopicArn=topic_arn, Subject=subject[:100], Message=body)

    def push_to_device(self, endpoint: str, message: str) -> None:
        """A mobile push to one app installation (an SNS platform endpoint)."""
        try:
            client("sns").publish(TargetArn=endpoint, Message=message)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _GONE:
                raise DeviceGone(error.response["Error"]["Code"]) from error
            raise

    def create_unit_topic(self, name: str, phones: list[str]) -> str:
        """The unit's SMS/push topic, with its officers' phones subscribed (both idempotent)."""
        sns = client("sns")
        topic_arn = sns.create_topic(Name=name)["TopicArn"]
        for phone in phones:
            sns.subscribe(TopicArn=topic_arn, Protocol="sms", Endpoint=phone)
        return topic_arn
