"""AWS::S3::Bucket and CDK's Custom::S3BucketNotifications (whose handler Lambda is not run locally)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_bucket(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    name = props.get("BucketName") or stack.physical_name(logical_id, max_length=63, lowercase=True)
    s3 = stack.account.client("s3")
    request: dict[str, Any] = {"Bucket": name}
    if stack.account.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": stack.account.region}
    s3.create_bucket(**request)
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    if "BucketEncryption" in props:
        rules = [
            {
                "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                **({"BucketKeyEnabled": rule["BucketKeyEnabled"]} if "BucketKeyEnabled" in rule else {}),
            }
            for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        ]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if "CorsConfiguration" in props:
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [
            _cors_rule(rule) for rule in props["CorsConfiguration"]["CorsRules"]
        ]})
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
    suffix = stack.account.url_suffix
    return Created(
        name,
        {
            "Arn": f"arn:{stack.account.partition}:s3:::{name}",
            "DomainName": f"{name}.s3.{suffix}",
            "RegionalDomainName": f"{name}.s3.{stack.account.region}.{suffix}",
        },
    )


def _cors_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation CorsRule as PutBucketCors takes it (two keys are spelt differently)."""
    renamed = {"Id": "ID", "MaxAge": "MaxAgeSeconds"}
    return {renamed.get(key, key): value for key, value in rule.items()}


def configure_bucket_notifications(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    # CDK's handler Lambda (skipped) would call this API with these very properties.
    bucket = stack.resolve(properties["BucketName"])
    wanted = stack.resolve(properties["NotificationConfiguration"])
    s3 = stack.account.client("s3")
    configuration = {}
    if properties.get("Managed") is False:
        current = s3.get_bucket_notification_configuration(Bucket=bucket)
        current.pop("ResponseMetadata", None)
        configuration = current
    for kind, entries in wanted.items():
        configuration[kind] = [*configuration.get(kind, []), *entries]
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)
    for entry in wanted.get("QueueConfigurations", []):
        _drop_s3_test_events(stack, stack.account.queue_url(entry["QueueArn"]))
    return Created(f"{bucket}-notifications")


def _drop_s3_test_events(stack: Stack, queue_url: str) -> None:
    """S3 (and moto) greets a new queue destination with an s3:TestEvent; real consumers
    ignore it, but it would sit ahead of the first real event."""
    sqs = stack.account.client("sqs")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
        "Messages", []
    )
    for message in messages:
        if '"s3:TestEvent"' in message["Body"]:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


HANDLERS: dict[str, Handler] = {
    "AWS::S3::Bucket": create_bucket,
    "Custom::S3BucketNotifications": configure_bucket_notifications,
}
