"""AWS::SNS::Topic, with its inline subscriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler, attribute_text

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_topic(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    fifo = bool(props.get("FifoTopic"))
    name = props.get("TopicName") or (
        stack.physical_name(logical_id, max_length=251 if fifo else 256) + (".fifo" if fifo else "")
    )
    attributes = {
        key: attribute_text(props[key])
        for key in ("DisplayName", "FifoTopic", "ContentBasedDeduplication", "KmsMasterKeyId")
        if key in props
    }
    sns = stack.account.client("sns")
    arn = sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
    for subscription in props.get("Subscription", []):
        sns.subscribe(TopicArn=arn, Protocol=subscription["Protocol"], Endpoint=subscription["Endpoint"])
    return Created(arn, {"TopicArn": arn, "TopicName": name})


HANDLERS: dict[str, Handler] = {
    "AWS::SNS::Topic": create_topic,
}
