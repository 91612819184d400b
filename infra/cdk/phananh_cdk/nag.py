"""cdk-nag (AwsSolutions) acknowledgements: each names the narrowest construct it covers, the exact
finding (for IAM5, the one wildcard) and why the finding stands."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, Fn, Stack, Validations
from constructs import IConstruct

from phananh.report.photo_keys import ANSWER_COPY_GLOBS
from phananh.report.push_device import Platform
from phananh_cdk.push_platforms import SNS_PLATFORM
from phananh_cdk.web_apps import open_data_route

if TYPE_CHECKING:
    from phananh_cdk.app_stack import ChaliceAppStack
    from phananh_cdk.stacks import PhananhStacks

RULES = "AwsSolutions::AwsSolutions-"
NO_RESOURCE_TYPE = (
    "Actions without a resource type, for which '*' is the only resource: X-Ray's PutTraceSegments and "
    "PutTelemetryRecords, (the reports-stream reader) dynamodb:ListStreams, and (the outbox) sns:Publish "
    "of an SMS to a phone number (a question relayed to a reporter), which has no ARN to name."
)
UNIT_TOPICS = (
    "Units' SNS topics are created at run time when a coordinator adds a unit; the grant is limited "
    "to the <prefix>-unit-* names (phananh.shared.settings.unit_topic_name)."
)
ENDPOINTS = (
    "Reporters' apps' SNS endpoints are made at run time, from their device tokens, in our platform "
    "applications: the grant covers those applications' endpoints only (endpoint/<platform>/<application>/*)."
)
INDEXES = "Queries go through the table's global secondary indexes, whose ARNs are table/index/<name>."
PHOTO_PREFIXES = (
    "Photos are granted per key prefix (quarantine/ to upload, public/ and thumbs/ to read); the route "
    "function checks uploads and moves them between prefixes, so it has the bucket's objects."
)
ANSWER_PHOTOS = (
    "The retention job erases the checked copies of the reporters' answers' photos, which are named "
    "<prefix><report>/<answer kind>…: s3:DeleteObject on those keys only, never a published photo's."
)

OPEN_DATA_FILES = (
    "The daily open-data snapshot writes one file per day and format plus the index under open-data/, the "
    "prefix the edge serves; s3:PutObject and s3:GetObject on those objects only."
)


def acknowledge(construct: IConstruct, rule: str, reason: str, *applies_to: str) -> None:
    """Acknowledges one rule (or, for granular rules, each of its findings listed) on a construct."""
    ids = [f"{RULES}{rule}[{finding}]" for finding in applies_to] or [f"{RULES}{rule}"]
    Validations.of(construct).acknowledge(*(Acknowledgment(id=finding, reason=reason) for finding in ids))


def _local_arn(stack: Stack, service: str, resource: str) -> str:
    """A finding's resource as cdk-nag writes it (partition and account as placeholders)."""
    return f"Resource::arn:<AWS::Partition>:{service}:{stack.region}:<AWS::AccountId>:{resource}"


def _imported_pattern(exporter: Stack, arn: str, suffix: str) -> str:
    """How cdk-nag names a wildcard under another stack's ARN: by the export's name."""
    export = exporter.resolve(exporter.export_value(arn))["Fn::ImportValue"]
    return f"Resource::{export}{suffix}"


def acknowledge_findings(stacks: PhananhStacks) -> None:
    data, messaging, identity, workflow = stacks.data, stacks.messaging, stacks.identity, stacks.workflow
    prefix = data.node.try_get_context("resource_prefix")

    acknowledge(
        data.photos_bucket, "S1",
        "Only the functions' roles read and write photos (citizens use short-lived presigned URLs); "
        "enable CloudTrail S3 data events for an audit trail rather than a second, log bucket.",
    )
    acknowledge(
        data.hmac_secret, "SMG4",
        "The HMAC key derives tracking tokens and device pseudonyms: rotating it would invalidate every "
        "token citizens hold. Rotate by hand, with a migration, if it leaks.",
    )
    for secret in messaging.push_platforms.secrets.values():
        acknowledge(
            secret, "SMG4",
            "A push credential is issued by Google (FCM) or Apple (APNs): it is rotated by issuing a new one "
            "there and putting it in the secret (docs/operations.md#push-credentials), not by a Lambda of ours.",
        )
    acknowledge(
        messaging.failed_events_queue, "SQS3",
        "This queue is itself the dead-letter destination of failed asynchronous invocations and "
        "stream batches; an alarm fires on its first message.",
    )
    notifications_handler = [
        child for child in messaging.node.children if child.node.id.startswith("BucketNotificationsHandler")
    ]
    for handler in notifications_handler:
        acknowledge(
            handler, "IAM4",
            "CDK's own custom resource that sets the bucket notification (runs only on deploy) uses the "
            "AWS managed basic execution role.",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        )
        acknowledge(
            handler, "IAM5",
            "CDK's bucket-notification custom resource calls s3:PutBucketNotification, which it scopes to '*'.",
            "Resource::*",
        )
    acknowledge(
        identity.user_pool, "COG2",
        "MFA is optional for the pool (TOTP only) so that officers can be enrolled before they set up an "
        "authenticator; the processing API refuses unit heads and coordinators who have not enrolled, and "
        "accounts are created only by administrators.",
    )
    acknowledge(
        stacks.account.api_gateway_logs_role, "IAM4",
        "API Gateway's account-wide logging role takes the AWS managed push-to-CloudWatch policy: log "
        "groups of every API in the region, which no policy of ours could name in advance.",
        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    )
    acknowledge(
        identity.user_pool, "COG8",
        "The Plus feature plan is a per-user cost the province may choose; nothing in the app depends on it.",
    )

    acknowledge(
        workflow.escalation_role, "IAM5",
        "CloudWatch Logs vended delivery and X-Ray (added by CDK for logging ALL and tracing) take no "
        "resource ARN. " + UNIT_TOPICS,
        "Resource::*",
        _local_arn(workflow, "sns", f"{prefix}-unit-*"),
    )

    for app in stacks.apps.values():
        _acknowledge_app(app, stacks, prefix)

    edge = stacks.edge
    acknowledge(
        edge.origin_secret, "SMG4",
        "The origin header's value is read into CloudFront and WAF when the edge stack deploys; a rotation "
        "must let WAF accept both values while CloudFront propagates, so it is done by hand (docs/deploying.md).",
    )
    acknowledge(
        edge.distribution, "CFR1",
        "Citizens report from wherever they are (travellers, relatives abroad); reports outside the "
        "province's area are refused by the API itself.",
    )
    acknowledge(
        edge.distribution, "CFR2",
        "The WAF web ACL is REGIONAL and attached to the anonymous APIs' stages (one region for the "
        "whole app); see phananh_cdk.edge_stack.",
    )
    acknowledge(
        edge.distribution, "CFR3",
        "CloudFront standard logs need an ACL-enabled bucket; requests are logged and measured at the "
        "API stages (API Gateway metrics, WAF sampled requests).",
    )
    _acknowledge_web(stacks)
    if not edge.node.try_get_context("domain_name"):
        acknowledge(
            edge.distribution, "CFR4",
            "Without a custom domain (context domain_name) the distribution uses CloudFront's default "
            "certificate, which cannot set a minimum TLS version; deploy with a domain to enforce TLS 1.2.",
        )


def _acknowledge_web(stacks: PhananhStacks) -> None:
    edge, web = stacks.edge, stacks.edge.web
    acknowledge(
        edge.open_data.bucket, "S1",
        "Only CloudFront reads the open-data bucket (origin access control) and only the schedule app's daily "
        "job writes it: the snapshots are public by design; enable CloudTrail S3 data events to audit writes.",
    )
    acknowledge(
        web.bucket, "S1",
        "Only CloudFront reads the web apps' bucket (origin access control) and only the deployment writes it: "
        "the built files are public by design and the distribution's requests are measured by CloudFront's "
        "metrics; a log bucket would record CloudFront's own reads. Enable CloudTrail S3 data events to audit "
        "writes, as for the photos bucket.",
    )
    for handler in (child for child in edge.node.children if child.node.id.startswith("Custom::CDKBucketDeployment")):
        acknowledge(
            handler, "L1",
            "CDK's BucketDeployment custom resource (runs only on deploy) pins its own Python runtime, which the "
            "aws-cdk-lib version chooses; upgrading aws-cdk-lib upgrades it.",
        )
        acknowledge(
            handler, "IAM4",
            "CDK's BucketDeployment custom resource uses the AWS managed basic execution role (its log group).",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        )
        bucket_arn = edge.resolve(web.bucket.bucket_arn)["Fn::GetAtt"][0]
        acknowledge(
            handler, "IAM5",
            "CDK's BucketDeployment grants itself read on the CDK asset bucket and read/write on the web apps' "
            "bucket (s3:GetObject*, List*, DeleteObject*, Abort* on their objects), and CloudFront "
            "CreateInvalidation, which takes no resource ARN.",
            "Action::s3:Abort*", "Action::s3:DeleteObject*", "Action::s3:GetBucket*", "Action::s3:GetObject*",
            "Action::s3:List*", "Resource::*", f"Resource::<{bucket_arn}.Arn>/*",
            f"Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-{edge.region}/*",
        )


def _acknowledge_app(app: ChaliceAppStack, stacks: PhananhStacks, prefix: str) -> None:
    acknowledge(app.role, "IAM5", NO_RESOURCE_TYPE, "Resource::*")
    acknowledge(app.role, "IAM5", UNIT_TOPICS, _local_arn(app, "sns", f"{prefix}-unit-*"))
    push = stacks.messaging.push_platforms
    acknowledge(app.role, "IAM5", ENDPOINTS, *(
        _local_arn(app, "sns", f"endpoint/{SNS_PLATFORM[platform]}/{push.names[platform]}/*") for platform in Platform
    ))
    # Only the wildcards this role's policy really has (a table's indexes, a photo key prefix).
    data = stacks.data
    policy = json.dumps(app.resolve(app.role.node.find_child("DefaultPolicy").document))
    candidates = [
        (table.table_arn, "/index/*", INDEXES)
        for table in (data.reports_table, data.officers_table)
    ] + [
        (data.photos_bucket.bucket_arn, f"/{prefix_pattern}", PHOTO_PREFIXES)
        for prefix_pattern in ("*", "quarantine/*", "public/*", "thumbs/*", "evidence/*")
    ] + [(data.photos_bucket.bucket_arn, f"/{glob}", ANSWER_PHOTOS) for glob in ANSWER_COPY_GLOBS]
    for arn, suffix, reason in candidates:
        if json.dumps(app.resolve(Fn.join("", [arn, suffix]))) in policy:
            acknowledge(app.role, "IAM5", reason, _imported_pattern(data, arn, suffix))
    open_data_files = app.resolve(f"{data.open_data_bucket_arn}/{open_data_route().key_prefix}*")
    if json.dumps(open_data_files) in policy:
        pattern = "".join(part if isinstance(part, str) else f"<{part['Ref']}>"
                          for part in open_data_files["Fn::Join"][1])
        acknowledge(app.role, "IAM5", OPEN_DATA_FILES, f"Resource::{pattern}")
