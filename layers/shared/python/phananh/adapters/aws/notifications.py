"""E-mail (SES) and SMS/mobile push (SNS): the Notifier of phananh.report.ports.

A reporter's app gives its device token (phananh.report.push_device); its SNS platform endpoint is
made here, at the first push, rather than at submission: submitting stays at its AWS calls
(docs/performance.md), and a report whose status never changes never makes one. SNS's
CreatePlatformEndpoint is idempotent for a token already registered, so each push asks for the
endpoint again instead of storing its ARN anywhere: one more SNS call per push, no state to keep
or erase with the reporter's personal data.
"""

from __future__ import annotations

import re

from botocore.exceptions import ClientError

from phananh.adapters.aws.clients import client
from phananh.report.ports import DeviceGone
from phananh.report.push_device import PushDevice
from phananh.shared.settings import get_settings

# What SNS answers for a token no retry will reach: its endpoint deleted, disabled again right after
# being re-enabled, or the token refused outright (malformed for its platform).
_GONE = frozenset({"NotFound", "EndpointDisabled", "InvalidParameter"})
# CreatePlatformEndpoint for a token whose endpoint exists with other attributes (disabled, say)
# refuses, naming that endpoint: it is the one to use.
_EXISTING_ENDPOINT = re.compile(r"Endpoint (arn:[^ ]+:endpoint/[^ ]+) already exists")


class PushFailed(Exception):
    """A push that failed in a way a retry may get past. Carries SNS's error code only: SNS's own
    messages may quote the token or the endpoint, and this is logged."""


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


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

    def send_sms(self, phone: str, message: str) -> None:
        # Transactional: a reporter asked about their own report, not marketing (no opt-out routing).
        client("sns").publish(
            PhoneNumber=phone, Message=message,
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
        )

    def push_to_device(self, device: PushDevice, message: str) -> None:
        """A mobile push to one app installation, through its SNS platform endpoint (made if need be).

        SNS disables an endpoint when the push service refuses a message to it; the app gave this
        token with the report, so it is re-enabled and tried once more. An endpoint that still
        refuses is deleted (DeviceGone): its token is dead, and a later report from the same app
        with the same token makes a fresh one.
        """
        sns = client("sns")
        endpoint = None
        try:
            endpoint = _endpoint_for(sns, device)
            try:
                sns.publish(TargetArn=endpoint, Message=message)
            except ClientError as error:
                if _code(error) != "EndpointDisabled":
                    raise
                sns.set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "true"})
                sns.publish(TargetArn=endpoint, Message=message)
        except ClientError as error:
            code = _code(error)
            # `from None`: the traceback logged must not carry SNS's message (token, endpoint).
            if code not in _GONE:
                raise PushFailed(code) from None
            if endpoint is not None:
                _drop(sns, endpoint)
            raise DeviceGone(code) from None

    def create_unit_topic(self, name: str, phones: list[str]) -> str:
        """The unit's SMS/push topic, with its officers' phones subscribed (both idempotent)."""
        sns = client("sns")
        topic_arn = sns.create_topic(Name=name)["TopicArn"]
        for phone in phones:
            sns.subscribe(TopicArn=topic_arn, Protocol="sms", Endpoint=phone)
        return topic_arn


def _endpoint_for(sns, device: PushDevice) -> str:
    """The ARN of the SNS platform endpoint of `device`, created unless it exists."""
    application = get_settings().push_application_arn(device.platform)
    if not application:
        # Submission refuses a platform without an application; one removed since is a dead end.
        raise DeviceGone("NoPlatformApplication")
    try:
        return sns.create_platform_endpoint(PlatformApplicationArn=application, Token=device.token)["EndpointArn"]
    except ClientError as error:
        existing = _EXISTING_ENDPOINT.search(error.response.get("Error", {}).get("Message", ""))
        if _code(error) == "InvalidParameter" and existing:
            return existing.group(1)
        raise


def _drop(sns, endpoint: str) -> None:
    """Delete an endpoint whose token is dead; a failure to is retried, as the push would be."""
    try:
        sns.delete_endpoint(EndpointArn=endpoint)
    except ClientError as error:
        raise PushFailed(_code(error)) from None
