"""checkov's findings on the synthesized templates that stand, each with why (as phananh_cdk.nag does
for cdk-nag). The gaps it found are fixed in the stacks instead: the photos bucket keeps versions,
every API stage writes access logs, the queues are encrypted with a key of ours.

tests/infra/test_checkov.py runs checkov over the templates and fails on a finding that no
acknowledgement covers, and on an acknowledgement that covers nothing any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class CheckovAcknowledgement:
    check_id: str
    # fnmatch patterns on checkov's resource names, "<resource type>.<logical id>".
    resources: tuple[str, ...]
    reason: str

    def covers(self, check_id: str, resource: str) -> bool:
        return check_id == self.check_id and any(fnmatchcase(resource, pattern) for pattern in self.resources)


OUR_FUNCTIONS = "AWS::Serverless::Function.*"
# CDK's custom resource that sets the photos bucket's notification; it runs only on deploy.
BUCKET_NOTIFICATIONS_HANDLER = "AWS::Lambda::Function.BucketNotificationsHandler*"
DISTRIBUTION = "AWS::CloudFront::Distribution.*"
# CDK's custom resource that copies the web apps' build into their bucket; it runs only on deploy.
BUCKET_DEPLOYMENT_HANDLER = "AWS::Lambda::Function.CustomCDKBucketDeployment*"
# Our custom resource that makes the SNS platform applications (phananh_cdk.push_platforms); deploys only.
PUSH_APPLICATIONS_HANDLER = "AWS::Lambda::Function.PushPlatformsHandler*"
DEPLOY_TIME_HANDLERS = (BUCKET_NOTIFICATIONS_HANDLER, BUCKET_DEPLOYMENT_HANDLER, PUSH_APPLICATIONS_HANDLER)

_ALWAYS = (
    CheckovAcknowledgement(
        "CKV_AWS_117", (OUR_FUNCTIONS, *DEPLOY_TIME_HANDLERS),
        "No function reaches anything in a network of ours: every call is to an AWS API under IAM. A VPC "
        "would add NAT gateways or endpoints, and their cost and cold starts, to protect nothing.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_116", (OUR_FUNCTIONS, *DEPLOY_TIME_HANDLERS),
        "A Lambda DLQ catches failed asynchronous invocations only. The API handlers are invoked "
        "synchronously (the caller gets the error); the scheduled functions send failed runs to the "
        "failed-events queue through EventInvokeConfig OnFailure, the stream handler through its event "
        "source's OnFailure, the intake consumer through the intake queue's redrive (all asserted in "
        "tests/infra); CDK's notifications and web deployment handlers and the platform applications' "
        "handler run under CloudFormation, which reports their failure.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_115",
        ("AWS::Serverless::Function.APIHandler", "AWS::Serverless::Function.CountReportChanges",
         "AWS::Serverless::Function.CheckUploads", "AWS::Serverless::Function.ForwardChanges",
         "AWS::Serverless::Function.DeliverEffects", *DEPLOY_TIME_HANDLERS),
        "Reserved concurrency is set where it protects something (route: SES and DynamoDB; schedule: one "
        "run at a time). The API handlers are bounded by their stage throttle and WAF rate rules, the "
        "stream handlers by the reports stream's shards, the outbox's deliverer by the changes the stream forwards "
        "(a province's SES quota, if it binds, is a `reserved_concurrency` context key away), the photo check "
        "(no table, no downstream quota) by "
        "the uploads that rate-limited submissions allow; reserving more would take from the account's pool.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_173", (OUR_FUNCTIONS,),
        "The variables are resource names, ARNs and settings, no secrets: the HMAC key is read from Secrets "
        "Manager at run time. Lambda encrypts them at rest with its own key.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_173", (BUCKET_DEPLOYMENT_HANDLER,),
        "CDK's web deployment handler has no variables of ours: CDK sets its own (none secret), and Lambda "
        "encrypts them at rest with its own key.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_111", ("AWS::IAM::Policy.CustomCDKBucketDeployment*",),
        "CDK's web deployment handler may create CloudFront invalidations, an action that takes no resource "
        "ARN; its S3 writes are limited to the web apps' bucket.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_111", ("AWS::IAM::Policy.FunctionRoleSmsToReporters*",),
        "The outbox relays an owner unit's question to a reporter by SMS: SNS Publish to a phone number names "
        "no resource, so it is granted on '*', in this policy alone and to the deliver function alone "
        "(docs/security.md).",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_18", ("AWS::S3::Bucket.OpenDataBucket*",),
        "Only CloudFront (origin access control) reads the open-data bucket and only the schedule app's daily "
        "job writes it; its files are public by design. Enable CloudTrail S3 data events to audit writes.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_18", ("AWS::S3::Bucket.WebAppsBucket*",),
        "Only CloudFront (origin access control) reads the web apps' bucket and only the deployment writes it; "
        "its files are public by design. Enable CloudTrail S3 data events to audit writes (cdk-nag S1).",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_158", ("AWS::Logs::LogGroup.*",),
        "CloudWatch Logs encrypts every group at rest. A key of ours would only move the decision of who "
        "reads the logs from IAM (logs:GetLogEvents, held by no function role) to a key policy, at a key "
        "policy for the logs service per region.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_119", ("AWS::DynamoDB::Table.*",),
        "The tables are encrypted at rest with DynamoDB's AWS managed key; the one personal field, a "
        "reporter's contact, is encrypted before it is stored with our own rotating contact key, which "
        "only the functions that need it may use.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_149", ("AWS::SecretsManager::Secret.*",),
        "Secrets Manager encrypts the secrets with its AWS managed key; who reads them is decided by the "
        "grants on each secret (the functions that sign tokens, and CloudFormation for the origin value).",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_18", ("AWS::S3::Bucket.PhotosBucket*",),
        "Only the functions' roles read and write photos (citizens use short-lived presigned URLs); enable "
        "CloudTrail S3 data events for an audit trail rather than a second, log bucket (cdk-nag S1).",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_120", ("AWS::Serverless::Api.RestAPI",),
        "Every answer depends on its caller (a tracking token, an officer's unit) or must be fresh (a "
        "report's state): a stage cache would serve one caller's answer to another.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_192", ("AWS::WAFv2::WebACL.*",),
        "The functions are Python, no Java or Log4j anywhere; the web ACLs only admit requests through "
        "the edge and limit each viewer address's rate.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_68", (DISTRIBUTION,),
        "The WAF web ACLs are REGIONAL and attached to every API's stage (one region for the whole app, "
        "see phananh_cdk.edge_stack); the origins admit only requests carrying the edge's secret header.",
    ),
    CheckovAcknowledgement(
        "CKV_AWS_86", (DISTRIBUTION,),
        "CloudFront standard logs need an ACL-enabled bucket; each request is logged at its API stage "
        "(access logs) and sampled by WAF (cdk-nag CFR3).",
    ),
)

_WITHOUT_DOMAIN = (
    CheckovAcknowledgement(
        "CKV_AWS_174", (DISTRIBUTION,),
        "Without a custom domain (context domain_name) the distribution uses CloudFront's default "
        "certificate, which always accepts TLS 1.0; with a domain the distribution pins TLSv1.2_2021.",
    ),
)


def checkov_acknowledgements(*, custom_domain: bool) -> tuple[CheckovAcknowledgement, ...]:
    return _ALWAYS if custom_domain else _ALWAYS + _WITHOUT_DOMAIN
