"""AWS::SQS::Queue: every property is a queue attribute of the same name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler, attribute_text

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_queue(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    fifo = bool(props.get("FifoQueue"))
    name = props.get("QueueName") or (
        stack.physical_name(logical_id, max_length=75 if fifo else 80) + (".fifo" if fifo else "")
    )
    attributes = {key: attribute_text(value) for key, value in props.items() if key not in ("QueueName", "Tags")}
    sqs = stack.account.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return Created(url, {"Arn": arn, "QueueName": name, "QueueUrl": url})


HANDLERS: dict[str, Handler] = {
    "AWS::SQS::Queue": create_queue,
}
