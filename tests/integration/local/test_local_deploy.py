"""The synthesized CDK app deployed onto in-process moto: what the local stack runs on."""

import json
from dataclasses import MISSING, fields
from pathlib import Path
from urllib.parse import unquote_plus

import boto3
import pytest
from repo_files import REPO_ROOT

from phananh.processing.principal import ROLES
from phananh.shared.settings import ENV_PREFIX, Settings, intake_queue_name, uploads_queue_name
from phananh_local.assembly import cloud_assembly
from phananh_local.deploy import FunctionSpec

REGION = "ap-southeast-1"
TABLE_VARIABLES = [
    "PHANANH_REPORTS_TABLE",
    "PHANANH_AUDIT_TABLE",
    "PHANANH_UNITS_TABLE",
    "PHANANH_OFFICERS_TABLE",
    "PHANANH_ROUTING_RULES_TABLE",
    "PHANANH_RATE_LIMIT_TABLE",
    "PHANANH_IDEMPOTENCY_TABLE",
]


@pytest.fixture
def deployment(aws):
    """The session's deployment (see conftest), wiped clean for this test."""
    return aws


def _client(service: str):
    return boto3.client(service, region_name=REGION)


def _function(deployment, app: str) -> FunctionSpec:
    (spec,) = [spec for spec in deployment.functions if spec.app == app]
    return spec


def _table(deployment, variable: str) -> dict:
    return _client("dynamodb").describe_table(TableName=deployment.environment[variable])["Table"]


class TestDeployedResources:
    def test_environment_has_every_required_setting(self, deployment):
        required = {ENV_PREFIX + field.name.upper() for field in fields(Settings) if field.default is MISSING}
        assert required <= deployment.environment.keys()
        assert deployment.environment["PHANANH_RESOURCE_PREFIX"] == "phananh"
        assert Path(deployment.environment["PHANANH_WARDS_GEOJSON"]).is_file()
        assert deployment.region == REGION

    @pytest.mark.parametrize("variable", TABLE_VARIABLES)
    def test_tables_exist_with_point_in_time_recovery(self, deployment, variable):
        table = _table(deployment, variable)
        assert table["TableStatus"] == "ACTIVE"
        backups = _client("dynamodb").describe_continuous_backups(TableName=table["TableName"])
        recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"

    def test_reports_table_indexes_and_stream(self, deployment):
        table = _table(deployment, "PHANANH_REPORTS_TABLE")
        indexes = {
            index["IndexName"]: [key["AttributeName"] for key in index["KeySchema"]]
            for index in table["GlobalSecondaryIndexes"]
        }
        assert indexes == {
            "owner_queue": ["owner_status", "due_at"],
            "due_watch": ["status", "due_at"],
            "public_feed": ["feed", "published_at"],
            "category_feed": ["category_feed", "published_at"],
            "nearby_band": ["nearby_band", "nearby_lon"],
            "filed": ["filed_month", "created_at"],
        }
        assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"

    def test_officers_by_unit_index(self, deployment):
        table = _table(deployment, "PHANANH_OFFICERS_TABLE")
        assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["by_unit"]

    @pytest.mark.parametrize("variable", ["PHANANH_RATE_LIMIT_TABLE", "PHANANH_IDEMPOTENCY_TABLE"])
    def test_ttl(self, deployment, variable):
        ttl = _client("dynamodb").describe_time_to_live(TableName=deployment.environment[variable])[
            "TimeToLiveDescription"
        ]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}

    def test_quarantine_upload_lands_on_the_photo_checks_queue(self, deployment):
        bucket = deployment.environment["PHANANH_PHOTOS_BUCKET"]
        s3, sqs = _client("s3"), _client("sqs")
        queue_url = sqs.get_queue_url(QueueName=uploads_queue_name())["QueueUrl"]
        s3.put_object(Bucket=bucket, Key="public/ignored.jpg", Body=b"not watched")
        s3.put_object(Bucket=bucket, Key="quarantine/R1/photo 1.jpg", Body=b"jpeg")

        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
        bodies = [json.loads(message["Body"]) for message in messages]
        assert not [body for body in bodies if body.get("Event") == "s3:TestEvent"]
        (record,) = [record for body in bodies for record in body["Records"]]
        assert record["eventName"].startswith("ObjectCreated:")
        assert record["s3"]["bucket"]["name"] == bucket
        assert unquote_plus(record["s3"]["object"]["key"]) == "quarantine/R1/photo 1.jpg"

    def test_intake_queue_redrives_to_its_dead_letter_queue(self, deployment):
        sqs = _client("sqs")
        attributes = sqs.get_queue_attributes(
            QueueUrl=deployment.environment["PHANANH_INTAKE_QUEUE_URL"],
            AttributeNames=["All"],
        )["Attributes"]
        assert int(attributes["VisibilityTimeout"]) == 360
        redrive = json.loads(attributes["RedrivePolicy"])
        assert redrive["deadLetterTargetArn"].endswith(f":{intake_queue_name()}-dlq")
        assert int(redrive["maxReceiveCount"]) == 5

    def test_secret_has_a_generated_value(self, deployment):
        value = _client("secretsmanager").get_secret_value(SecretId=deployment.environment["PHANANH_SECRET_ARN"])[
            "SecretString"
        ]
        assert len(value) == 64
        assert value.isalnum()

    def test_contact_key_alias_encrypts(self, deployment):
        kms = _client("kms")
        key_id = deployment.environment["PHANANH_CONTACT_KEY_ID"]
        assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
        blob = kms.encrypt(KeyId=key_id, Plaintext=b"0909 123 456")["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"0909 123 456"

    def test_alert_sender_is_verified(self, deployment):
        identities = _client("ses").list_identities()["Identities"]
        assert "no-reply@phananh.example.vn" in identities

    def test_officers_pool_takes_the_template_policies(self, deployment):
        pool_id = deployment.environment["PHANANH_USER_POOL_ID"]
        pool = _client("cognito-idp").describe_user_pool(UserPoolId=pool_id)["UserPool"]
        assert pool["Name"] == "phananh-officers"
        assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
        assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
        assert pool["MfaConfiguration"] == "OPTIONAL"
        assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
        assert pool_id in {ref for key, ref in deployment.physical.items() if key.startswith("phananh-identity/")}

    def test_officers_pool_has_one_group_per_role(self, deployment):
        groups = _client("cognito-idp").list_groups(UserPoolId=deployment.environment["PHANANH_USER_POOL_ID"])
        assert sorted(group["GroupName"] for group in groups["Groups"]) == sorted(ROLES)

    def test_officer_app_client_has_no_secret_and_the_template_flows(self, deployment):
        client = _client("cognito-idp").describe_user_pool_client(
            UserPoolId=deployment.environment["PHANANH_USER_POOL_ID"],
            ClientId=deployment.environment["PHANANH_USER_POOL_CLIENT_ID"],
        )["UserPoolClient"]
        assert client["ClientName"] == "phananh-officer-app"
        assert "ClientSecret" not in client
        # The local context's password flows (moto answers no SRP), beside the cloud's SRP.
        assert sorted(client["ExplicitAuthFlows"]) == [
            "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
        ]

    def test_submit_function(self, deployment):
        submit = _function(deployment, "submit")
        assert submit.is_api
        assert submit.handler == "app.app"
        assert submit.app_dir == REPO_ROOT / "functions" / "submit"
        assert (submit.sqs_sources, submit.schedules) == ([], [])
        _client("lambda").get_function(FunctionName=submit.function_name)

    def test_route_function_consumes_the_intake_queue(self, deployment):
        route = _function(deployment, "route")
        assert not route.is_api
        assert route.handler == "app.handle_intake"
        assert (route.app_dir / "app.py").is_file()
        assert route.sqs_sources == [(deployment.environment["PHANANH_INTAKE_QUEUE_URL"], 10)]

    def test_photos_function_consumes_the_uploads_queue(self, deployment):
        photos = _function(deployment, "photos")
        assert photos.handler == "app.check_uploads"
        assert photos.sqs_sources == [(_client("sqs").get_queue_url(QueueName=uploads_queue_name())["QueueUrl"], 5)]

    def test_functions_carry_the_local_environment(self, deployment):
        for spec in deployment.functions:
            configuration = _client("lambda").get_function_configuration(FunctionName=spec.function_name)
            assert configuration["Environment"]["Variables"] == deployment.environment

    def test_policies_and_api_resources_are_listed_as_skipped(self, deployment):
        skipped_types = {entry.rsplit("(", 1)[1].rstrip(")") for entry in deployment.skipped}
        assert {"AWS::IAM::Policy", "AWS::Serverless::Api", "AWS::Lambda::LayerVersion"} <= (skipped_types)
        assert not skipped_types & {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue"}

    def test_the_web_apps_deployment_and_cloudfront_are_skipped_the_gateway_serves_web_dist(self, deployment):
        skipped_types = {entry.rsplit("(", 1)[1].rstrip(")") for entry in deployment.skipped}
        assert {
            "Custom::CDKBucketDeployment", "AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl",
            "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::Function", "AWS::Lambda::Function",
        } <= skipped_types

    def test_moto_platform_applications_stand_in_for_the_push_services(self, deployment):
        """The custom resource that makes them in the cloud is not deployed: moto's applications are
        made in its place, one per service, and every function is told their ARNs."""
        applications = {
            application["PlatformApplicationArn"]
            for application in _client("sns").list_platform_applications()["PlatformApplications"]
        }
        fcm = deployment.environment["PHANANH_PUSH_FCM_APPLICATION_ARN"]
        apns = deployment.environment["PHANANH_PUSH_APNS_APPLICATION_ARN"]
        assert {fcm, apns} <= applications
        assert ":app/GCM/" in fcm and ":app/APNS/" in apns
        skipped = [entry for entry in deployment.skipped if "PushPlatforms" in entry]
        assert skipped and all("AWS::Lambda::Function" in entry or "AWS::IAM::" in entry for entry in skipped)

    def test_the_photos_bucket_takes_browser_uploads(self, deployment):
        [rule] = _client("s3").get_bucket_cors(Bucket=deployment.environment["PHANANH_PHOTOS_BUCKET"])["CORSRules"]
        assert (rule["AllowedMethods"], rule["AllowedOrigins"], rule["MaxAgeSeconds"]) == (["POST"], ["*"], 3600)


def test_an_unchanged_app_is_not_synthesized_again():
    assembly = cloud_assembly()
    manifest = assembly / "manifest.json"
    written = manifest.stat().st_mtime_ns
    assert cloud_assembly() == assembly
    assert manifest.stat().st_mtime_ns == written
