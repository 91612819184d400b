"""Assertions on the synthesized CloudFormation of every stack."""

import json
from dataclasses import MISSING, fields
from typing import Any

import pytest

from phananh.shared.settings import ENV_PREFIX, Settings, intake_queue_name, uploads_queue_name

pytestmark = pytest.mark.infra

EXTRA_VARIABLES = {"PHANANH_STAGE", "PHANANH_RESOURCE_PREFIX"}
PREFIX = "phananh"


@pytest.fixture(scope="module")
def templates(stacks) -> dict[str, Any]:
    from aws_cdk.assertions import Template

    return {
        "data": Template.from_stack(stacks.data),
        "messaging": Template.from_stack(stacks.messaging),
        "workflow": Template.from_stack(stacks.workflow),
        **{name: Template.from_stack(stack) for name, stack in stacks.apps.items()},
    }


def _resources(template, resource_type: str) -> dict[str, dict]:
    return template.find_resources(resource_type)


def _only(template, resource_type: str, **properties) -> dict:
    matches = [
        resource
        for resource in _resources(template, resource_type).values()
        if all(resource["Properties"].get(key) == value for key, value in properties.items())
    ]
    assert len(matches) == 1, f"{resource_type} {properties}: {len(matches)} matches"
    return matches[0]


def _table(templates, name: str) -> dict:
    return _only(templates["data"], "AWS::DynamoDB::Table", TableName=f"{PREFIX}-{name}")


def _key_schema(partition_key: str, sort_key: str | None = None) -> list[dict]:
    schema = [{"AttributeName": partition_key, "KeyType": "HASH"}]
    if sort_key:
        schema.append({"AttributeName": sort_key, "KeyType": "RANGE"})
    return schema


def _statements(template) -> list[dict]:
    return [
        statement
        for policy in _resources(template, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _statement_actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else action


def _actions(template) -> set[str]:
    return {action for statement in _statements(template) for action in _statement_actions(statement)}


def test_every_table_is_encrypted_recoverable_and_retained(templates):
    tables = _resources(templates["data"], "AWS::DynamoDB::Table")
    assert len(tables) == 9
    for logical_id, table in tables.items():
        properties = table["Properties"]
        assert properties["SSESpecification"] == {"SSEEnabled": True}, logical_id
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, logical_id
        assert properties["BillingMode"] == "PAY_PER_REQUEST", logical_id
        assert table["DeletionPolicy"] == "Retain", logical_id


@pytest.mark.parametrize(
    ("table", "partition_key", "sort_key"),
    [
        ("reports", "report_id", None),
        ("audit", "report_id", "event_key"),
        ("units", "unit_id", None),
        ("officers", "officer_id", None),
        ("routing-rules", "category_code", "ward_code"),
        ("rate-limit", "bucket_key", None),
        ("idempotency", "idempotency_key", None),
        ("scorecards", "scope", "day"),
        ("follows", "report_id", "follow_id"),
    ],
)
def test_table_keys(templates, table, partition_key, sort_key):
    assert _table(templates, table)["Properties"]["KeySchema"] == _key_schema(partition_key, sort_key)


def test_reports_indexes_and_stream(templates):
    properties = _table(templates, "reports")["Properties"]
    indexes = {index["IndexName"]: index for index in properties["GlobalSecondaryIndexes"]}
    assert {name: index["KeySchema"] for name, index in indexes.items()} == {
        "owner_queue": _key_schema("owner_status", "due_at"),
        "due_watch": _key_schema("status", "due_at"),
        "nearby_band": _key_schema("nearby_band", "nearby_lon"),
        "public_feed": _key_schema("feed", "published_at"),
        "category_feed": _key_schema("category_feed", "published_at"),
        "filed": _key_schema("filed_month", "created_at"),
    }
    assert all(index["Projection"] == {"ProjectionType": "ALL"} for index in indexes.values())
    assert properties["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}


def test_officers_by_unit_index(templates):
    (index,) = _table(templates, "officers")["Properties"]["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by_unit"
    assert index["KeySchema"] == _key_schema("unit_id")


@pytest.mark.parametrize("table", ["rate-limit", "idempotency", "follows"])
def test_expiring_tables_have_ttl(templates, table):
    assert _table(templates, table)["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "expires_at",
        "Enabled": True,
    }


def test_photos_bucket_is_private_encrypted_and_expires_quarantine(templates):
    (bucket,) = _resources(templates["data"], "AWS::S3::Bucket").values()
    properties = bucket["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert "ServerSideEncryptionConfiguration" in properties["BucketEncryption"]
    assert bucket["DeletionPolicy"] == "Retain"
    rules = properties["LifecycleConfiguration"]["Rules"]
    assert {"ExpirationInDays": 2, "Prefix": "quarantine/"}.items() <= rules[0].items()


def test_photos_bucket_keeps_old_versions_for_a_while(templates):
    """An evidence photo overwritten or deleted (a bug, a stolen role) can be restored for 30 days."""
    (bucket,) = _resources(templates["data"], "AWS::S3::Bucket").values()
    properties = bucket["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in properties["LifecycleConfiguration"]["Rules"]}
    old_versions = rules["expire-old-versions"]
    assert "Prefix" not in old_versions and old_versions["Status"] == "Enabled"
    assert old_versions["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    assert old_versions["ExpiredObjectDeleteMarker"] is True
    # Unchecked uploads are no evidence: their old versions go the next day.
    assert rules["expire-quarantine"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}


def test_photos_bucket_denies_insecure_transport(templates):
    (policy,) = _resources(templates["data"], "AWS::S3::BucketPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert any(
        statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in statements
    )


def test_contact_key_rotates_and_has_alias(templates):
    (key,) = _resources(templates["data"], "AWS::KMS::Key").values()
    assert key["Properties"]["EnableKeyRotation"] is True
    _only(templates["data"], "AWS::KMS::Alias", AliasName=f"alias/{PREFIX}-contact")


def test_hmac_secret_is_generated(templates):
    (secret,) = _resources(templates["data"], "AWS::SecretsManager::Secret").values()
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32


def test_intake_queue_has_dead_letter_queue_and_long_visibility(templates):
    queue = _only(templates["messaging"], "AWS::SQS::Queue", QueueName=intake_queue_name())
    properties = queue["Properties"]
    assert properties["RedrivePolicy"]["maxReceiveCount"] == 5
    (route,) = _resources(templates["route"], "AWS::Serverless::Function").values()
    assert route["Properties"]["Timeout"] == 60
    assert properties["VisibilityTimeout"] >= 6 * route["Properties"]["Timeout"]


def test_every_queue_is_encrypted_with_our_rotating_key(templates):
    messaging = templates["messaging"]
    (key_id, key), = _resources(messaging, "AWS::KMS::Key").items()
    assert key["Properties"]["EnableKeyRotation"] is True
    queues = _resources(messaging, "AWS::SQS::Queue").values()
    assert len(queues) == 7  # uploads, intake and delivery, each with its dead-letter queue, and failed events
    for queue in queues:
        assert queue["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert "SqsManagedSseEnabled" not in queue["Properties"]
    # S3 writes the quarantine notifications into the uploads queue: the key lets it, for our bucket only.
    s3_statements = [
        statement for statement in key["Properties"]["KeyPolicy"]["Statement"]
        if statement.get("Principal") == {"Service": "s3.amazonaws.com"} and "Condition" in statement
    ]
    assert s3_statements and all("aws:SourceArn" in str(statement["Condition"]) for statement in s3_statements)


def test_queue_users_get_exactly_the_key_actions_sqs_needs(templates):
    def key_actions(app: str) -> set[str]:
        return {
            action for statement in _statements(templates[app]) if "QueueKey" in str(statement["Resource"])
            for action in _statement_actions(statement)
        }

    # schedule sends (GenerateDataKey and Decrypt), route and deliver consume and send; submit only
    # sends an e-mail follow's confirmation to the delivery queue (a new report's routing message
    # comes from the reports stream).
    assert key_actions("schedule") == key_actions("submit") == {"kms:GenerateDataKey", "kms:Decrypt"}
    assert key_actions("route") == key_actions("deliver") == {"kms:GenerateDataKey", "kms:Decrypt"}
    assert "kms:Encrypt" not in key_actions("route") | key_actions("deliver")


def test_queues_deny_insecure_transport(templates):
    for policy in _resources(templates["messaging"], "AWS::SQS::QueuePolicy").values():
        assert any(
            statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        )


def test_quarantine_uploads_notify_the_photo_checks_own_queue(templates):
    (notifications,) = _resources(templates["messaging"], "Custom::S3BucketNotifications").values()
    (queue_configuration,) = notifications["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert queue_configuration["Events"] == ["s3:ObjectCreated:*"]
    assert queue_configuration["Filter"] == {"Key": {"FilterRules": [{"Name": "prefix", "Value": "quarantine/"}]}}
    uploads_logical_id = next(
        logical_id
        for logical_id, queue in _resources(templates["messaging"], "AWS::SQS::Queue").items()
        if queue["Properties"]["QueueName"] == uploads_queue_name()
    )
    assert queue_configuration["QueueArn"] == {"Fn::GetAtt": [uploads_logical_id, "Arn"]}
    queue = _only(templates["messaging"], "AWS::SQS::Queue", QueueName=uploads_queue_name())
    assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 5
    (photos,) = _resources(templates["photos"], "AWS::Serverless::Function").values()
    assert queue["Properties"]["VisibilityTimeout"] >= 6 * photos["Properties"]["Timeout"]
    (event,) = photos["Properties"]["Events"].values()
    assert event["Properties"]["Queue"]["Fn::Sub"].endswith(f":{uploads_queue_name()}")
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_alerts_sender_identity(templates):
    _only(
        templates["messaging"],
        "AWS::SES::EmailIdentity",
        EmailIdentity="no-reply@phananh.example.vn",
    )


def test_app_stacks_name_their_app(templates):
    for app in ("submit", "route"):
        assert templates[app].to_json()["Metadata"]["phananh:app"] == app


def test_every_function_gets_the_same_complete_environment_and_the_layer(templates):
    required = {ENV_PREFIX + field.name.upper() for field in fields(Settings) if field.default is MISSING}
    environments = []
    for app in ("submit", "route"):
        functions = _resources(templates[app], "AWS::Serverless::Function")
        assert functions, app
        layers = _resources(templates[app], "AWS::Lambda::LayerVersion")
        for function in functions.values():
            variables = function["Properties"]["Environment"]["Variables"]
            assert required | EXTRA_VARIABLES <= variables.keys()
            assert variables["PHANANH_STAGE"] == "test"
            assert variables["PHANANH_RESOURCE_PREFIX"] == PREFIX
            assert {"Ref": next(iter(layers))} in function["Properties"]["Layers"]
            environments.append(variables)
    assert all(environment == environments[0] for environment in environments)


def test_route_consumes_the_intake_queue(templates):
    (route,) = _resources(templates["route"], "AWS::Serverless::Function").values()
    (event,) = route["Properties"]["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"]["Fn::Sub"].endswith(f":{intake_queue_name()}")
    assert event["Properties"]["BatchSize"] == 10
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_submit_may_upload_only_to_quarantine_read_only_checked_photos_and_only_encrypt(templates):
    actions = _actions(templates["submit"])
    assert {"s3:PutObject", "kms:Encrypt"} <= actions
    # It consumes no queue (the reports stream queues a new report's routing; it only queues an
    # e-mail follow's confirmation for the outbox), and decrypts no contact.
    assert not {"s3:DeleteObject", "sqs:ReceiveMessage", "sqs:DeleteMessage"} & actions
    assert not any(statement for statement in _statements(templates["submit"])
                   if "kms:Decrypt" in _statement_actions(statement)
                   and "ContactKey" in json.dumps(statement["Resource"]))
    s3_statements = [
        statement
        for statement in _statements(templates["submit"])
        if any(action.startswith("s3:") for action in _statement_actions(statement))
    ]
    for statement in s3_statements:
        if _statement_actions(statement) == ["s3:ListBucket"]:
            continue
        writes = any(action.startswith("s3:Put") for action in _statement_actions(statement))
        assert ("/quarantine/*" if writes else "/public/*") in str(statement["Resource"])


def test_route_may_consume_and_decrypt_but_not_encrypt(templates):
    actions = _actions(templates["route"])
    assert {"sqs:DeleteMessage", "sqs:ReceiveMessage", "kms:Decrypt", "s3:DeleteObject"} <= (actions)
    assert "kms:Encrypt" not in actions
    # It never reads a photo: the photo check (its own function) does.
    assert not {"s3:GetObject", "s3:PutObject"} & actions


def test_only_the_outbox_alerts_by_ses_and_through_unit_topics(templates):
    statements = _statements(templates["deliver"])
    published_to = str([statement["Resource"] for statement in statements
                        if "sns:Publish" in _statement_actions(statement)])
    # The units' topics, and the reporters' apps' endpoints in our platform applications only.
    assert f"{PREFIX}-unit-*" in published_to and f"endpoint/GCM/{PREFIX}-reporters-fcm/*" in published_to
    assert ":endpoint/*" not in published_to
    # An SMS to a reporter's number (a relayed question) names no resource: Publish on "*", alone in
    # a policy of its own, so that no other action rides on the wildcard.
    (to_phones,) = [statement for statement in statements if statement["Resource"] == "*"
                    and "sns:Publish" in _statement_actions(statement)]
    assert _statement_actions(to_phones) == ["sns:Publish"]
    (sms_policy,) = [policy for name, policy in _resources(templates["deliver"], "AWS::IAM::Policy").items()
                     if "SmsToReporters" in name]
    assert sms_policy["Properties"]["PolicyDocument"]["Statement"] == [to_phones]
    assert {"ses:SendEmail", "dynamodb:GetRecords", "dynamodb:GetItem"} <= _actions(templates["deliver"])
    # It reads the reports, never writes one.
    assert not {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"} & {
        action for statement in statements if "ReportsTable" in str(statement["Resource"])
        for action in _statement_actions(statement)
    }
    for app in ("route", "handle", "rate"):
        assert not {"ses:SendEmail", "sns:Publish"} & _actions(templates[app]), app


def _table_actions(template, logical_prefix: str) -> set[str]:
    return {action for statement in _statements(template) if logical_prefix in str(statement["Resource"])
            for action in _statement_actions(statement) if action.startswith("dynamodb:")}


def test_submit_writes_the_follows_the_outbox_reads_and_erases_them_and_nobody_else_touches_them(templates, stacks):
    """Following and unfollowing (submit) never list follows (confirming an e-mail follow reads the
    one its token names); the outbox tells each follower, drops a dead device's follow and erases a
    report's follows when it ends."""
    submit = _table_actions(templates["submit"], "FollowsTable")
    assert {"dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:GetItem"} <= submit
    assert not {"dynamodb:Query", "dynamodb:Scan"} & submit
    assert {"dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} <= _table_actions(
        templates["deliver"], "FollowsTable")
    others = [name for name in stacks.apps if name not in ("submit", "deliver")
              and _table_actions(templates[name], "FollowsTable")]
    assert others == []


# -- escalation (issue 5): the workflow stack and the schedule app ----------------------------------


def test_escalation_state_machine_is_standard_logged_traced_and_built_from_the_shared_file(templates):
    from phananh_cdk.workflow_stack import ESCALATION_DEFINITION

    (machine,) = _resources(templates["workflow"], "AWS::StepFunctions::StateMachine").values()
    properties = machine["Properties"]
    assert properties["StateMachineType"] == "STANDARD"
    assert properties["StateMachineName"] == f"{PREFIX}-escalation"
    assert properties["TracingConfiguration"] == {"Enabled": True}
    logging = properties["LoggingConfiguration"]
    assert logging["Level"] == "ALL"
    (log_group_id,) = _resources(templates["workflow"], "AWS::Logs::LogGroup")
    assert logging["Destinations"] == [
        {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [log_group_id, "Arn"]}}}
    ]
    assert json.loads(properties["DefinitionString"]) == json.loads(ESCALATION_DEFINITION.read_text(encoding="utf-8"))
    assert set(properties["DefinitionSubstitutions"]) == {"ReportsTable", "AuditTable"}
    # It records and waits; each recorded level's messages go out through the outbox (functions/deliver).
    assert not {"EmailNextUp", "HasTopic", "TextNextUp"} & set(json.loads(properties["DefinitionString"])["States"])


def test_escalation_role_may_do_exactly_what_the_definition_calls(templates):
    service_actions = {
        action for action in _actions(templates["workflow"]) if not action.startswith(("logs:", "xray:"))
    }
    assert service_actions == {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"}
    for statement in _statements(templates["workflow"]):
        actions = _statement_actions(statement)
        if "dynamodb:UpdateItem" in actions:
            assert "ReportsTable" in str(statement["Resource"]) and "index" not in str(statement["Resource"])
        if "dynamodb:PutItem" in actions:
            assert "AuditTable" in str(statement["Resource"]) and actions == ["dynamodb:PutItem"]


def test_schedule_app_runs_the_sweeper_every_five_minutes_and_the_digest_at_seven_ict(templates):
    schedules = {
        logical_id: [event["Properties"]["Schedule"] for event in function["Properties"]["Events"].values()]
        for logical_id, function in _resources(templates["schedule"], "AWS::Serverless::Function").items()
    }
    assert schedules["SweepDeadlines"] == ["rate(5 minutes)"]
    assert schedules["DailyDigest"] == ["cron(0 0 * * ? *)"]
    assert {"CloseResolvedReports", "RouteStrandedReports", "CleanQuarantine"} <= schedules.keys()
    assert schedules["EraseExpiredPersonalData"] == ["cron(0 19 * * ? *)"]
    # The open-data snapshot of the Vietnam day just ended, at 00:20 ICT.
    assert schedules["WriteOpenDataSnapshot"] == ["cron(20 17 * * ? *)"]
    for function in _resources(templates["schedule"], "AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert {"PHANANH_ESCALATION_STATE_MACHINE_ARN", "PHANANH_OPEN_DATA_BUCKET"} <= variables.keys()


def test_schedule_app_grants_are_least_privilege(templates):
    statements = _statements(templates["schedule"])
    actions = _actions(templates["schedule"])
    # SES for the daily digest; no push (the reporters' pushes come from the outbox).
    assert {"states:StartExecution", "ses:SendEmail", "sqs:SendMessage", "s3:ListBucket"} <= actions
    assert not {"kms:Encrypt", "sns:Publish", "s3:GetObject*", "sqs:ReceiveMessage",
                "cognito-idp:AdminCreateUser"} & actions
    (start,) = [statement for statement in statements if "states:StartExecution" in _statement_actions(statement)]
    assert "ImportValue" in str(start["Resource"]) and "workflow" in str(start["Resource"])
    for statement in statements:
        statement_actions = _statement_actions(statement)
        if any(action.startswith("s3:Delete") for action in statement_actions):
            assert "/quarantine/*" in str(statement["Resource"])
        if "s3:ListBucket" in statement_actions:
            assert statement["Condition"] == {"StringLike": {"s3:prefix": ["quarantine/*"]}}
        if "sns:Publish" in statement_actions:
            assert f"{PREFIX}-unit-*" in str(statement["Resource"])
        # The daily open-data snapshot writes (and rereads) the served prefix of its bucket, nothing else.
        if {"s3:PutObject", "s3:GetObject"} & set(statement_actions):
            assert sorted(statement_actions) == ["s3:GetObject", "s3:PutObject"]
            assert f"{PREFIX}-open-data-" in json.dumps(statement["Resource"])
            assert json.dumps(statement["Resource"]).endswith('/open-data/*"]]}')
    # Reports read and written, the audit trail only written, the directory only read.
    audit = [statement for statement in statements if "AuditTable" in str(statement["Resource"])]
    assert audit and all(
        not any(action in ("dynamodb:GetItem", "dynamodb:Query") for action in _statement_actions(statement))
        for statement in audit
    )


# -- ratings and scorecards (issue 6): the rate app ---------------------------------------------------


def test_rate_counts_from_the_reports_stream_into_an_expiring_scorecard_table(templates):
    properties = _table(templates, "scorecards")["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    functions = _resources(templates["rate"], "AWS::Serverless::Function")
    [stream_event] = [
        event for function in functions.values() for event in (function["Properties"].get("Events") or {}).values()
    ]
    assert stream_event["Type"] == "DynamoDB"
    assert "ReportsTable" in str(stream_event["Properties"]["Stream"]) and "StreamArn" in str(
        stream_event["Properties"]["Stream"]
    )


def test_rate_may_change_reports_and_read_their_stream_and_sends_nothing(templates):
    actions = _actions(templates["rate"])
    assert {"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:UpdateItem", "kms:Decrypt"} <= actions
    assert not {"kms:Encrypt", "ses:SendEmail", "sns:Publish", "secretsmanager:GetSecretValue"} & actions
    # The reporter's download links their checked photos: read only where checked photos are.
    for statement in _statements(templates["rate"]):
        if "s3:GetObject" in _statement_actions(statement):
            assert "/public/*" in str(statement["Resource"]) and "quarantine" not in str(statement["Resource"])
    # Its only queue: where stream batches that keep failing are set aside.
    for statement in _statements(templates["rate"]):
        if "sqs:SendMessage" in _statement_actions(statement):
            assert "FailedEventsQueue" in str(statement["Resource"])
    # S3: only reading checked photos (for the reporter's download), never writing or deleting.
    assert {action for action in actions if action.startswith("s3:")} <= {"s3:GetObject", "s3:ListBucket"}
    assert not any(action.startswith(("cognito-idp:", "states:")) for action in actions)


# -- least privilege around reporters' secrets and the photos (issue 12) ------------------------------


def _kms_grants(template) -> dict[str, set[str]]:
    """KMS action on the contact key → the encryption-context purposes the role may use it for."""
    grants: dict[str, set[str]] = {}
    for statement in _statements(template):
        if "ContactKey" not in json.dumps(statement["Resource"]):
            continue  # the queue key: what SQS needs, tested by test_queue_users_get_exactly_the_key_actions_sqs_needs
        for action in _statement_actions(statement):
            if action.startswith("kms:"):
                # Every grant on the contact key names its purposes: none opens every ciphertext.
                purposes = statement["Condition"]["StringEquals"]["kms:EncryptionContext:purpose"]
                grants.setdefault(action, set()).update(purposes)
    return grants


def test_only_the_officer_api_may_open_contacts_and_only_pushing_roles_push_endpoints(templates, stacks):
    from phananh.adapters.aws.kms import CONTACT_PURPOSE, FOLLOWER_EMAIL_PURPOSE, FOLLOWER_PURPOSE, PUSH_PURPOSE

    grants = {name: _kms_grants(templates[name]) for name in stacks.apps}
    # It seals the reporter's contact and device and a follower's device or address.
    assert grants["submit"] == {"kms:Encrypt": {CONTACT_PURPOSE, PUSH_PURPOSE, FOLLOWER_PURPOSE,
                                                FOLLOWER_EMAIL_PURPOSE}}
    # The officer API (the owner unit, with consent) and the rate app, where the reporter downloads
    # what is held about them with the tracking token (the right of access), open contacts.
    for name in ("handle", "rate"):
        assert grants[name] == {"kms:Decrypt": {CONTACT_PURPOSE}}, name
    # The outbox alone opens push tokens, the reporters' and the followers', and contacts to relay an
    # owner unit's question to the reporter, and the e-mail followers' addresses to mail them;
    # routing and the jobs open nothing.
    assert grants["deliver"] == {"kms:Decrypt": {PUSH_PURPOSE, FOLLOWER_PURPOSE, FOLLOWER_EMAIL_PURPOSE,
                                                 CONTACT_PURPOSE}}
    for name in ("route", "schedule"):
        assert grants[name] == {}, name
    assert sorted(
        name for name, app_grants in grants.items() if CONTACT_PURPOSE in app_grants.get("kms:Decrypt", ())
    ) == ["deliver", "handle", "rate"]


def test_only_the_outbox_makes_and_pushes_to_reporters_endpoints_and_only_in_our_applications(templates, stacks):
    endpoint_actions = {"sns:CreatePlatformEndpoint", "sns:SetEndpointAttributes", "sns:DeleteEndpoint"}
    assert [name for name in stacks.apps if endpoint_actions & _actions(templates[name])] == ["deliver"]
    names = stacks.messaging.push_platforms.names
    for statement in _statements(templates["deliver"]):
        actions, resources = set(_statement_actions(statement)), json.dumps(statement["Resource"])
        if "sns:CreatePlatformEndpoint" in actions:
            assert actions == {"sns:CreatePlatformEndpoint"}
            assert f"app/GCM/{names['fcm']}" in resources and f"app/APNS/{names['apns']}" in resources
            assert "*" not in resources
        if actions & {"sns:SetEndpointAttributes", "sns:DeleteEndpoint"}:
            assert actions == {"sns:Publish", "sns:SetEndpointAttributes", "sns:DeleteEndpoint"}
            assert f"endpoint/GCM/{names['fcm']}/*" in resources and f"endpoint/APNS/{names['apns']}/*" in resources
            assert "endpoint/*" not in resources


def test_the_platform_applications_read_their_credentials_themselves(templates, stacks):
    """Each application's credential stays in its secret: the custom resource is given the secret's
    ARN, never its value, and only its handler's role may read it."""
    applications = _resources(templates["messaging"], "Custom::SnsPlatformApplication")
    assert sorted(application["Properties"]["Platform"] for application in applications.values()) == ["APNS", "GCM"]
    for application in applications.values():
        assert set(application["Properties"]) == {"ServiceToken", "Name", "Platform", "SecretArn",
                                                  "CredentialsRevision"}
        assert "Ref" in application["Properties"]["SecretArn"]
    readers = [statement for statement in _statements(templates["messaging"])
               if "secretsmanager:GetSecretValue" in _statement_actions(statement)]
    assert len(readers) == 1 and "Credentials" in json.dumps(readers[0]["Resource"])
    for name in stacks.apps:
        variables = [function["Properties"]["Environment"]["Variables"]
                     for function in _resources(templates[name], "AWS::Serverless::Function").values()]
        for environment in variables:
            assert {"PHANANH_PUSH_FCM_APPLICATION_ARN", "PHANANH_PUSH_APNS_APPLICATION_ARN"} <= environment.keys()


def test_only_submit_reads_the_hmac_secret(templates, stacks):
    readers = [name for name in stacks.apps if any(
        action.startswith("secretsmanager:") for action in _actions(templates[name]))]
    assert readers == ["submit"]


def _apps_signing_photo_links(apps) -> set[str]:
    """The apps whose code can sign a photo link: those that load a domain module asking the photo
    storage for one (every app loads the adapter itself, through phananh.bootstrap)."""
    from pathlib import Path

    from import_probe import modules_loaded_by

    import phananh

    package = Path(phananh.__file__).parent
    signers = {
        "phananh." + ".".join(path.relative_to(package).with_suffix("").parts)
        for path in package.rglob("*.py")
        if "adapters" not in path.relative_to(package).parts and ".photo_link(" in path.read_text(encoding="utf-8")
    }
    assert signers, "no module signs photo links any more: update this test"
    return {
        app for app in apps
        if modules_loaded_by(f"from phananh_local.apps import load_chalice_app; load_chalice_app({app!r})", signers)
    }


def test_every_role_may_read_every_prefix_it_signs_links_for(templates, stacks):
    """A presigned link carries its signer's permissions: signed by a role that cannot read the
    object, it answers 403 (the thumbnails of the citizen API did)."""
    from phananh.report.photo_keys import SIGNED_PHOTO_PREFIXES

    signing = _apps_signing_photo_links(stacks.apps)
    assert {"submit", "handle"} <= signing
    for app in signing:
        readable = [
            str(statement["Resource"]) for statement in _statements(templates[app])
            if "s3:GetObject" in _statement_actions(statement)
        ]
        for prefix in SIGNED_PHOTO_PREFIXES:
            assert any(f"/{prefix}*" in resource for resource in readable), (app, prefix)


def _grants(template) -> set[tuple[str, str]]:
    """(action, resource) pairs of a role, resources rendered to a short readable form."""
    import re

    # An imported ARN, named by the logical id of what it names ("ContactKey", "IntakeQueue").
    imported = re.compile(r'\{"Fn::ImportValue": "[\w-]+:ExportsOutput(?:FnGetAtt|Ref)([A-Za-z]+?)[0-9A-F]{8}\w*"\}')

    def name(resource) -> str:
        text = imported.sub(lambda match: match.group(1), json.dumps(resource))
        return re.sub(r"Fn::Join: ?|, ", "", re.sub(r'[{}\[\]"]', "", text))

    grants = set()
    for statement in _statements(template):
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for action in _statement_actions(statement):
            if action.startswith(("xray:", "logs:")):
                continue
            for resource in resources:
                grants.add((action, name(resource)))
    return grants


def test_the_photo_check_role_reaches_quarantine_the_checked_copies_and_the_routing_queue_only(templates):
    assert _grants(templates["photos"]) == {
        ("s3:GetObject", "PhotosBucket/quarantine/*"),
        ("s3:DeleteObject", "PhotosBucket/quarantine/*"),
        ("s3:ListBucket", "PhotosBucket"),
        ("s3:PutObject", "PhotosBucket/public/*"),
        ("s3:PutObject", "PhotosBucket/thumbs/*"),
        ("s3:PutObject", "PhotosBucket/evidence/*"),
        ("sqs:ReceiveMessage", "UploadsQueue"),
        ("sqs:DeleteMessage", "UploadsQueue"),
        ("sqs:ChangeMessageVisibility", "UploadsQueue"),
        ("sqs:GetQueueAttributes", "UploadsQueue"),
        ("sqs:GetQueueUrl", "UploadsQueue"),
        ("sqs:SendMessage", "IntakeQueue"),
        ("sqs:GetQueueAttributes", "IntakeQueue"),
        ("sqs:GetQueueUrl", "IntakeQueue"),
        # The queues' own key, for what SQS needs to read one and write the other: not the contact key.
        ("kms:Decrypt", "QueueKey"),
        ("kms:GenerateDataKey", "QueueKey"),
    }
    # Its logs and traces, and nothing more: no table, contact key, secret or topic.
    assert {action.split(":")[0] for action in _actions(templates["photos"])} == {"s3", "sqs", "kms", "logs", "xray"}


def test_the_route_role_reads_no_photo_and_opens_no_contact(templates):
    grants = _grants(templates["route"])
    s3 = {grant for grant in grants if grant[0].startswith("s3:")}
    assert s3 == {("s3:DeleteObject", "PhotosBucket/public/*"), ("s3:DeleteObject", "PhotosBucket/thumbs/*"),
                  ("s3:DeleteObject", "PhotosBucket/evidence/*")}
    secrets = {grant for grant in grants if grant[0].startswith(("kms:", "secretsmanager:"))}
    assert secrets - {("kms:Decrypt", "QueueKey"), ("kms:GenerateDataKey", "QueueKey")} == set()
    assert {grant[0] for grant in grants if grant[0].startswith("sqs:")} == {
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
        "sqs:ReceiveMessage", "sqs:SendMessage",
    }
    assert {grant[1] for grant in grants if grant[0].startswith("sqs:")} == {"IntakeQueue"}


# The open-data bucket's objects under the served prefix, named by the data stack (phananh_cdk.data_stack).
OPEN_DATA_FILES = f"arn:Ref: AWS::Partition:s3:::{PREFIX}-open-data-Ref: AWS::AccountId-ap-southeast-1/open-data/*"


def test_the_grants_of_each_roles_secrets_and_photos(templates, stacks):
    """Who holds which KMS, secret and S3 grant, role by role (tables and topics are tested above)."""
    expected = {
        "submit": {
            ("kms:Encrypt", "ContactKey"), ("secretsmanager:GetSecretValue", "HmacSecret"),
            ("secretsmanager:DescribeSecret", "HmacSecret"), ("s3:PutObject", "PhotosBucket/quarantine/*"),
            ("s3:GetObject", "PhotosBucket/public/*"), ("s3:GetObject", "PhotosBucket/thumbs/*"),
            ("s3:ListBucket", "PhotosBucket"),
        },
        "handle": {
            ("kms:Decrypt", "ContactKey"), ("s3:PutObject", "PhotosBucket/quarantine/*"),
            ("s3:GetObject", "PhotosBucket/public/*"), ("s3:GetObject", "PhotosBucket/thumbs/*"),
            # The unblurred evidence copies: the officers' view alone links them.
            ("s3:GetObject", "PhotosBucket/evidence/*"), ("s3:ListBucket", "PhotosBucket"),
        },
        "route": {("s3:DeleteObject", "PhotosBucket/public/*"), ("s3:DeleteObject", "PhotosBucket/thumbs/*"),
                  ("s3:DeleteObject", "PhotosBucket/evidence/*")},
        "photos": {("s3:GetObject", "PhotosBucket/quarantine/*"), ("s3:DeleteObject", "PhotosBucket/quarantine/*"),
                   ("s3:ListBucket", "PhotosBucket"), ("s3:PutObject", "PhotosBucket/public/*"),
                   ("s3:PutObject", "PhotosBucket/thumbs/*"), ("s3:PutObject", "PhotosBucket/evidence/*")},
        "schedule": {("s3:ListBucket", "PhotosBucket"),
                     ("s3:DeleteObject", "PhotosBucket/quarantine/*"),
                     # The retention's: the checked copies of the answers' photos alone.
                     ("s3:DeleteObject", "PhotosBucket/public/*/q*"), ("s3:DeleteObject", "PhotosBucket/thumbs/*/q*"),
                     ("s3:DeleteObject", "PhotosBucket/evidence/*/q*"),
                     ("s3:PutObject", OPEN_DATA_FILES), ("s3:GetObject", OPEN_DATA_FILES)},
        "rate": {("kms:Decrypt", "ContactKey"), ("s3:GetObject", "PhotosBucket/public/*"),
                 ("s3:GetObject", "PhotosBucket/thumbs/*"), ("s3:ListBucket", "PhotosBucket")},
        # The push tokens (the contact key, for the push purpose only); no photo.
        "deliver": {("kms:Decrypt", "ContactKey")},
    }
    assert set(stacks.apps) == set(expected)
    for app, grants in expected.items():
        held = {grant for grant in _grants(templates[app])
                if grant[0].startswith(("kms:", "secretsmanager:", "s3:")) and grant[1] != "QueueKey"}
        assert held == grants, app
