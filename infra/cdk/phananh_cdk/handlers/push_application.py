"""The custom resource behind Custom::SnsPlatformApplication (CloudFormation has no SNS platform
application resource): one application per push service, its credential read from Secrets Manager
here, so that it never appears in a template, an event or a log.

Deployed as inline code, where Lambda provides `cfnresponse`. The secret holds SNS's attribute names,
{"PlatformCredential": ..., "PlatformPrincipal": ..., "ApplePlatformTeamID": ..., "ApplePlatformBundleID": ...}
(FCM: the service account's JSON as PlatformCredential; APNs with a token key: all four). Until
PlatformCredential is filled in, no application is made and the Arn attribute is empty: the system
refuses that service's tokens at submission rather than failing to push them.
"""

import json

import boto3
import cfnresponse

ATTRIBUTES = ("PlatformCredential", "PlatformPrincipal", "ApplePlatformTeamID", "ApplePlatformBundleID")
NOT_CONFIGURED = "not-configured"


def handler(event, context):
    physical_id = event.get("PhysicalResourceId", NOT_CONFIGURED)
    try:
        physical_id = _apply(event, physical_id)
        arn = physical_id if physical_id.startswith("arn:") else ""
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Arn": arn}, physical_id)
    except Exception as error:  # any failure is CloudFormation's to report; its reason names no secret
        print(f"platform application {event['RequestType']} failed: {type(error).__name__}")
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physical_id,
                         reason=f"{type(error).__name__} (see the function's log)")


def _apply(event, physical_id):
    sns = boto3.client("sns")
    properties = event["ResourceProperties"]
    if event["RequestType"] == "Delete":
        if physical_id.startswith("arn:"):
            sns.delete_platform_application(PlatformApplicationArn=physical_id)
        return physical_id
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=properties["SecretArn"])["SecretString"]
    try:
        held = json.loads(secret)
    except ValueError:
        held = {}
    attributes = {key: held[key] for key in ATTRIBUTES if isinstance(held, dict) and held.get(key)}
    if "PlatformCredential" not in attributes:
        return NOT_CONFIGURED
    before = event.get("OldResourceProperties", {})
    same_application = all(before.get(key) == properties[key] for key in ("Name", "Platform"))
    if physical_id.startswith("arn:") and event["RequestType"] == "Update" and same_application:
        sns.set_platform_application_attributes(PlatformApplicationArn=physical_id, Attributes=attributes)
        return physical_id
    # A new application (a new name or service): CloudFormation deletes the old one once this succeeded.
    return sns.create_platform_application(
        Name=properties["Name"], Platform=properties["Platform"], Attributes=attributes
    )["PlatformApplicationArn"]
