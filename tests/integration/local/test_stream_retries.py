"""The local reports-stream poller handles a failing batch as the cloud's event source mapping does,
with the settings the synthesized template gives it: split the batch, retry what still fails, then
describe it on the failed-events queue and move on."""

import json
from dataclasses import replace

import boto3
import pytest
from aws_lambda_powertools.utilities.parser.models import DynamoDBStreamLambdaOnFailureDestinationModel

from phananh_local.assembly import cloud_assembly
from phananh_local.dispatch import StreamPoller

POISON = "R-POISON"


class BatchHandler:
    """A stream function that handles a batch whole or not at all, and fails on any batch holding
    the poison record (as a handler would on a record it cannot read)."""

    def __init__(self, poison: str = POISON):
        self.poison = poison
        self.invocations: list[list[str]] = []
        self.handled: list[str] = []

    def __call__(self, spec, event):
        report_ids = [record["dynamodb"]["Keys"]["report_id"]["S"] for record in event["Records"]]
        self.invocations.append(report_ids)
        if self.poison in report_ids:
            raise ValueError(f"cannot read {self.poison}")
        self.handled.extend(report_ids)


def _rate_function(deployment):
    return next(spec for spec in deployment.functions if spec.app == "rate" and spec.stream_sources)


def _template_stream_event() -> dict:
    """The rate app's DynamoDB event source in the synthesized template, as written there."""
    (event,) = [
        event["Properties"]
        for template in cloud_assembly().glob("*-rate.template.json")
        for resource in json.loads(template.read_text(encoding="utf-8")).get("Resources", {}).values()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "DynamoDB"
    ]
    return event


def _failed_events_queue(deployment) -> tuple[str, str]:
    (url,) = [url for key, url in deployment.physical.items() if key.startswith("phananh-messaging/FailedEventsQueue")]
    arn = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _write_reports(deployment, *report_ids: str) -> None:
    table = deployment.environment["PHANANH_REPORTS_TABLE"]
    for report_id in report_ids:
        boto3.client("dynamodb").put_item(TableName=table, Item={"report_id": {"S": report_id}})


def _poller(deployment, handler, source=None):
    spec = _rate_function(deployment)
    poller = StreamPoller(spec, source or spec.stream_sources[0], stop=None, run_handler=handler)
    poller.start_at_latest()
    return poller


def _failed_events(url: str) -> list[dict]:
    messages = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [json.loads(message["Body"]) for message in messages.get("Messages", [])]


def test_the_poller_takes_the_error_handling_of_the_templates_event_source(aws):
    source = _rate_function(aws).stream_sources[0]
    written = _template_stream_event()
    _, failed_events_arn = _failed_events_queue(aws)

    assert source.maximum_retry_attempts == written["MaximumRetryAttempts"]
    assert source.bisect_batch_on_function_error is written["BisectBatchOnFunctionError"] is True
    assert source.batch_size == written["BatchSize"]
    assert source.on_failure_queue_arn == failed_events_arn
    reports = boto3.client("dynamodb").describe_table(TableName=aws.environment["PHANANH_REPORTS_TABLE"])["Table"]
    assert source.stream_arn == reports["LatestStreamArn"]


def test_a_poison_record_goes_to_the_failed_events_queue_and_its_batch_is_handled_once(aws):
    handler = BatchHandler()
    poller = _poller(aws, handler)
    retries = poller.source.maximum_retry_attempts
    url, _ = _failed_events_queue(aws)
    _write_reports(aws, "R-1", POISON, "R-2", "R-3")

    assert poller.poll_once() == 4

    assert handler.handled == ["R-1", "R-2", "R-3"]
    # The batch, its half with the poison, then the poison alone: once and once per retry.
    poison_alone = [invocation for invocation in handler.invocations if invocation == [POISON]]
    assert len(poison_alone) == 1 + retries
    assert handler.invocations[:2] == [["R-1", POISON, "R-2", "R-3"], ["R-1", POISON]]
    (failure,) = _failed_events(url)
    described = DynamoDBStreamLambdaOnFailureDestinationModel.model_validate(failure)
    assert described.request_context.condition == "RetryAttemptsExhausted"
    assert described.request_context.approximate_invoke_count == 1 + retries
    assert described.request_context.function_arn.endswith(f":function:{poller.spec.function_name}")
    batch = described.ddb_stream_batch_info
    assert (batch.batch_size, batch.stream_arn) == (1, poller.stream_arn)
    assert batch.start_sequence_number == batch.end_sequence_number
    iterator = poller.streams.get_shard_iterator(
        StreamArn=poller.stream_arn, ShardId=batch.shard_id,
        ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=batch.start_sequence_number,
    )["ShardIterator"]
    (poison_record,) = poller.streams.get_records(ShardIterator=iterator, Limit=1)["Records"]
    assert poison_record["dynamodb"]["Keys"] == {"report_id": {"S": POISON}}

    # The shard moved on: later changes are handled, the poison is not tried again.
    _write_reports(aws, "R-4")
    assert poller.poll_once() == 1
    assert handler.handled[-1] == "R-4"
    assert [POISON] not in handler.invocations[-1:]


def test_without_a_retry_limit_a_failing_batch_holds_its_shard(aws):
    handler = BatchHandler()
    spec = _rate_function(aws)
    unlimited = replace(spec.stream_sources[0], maximum_retry_attempts=-1, on_failure_queue_arn=None)
    poller = _poller(aws, handler, unlimited)
    _write_reports(aws, POISON, "R-1")

    for _ in range(2):
        with pytest.raises(ValueError, match="cannot read"):
            poller.poll_once()
    assert handler.handled == []  # the record after the poison waits behind it
    handler.poison = None  # the function is fixed
    assert poller.poll_once() == 2

    assert handler.handled == [POISON, "R-1"]
