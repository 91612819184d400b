"""Canaries for every place we lean on a third-party internal: Chalice's local gateway, moto's
Lambda invoke, DynamoDB writes, dashboard, server and Step Functions waits, PynamoDB's connection
cache, botocore's response. Each checks that the internal still has the name, signature or
behaviour our code relies on, and fails naming the pinned version and the code to re-check, so an
upgrade breaks here, with a reason, instead of somewhere downstream with a puzzle.

Probes stay in process: moto's backends are used directly or under a mock of their own account,
so the session's shared account (tests/aws_account.py) is never touched.
"""

from __future__ import annotations

import inspect
import itertools
import json
import os
import re
import subprocess
import sys
import threading
from importlib import metadata

import boto3
import pytest
from repo_files import REPO_ROOT

REQUIREMENT_FILES = (REPO_ROOT / "requirements.txt", REPO_ROOT / "layers" / "shared" / "requirements.txt")
# Resources the probes make live in accounts of their own, a new one for each test.
CANARY_ACCOUNT = "111122223333"
_canary_accounts = (str(number) for number in itertools.count(int(CANARY_ACCOUNT) + 1))


def broken(distribution: str, what: str, recheck: str) -> str:
    """The failure message: which pin changed what we rely on, and where our code leans on it."""
    pin = next(
        (
            f"{line.strip()} in {file.relative_to(REPO_ROOT)}"
            for file in REQUIREMENT_FILES
            for line in file.read_text(encoding="utf-8").splitlines()
            if re.match(rf"{re.escape(distribution)}(\[[^\]]*\])?==", line.strip(), re.IGNORECASE)
        ),
        f"{distribution} (not pinned)",
    )
    return (
        f"{distribution} {metadata.version(distribution)} (pin: {pin}) no longer does what we rely on: {what}. "
        f"Re-check {recheck} against the new version, then update this canary."
    )


def parameters(function) -> list[str]:
    return list(inspect.signature(inspect.unwrap(function)).parameters)


@pytest.fixture
def canary_account(monkeypatch):
    """moto in process, in a fresh account of its own: inside the session's mock (tests/aws_account.py)
    a nested mock neither resets nor cleans up, so each test takes a new account instead."""
    from moto import mock_aws

    account = next(_canary_accounts)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account)
    with mock_aws(config={"lambda": {"use_docker": False}}):
        yield account


# -- Chalice: the local gateway (infra/local/phananh_local/gateway.py) ------------------------------

GATEWAY = "phananh_local/gateway.py (_ClientAwareGateway, _VerifyingCognitoAuthorizer, EdgeHandler._handle)"


def _chalice_app():
    from chalice import Chalice, CognitoUserPoolAuthorizer

    app = Chalice("canary")
    pool = CognitoUserPoolAuthorizer("canary-pool", provider_arns=["arn:aws:cognito-idp:ap-southeast-1:1:userpool/x"])

    @app.route("/whoami")
    def whoami():
        request = app.current_request
        return {"source_ip": request.context["identity"]["sourceIp"], "headers": dict(request.headers)}

    @app.route("/private", authorizer=pool)
    def private():
        return {"claims": app.current_request.context["authorizer"]["claims"]}

    return app


def _gateway(app, authorizer_class=None, source_ip="203.0.113.7"):
    from chalice.config import Config
    from chalice.local import LocalGateway

    class ClientAwareProbe(LocalGateway):
        """What _ClientAwareGateway does: its own authorizer, and the caller's address in the event."""

        def __init__(self, app_object, config):
            super().__init__(app_object, config)
            if authorizer_class is not None:
                self._authorizer = authorizer_class(app_object)

        def _generate_lambda_event(self, *args, **kwargs):
            event = super()._generate_lambda_event(*args, **kwargs)
            event["requestContext"]["identity"]["sourceIp"] = source_ip
            event["headers"]["x-viewer-address"] = source_ip
            return event

    return ClientAwareProbe(app, Config.create(chalice_stage="dev", app_name="canary"))


def test_chalice_gateway_builds_each_event_through_the_hook_we_override():
    from chalice.local import LocalGateway

    assert parameters(LocalGateway.__init__) == ["self", "app_object", "config"], broken(
        "chalice", "LocalGateway(app_object, config) changed", GATEWAY
    )
    assert parameters(LocalGateway._generate_lambda_event) == ["self", "method", "path", "headers", "body"], broken(
        "chalice", "LocalGateway._generate_lambda_event(method, path, headers, body) changed", GATEWAY
    )
    assert parameters(LocalGateway.handle_request) == ["self", "method", "path", "headers", "body"], broken(
        "chalice", "LocalGateway.handle_request(method, path, headers, body) changed", GATEWAY
    )

    response = _gateway(_chalice_app()).handle_request(method="GET", path="/whoami", headers={}, body=None)

    assert {"statusCode", "headers", "body"} <= response.keys(), broken(
        "chalice", f"handle_request answers {sorted(response)}, not a proxy response", GATEWAY
    )
    body = json.loads(response["body"])
    assert body["source_ip"] == "203.0.113.7", broken(
        "chalice", "an address set in _generate_lambda_event's event no longer reaches the handler", GATEWAY
    )
    assert body["headers"].get("x-viewer-address") == "203.0.113.7", broken(
        "chalice", "a header added to the event's lower-cased `headers` no longer reaches the handler", GATEWAY
    )


def test_chalice_gateway_asks_the_authorizer_we_put_in_its_place():
    from chalice.app import CognitoUserPoolAuthorizer
    from chalice.local import LocalGatewayAuthorizer, LocalGatewayException, NotAuthorizedError

    assert parameters(LocalGatewayAuthorizer.authorize) == ["self", "raw_path", "lambda_event", "lambda_context"], (
        broken("chalice", "LocalGatewayAuthorizer.authorize(raw_path, lambda_event, lambda_context) changed", GATEWAY)
    )
    seen = []

    class RefusingProbe(LocalGatewayAuthorizer):
        def authorize(self, raw_path, lambda_event, lambda_context):
            route = self._route_for_event(lambda_event)
            seen.append(route)
            if route is not None and isinstance(route.authorizer, CognitoUserPoolAuthorizer):
                raise NotAuthorizedError({"Content-Type": "application/json"}, b'{"code": "unauthorized"}')
            return super().authorize(raw_path, lambda_event, lambda_context)

    gateway = _gateway(_chalice_app(), authorizer_class=RefusingProbe)
    with pytest.raises(LocalGatewayException) as refused:
        gateway.handle_request(method="GET", path="/private", headers={}, body=None)
    assert seen and seen[0] is not None, broken(
        "chalice", "the gateway no longer calls self._authorizer, or _route_for_event finds no route", GATEWAY
    )
    error = refused.value
    assert (error.CODE, error.headers, error.body) == (
        401, {"Content-Type": "application/json"}, b'{"code": "unauthorized"}'
    ), broken("chalice", "NotAuthorizedError(headers, body) no longer carries CODE 401, headers and body", GATEWAY)
    # Public routes pass through the parent's authorize untouched.
    assert gateway.handle_request(method="GET", path="/whoami", headers={}, body=None)["statusCode"] == 200


def test_chalice_gateway_refuses_an_unknown_path_with_403():
    from chalice.local import LocalGatewayException

    with pytest.raises(LocalGatewayException) as refused:
        _gateway(_chalice_app()).handle_request(method="GET", path="/nowhere", headers={}, body=None)
    assert refused.value.CODE == 403, broken(
        "chalice", f"an unknown path raises CODE {refused.value.CODE}, the edge turns only 403 into its 404", GATEWAY
    )


def test_local_chalice_keeps_the_current_request_per_thread():
    from chalice import Chalice
    from chalice.local import LocalChalice

    app = Chalice("canary-threads")
    app.__class__ = type("LocalCanary", (LocalChalice, Chalice), {})
    app.current_request = "main thread's"
    other = threading.Thread(target=lambda: setattr(app, "current_request", "other thread's"))
    other.start()
    other.join()
    assert app.current_request == "main thread's", broken(
        "chalice", "LocalChalice no longer keeps current_request per thread (gateway.py swaps the app's class "
        "to it so concurrent requests do not see each other's)", "phananh_local/gateway.py (_gateway_for)"
    )


def test_chalice_lambda_context_and_config_factory_take_what_we_pass():
    from chalice.cli.factory import CLIFactory
    from chalice.local import LambdaContext

    context = LambdaContext(function_name="canary", memory_size=512, max_runtime_ms=60_000)
    assert context.function_name == "canary" and 0 < context.get_remaining_time_in_millis() <= 60_000, broken(
        "chalice", "LambdaContext(function_name, memory_size, max_runtime_ms) changed",
        "phananh_local/dispatch.py (invoke)",
    )
    assert "chalice_stage_name" in parameters(CLIFactory.create_config_obj), broken(
        "chalice", "CLIFactory.create_config_obj(chalice_stage_name=…) changed",
        "phananh_local/gateway.py (_gateway_for)",
    )


def test_chalice_test_client_takes_its_source_address_from_the_converter(monkeypatch):
    from chalice.local import LambdaEventConverter
    from chalice.test import Client

    assert hasattr(LambdaEventConverter, "LOCAL_SOURCE_IP"), broken(
        "chalice", "LambdaEventConverter.LOCAL_SOURCE_IP is gone", "tests/resilience/test_privacy_canary.py (canary_ip)"
    )
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", "198.51.100.23")
    with Client(_chalice_app()) as client:
        answered = client.http.get("/whoami").json_body
    assert answered["source_ip"] == "198.51.100.23", broken(
        "chalice", "chalice.test's Client no longer names LambdaEventConverter.LOCAL_SOURCE_IP as the caller",
        "tests/resilience/test_privacy_canary.py (canary_ip)",
    )


# -- moto: Lambda invocations (phananh_local/moto_process.py, forward_invocations) --------------------

INVOKE = "phananh_local/moto_process.py (forward_invocations)"


def test_moto_runs_the_lambda_invocations_it_makes_itself_through_invoke_lambda(canary_account, monkeypatch):
    """An SNS subscription's delivery (moto's own invocation) reaches LambdaFunction._invoke_lambda.

    With use_docker off, moto answers the Invoke API from LambdaSimpleBackend without it: only the
    invocations moto makes through LambdaFunction.invoke run our handlers.
    """
    from moto.awslambda.models import LambdaFunction

    assert parameters(LambdaFunction._invoke_lambda) == ["self", "event"], broken(
        "moto", "LambdaFunction._invoke_lambda(self, event) changed", INVOKE
    )
    calls = []

    def answered_in_process(function, event=None):
        calls.append((function.function_name, event))
        return json.dumps({"handled": True}), False, ""

    monkeypatch.setattr(LambdaFunction, "_invoke_lambda", answered_in_process)
    role = boto3.client("iam").create_role(
        RoleName="canary", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
    )["Role"]["Arn"]
    function_arn = boto3.client("lambda").create_function(
        FunctionName="canary", Runtime="python3.11", Role=role, Handler="app.handler", Code={"ZipFile": b"PK"}
    )["FunctionArn"]
    sns = boto3.client("sns")
    topic = sns.create_topic(Name="canary")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)

    sns.publish(TopicArn=topic, Message="probe")

    assert [name for name, _ in calls] == ["canary"], broken(
        "moto", "an SNS delivery to a function no longer calls LambdaFunction._invoke_lambda", INVOKE
    )
    event = calls[0][1]
    payload = json.loads(event) if isinstance(event, str | bytes) else event
    assert payload["Records"][0]["Sns"]["Message"] == "probe", broken(
        "moto", f"_invoke_lambda gets the event as {event!r}, not the JSON text or its dict", INVOKE
    )


# -- moto: DynamoDB writes, one at a time (phananh_local/moto_fixes.py) -----------------------------

MOTO_FIXES = "phananh_local/moto_fixes.py (serialize_dynamodb_transactions, _apply_when_every_condition_holds, _apply)"


def _dynamodb_backend():
    """A DynamoDB backend of its own, with one table keyed by pk."""
    from moto.dynamodb.models import DynamoDBBackend

    backend = DynamoDBBackend("ap-southeast-1", CANARY_ACCOUNT)
    backend.create_table(
        "canary",
        schema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        throughput=None,
        attr=[{"AttributeName": "pk", "AttributeType": "S"}],
        global_indexes=None,
        indexes=None,
        streams=None,
        billing_mode="PAY_PER_REQUEST",
        sse_specification=None,
        tags=[],
        deletion_protection_enabled=False,
        warm_throughput=None,
    )
    return backend


def test_moto_dynamodb_write_methods_take_the_arguments_we_pass():
    from moto.dynamodb.models import DynamoDBBackend

    expression = ["condition_expression", "expression_attribute_names", "expression_attribute_values"]
    expected = {
        "transact_write_items": ["self", "transact_items"],
        "get_item": ["self", "table_name", "keys"],
        "put_item": ["self", "table_name", "item_attrs", *expression],
        "delete_item": ["self", "table_name", "key", *expression],
        "update_item": ["self", "table_name", "key", "update_expression", *expression],
    }
    for name, wanted in expected.items():
        assert hasattr(DynamoDBBackend, name), broken("moto", f"DynamoDBBackend.{name} is gone", MOTO_FIXES)
        have = parameters(getattr(DynamoDBBackend, name))
        assert have[: len(wanted[:3])] == wanted[:3] and set(wanted) <= set(have), broken(
            "moto", f"DynamoDBBackend.{name}{tuple(have)} no longer takes {tuple(wanted)}", MOTO_FIXES
        )


def test_moto_dynamodb_internals_the_fast_transaction_path_reads():
    from moto.dynamodb.comparisons import get_filter_expression

    backend = _dynamodb_backend()
    table = backend.tables["canary"]
    assert (table.hash_key_attr, table.range_key_attr) == ("pk", None), broken(
        "moto", "Table.hash_key_attr / range_key_attr changed", MOTO_FIXES
    )
    key = {"pk": {"S": "a"}}
    assert backend.get_item("canary", key) is None, broken("moto", "get_item of a missing item is not None", MOTO_FIXES)
    absent = get_filter_expression("attribute_not_exists(pk)", None, None)
    assert absent.expr(None) is True, broken(
        "moto", "a condition no longer evaluates against a missing item (None)", MOTO_FIXES
    )

    backend.put_item("canary", {"pk": {"S": "a"}, "n": {"N": "1"}}, condition_expression="attribute_not_exists(pk)")
    backend.update_item(
        "canary", key, update_expression="SET n = n + :one", expression_attribute_names=None,
        expression_attribute_values={":one": {"N": "1"}}, condition_expression="n = :one",
    )
    current = backend.get_item("canary", key)
    holds = get_filter_expression("n = :two", None, {":two": {"N": "2"}})
    assert holds.expr(current) is True and absent.expr(current) is False, broken(
        "moto", "get_filter_expression(expression, names, values).expr(item) no longer decides a condition", MOTO_FIXES
    )
    # How a failed fast transaction is undone: the item's JSON attributes put back.
    saved = current.to_json()["Attributes"]
    backend.delete_item("canary", key)
    backend.put_item("canary", saved)
    assert backend.get_item("canary", key).to_json()["Attributes"] == {"pk": {"S": "a"}, "n": {"N": "2"}}, broken(
        "moto", "Item.to_json()['Attributes'] no longer round-trips through put_item", MOTO_FIXES
    )


def test_moto_hands_the_backend_the_transaction_as_sent(canary_account, monkeypatch):
    from moto.dynamodb.models import DynamoDBBackend

    received = []
    original = DynamoDBBackend.transact_write_items

    def recorded(self, transact_items, *args, **kwargs):
        received.append(transact_items)
        return original(self, transact_items, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", recorded)
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName="canary", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )
    put = {"TableName": "canary", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(pk)"}
    sent = [{"Put": put}]

    dynamodb.transact_write_items(TransactItems=sent)

    assert received == [sent], broken(
        "moto", f"the backend gets {received!r}, not the TransactItems as sent (the fast path reads that shape)",
        MOTO_FIXES,
    )


# -- moto: the dashboard without Docker (phananh_local/moto_fixes.py) --------------------------------


def test_moto_docker_client_is_a_property_that_connects_on_read(monkeypatch):
    import docker
    from docker.errors import DockerException
    from moto.awslambda.models import LambdaFunction
    from moto.utilities.docker_utilities import DockerModel

    recheck = "phananh_local/moto_fixes.py (docker_client_missing_without_docker)"
    attribute = inspect.getattr_static(DockerModel, "docker_client")
    assert isinstance(attribute, property) and attribute.fget is not None, broken(
        "moto", "DockerModel.docker_client is no longer a property", recheck
    )
    assert issubclass(LambdaFunction, DockerModel), broken("moto", "LambdaFunction is no longer a DockerModel", recheck)

    def no_docker():
        raise DockerException("no Docker here")

    monkeypatch.setattr(docker, "from_env", no_docker)
    model = DockerModel()
    with pytest.raises(DockerException):
        inspect.unwrap(attribute.fget)(model)


# -- moto: its instance lists held weakly (phananh_local/moto_fixes.py) ------------------------------

WEAK_TRACKING_PROBE = """
import gc, json, boto3
from moto import mock_aws
from moto.core import common_models
from moto.core.base_backend import InstanceTrackerMeta
from moto.sqs.models import Message
from phananh_local.moto_fixes import WeaklyTracked, track_model_instances_weakly

source = common_models.BaseModel.__new__.__code__.co_names
track_model_instances_weakly()
with mock_aws():
    sqs = boto3.client("sqs", region_name="ap-southeast-1")
    url = sqs.create_queue(QueueName="probe")["QueueUrl"]
    for number in range(300):
        sqs.send_message(QueueUrl=url, MessageBody=str(number))
        for message in sqs.receive_message(QueueUrl=url).get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    sqs.send_message(QueueUrl=url, MessageBody="still queued")
    gc.collect()
    from moto.moto_api._internal.responses import MotoAPIResponse
    status, _, body = MotoAPIResponse().model_data(None, None, None)
    print(json.dumps({
        "appends_to_instances_tracked": "instances_tracked" in source and "append" in source,
        "weak": isinstance(Message.instances_tracked, WeaklyTracked),
        "alive": len(Message.instances_tracked),
        "dashboard_messages": len(json.loads(body)["sqs"]["Message"]),
    }))
"""


def test_moto_instance_lists_hold_only_live_instances_once_weak():
    recheck = "phananh_local/moto_fixes.py (track_model_instances_weakly)"
    probe = subprocess.run([sys.executable, "-c", WEAK_TRACKING_PROBE], capture_output=True, text=True, check=False,
                           env={**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                "PYTHONPATH": str(REPO_ROOT / "infra" / "local")})
    assert probe.returncode == 0, broken("moto", f"the weak-tracking probe failed:\n{probe.stderr[-2000:]}", recheck)
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["appends_to_instances_tracked"], broken(
        "moto", "BaseModel.__new__ no longer appends to cls.instances_tracked", recheck
    )
    # 301 messages sent, 300 deleted: one is alive, and the dashboard still lists it.
    assert found["weak"] and found["alive"] == 1 and found["dashboard_messages"] == 1, found


# -- moto: the server we put a gate in front of (phananh_local/s3_post_policy.py) -------------------


def test_moto_threaded_server_runs_the_entry_we_override():
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import WSGIRequestHandler, make_server

    recheck = "phananh_local/s3_post_policy.py (PolicyCheckingMotoServer._server_entry)"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    for name in ("_ip_address", "_port", "_server", "_server_ready_event"):
        assert hasattr(server, name), broken("moto", f"ThreadedMotoServer.{name} is gone", recheck)
    assert "self._server_entry" in inspect.getsource(ThreadedMotoServer.start), broken(
        "moto", "ThreadedMotoServer.start no longer runs self._server_entry in its thread", recheck
    )
    assert parameters(ThreadedMotoServer._server_entry) == ["self"], broken(
        "moto", "ThreadedMotoServer._server_entry(self) changed", recheck
    )
    assert callable(DomainDispatcherApplication(create_backend_app)) and issubclass(
        MotoRequestHandler, WSGIRequestHandler
    ), broken("moto", "DomainDispatcherApplication(create_backend_app) / MotoRequestHandler changed", recheck)
    assert parameters(make_server)[:4] == ["host", "port", "app", "threaded"] and "request_handler" in parameters(
        make_server
    ), broken("werkzeug", "make_server(host, port, app, threaded, request_handler=…) changed", recheck)


# -- moto: Step Functions waits and retries the tests skip ------------------------------------------


def test_moto_step_functions_waits_and_retry_pauses_go_through_what_the_tests_patch():
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

    recheck = "the skip_waits / held_waits / no_retry_pauses fixtures of tests/integration/test_escalation.py, " \
        "tests/resilience/test_redelivery.py and test_lifecycle_properties.py"
    assert parameters(WaitFunction._wait_interval) == ["self", "env", "wait_seconds"], broken(
        "moto", "WaitFunction._wait_interval(self, env, wait_seconds) changed", recheck
    )
    assert "self._wait_interval(" in inspect.getsource(WaitFunction), broken(
        "moto", "a Wait state no longer waits through WaitFunction._wait_interval", recheck
    )
    assert "time.sleep(" in inspect.getsource(retrier_decl) and retrier_decl.time.__name__ == "time", broken(
        "moto", "a Retry pause is no longer retrier_decl.time.sleep", recheck
    )


# -- moto: records the local stack and the tests read or empty directly -----------------------------


def test_moto_keeps_messages_and_notifications_where_we_read_them(canary_account):
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends

    region = "ap-southeast-1"
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="canary")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="m")
    queue = sqs_backends[canary_account][region].queues["canary"]
    assert len(queue._messages) == 1 and isinstance(queue._pending_messages, set), broken(
        "moto", "Queue._messages / Queue._pending_messages changed", "tests/aws_account.py (_wipe)"
    )

    ses = boto3.client("ses")
    ses.verify_email_identity(EmailAddress="from@canary.example")
    ses.send_email(
        Source="from@canary.example", Destination={"ToAddresses": ["to@canary.example"]},
        Message={"Subject": {"Data": "subject"}, "Body": {"Text": {"Data": "body"}}},
    )
    (sent,) = ses_backends[canary_account][region].sent_messages
    assert (sent.subject, sent.destinations["ToAddresses"]) == ("subject", ["to@canary.example"]) and sent.id, broken(
        "moto", "SES sent_messages items no longer have id, destinations and subject",
        "phananh_local/moto_process.py (AlertPrinter), tests/aws_account.py and the tests reading e-mails",
    )

    sns = boto3.client("sns")
    topic = sns.create_topic(Name="canary")["TopicArn"]
    message_id = sns.publish(TopicArn=topic, Message="notice")["MessageId"]
    sms_id = sns.publish(PhoneNumber="+84900000000", Message="sms")["MessageId"]
    backend = sns_backends[canary_account][region]
    notification = backend.topics[topic].sent_notifications[0]
    assert notification[:2] == (message_id, "notice"), broken(
        "moto", "a topic's sent_notifications no longer start (message id, text, …)",
        "phananh_local/moto_process.py (AlertPrinter), tests/aws_account.py (_wipe)",
    )
    assert backend.sms_messages[sms_id] == ("+84900000000", "sms"), broken(
        "moto", "sms_messages no longer map a message id to (phone, text)",
        "phananh_local/moto_process.py (AlertPrinter)",
    )


def test_moto_keeps_platform_endpoints_and_their_attributes_as_we_read_them(canary_account):
    from moto.sns.models import sns_backends

    sns = boto3.client("sns")
    application = sns.create_platform_application(
        Name="canary", Platform="GCM", Attributes={"PlatformCredential": "canary"})["PlatformApplicationArn"]
    arn = sns.create_platform_endpoint(PlatformApplicationArn=application, Token="canary-token")["EndpointArn"]
    sns.publish(TargetArn=arn, Message="push")
    endpoint = sns_backends[canary_account]["ap-southeast-1"].platform_endpoints[arn]
    assert (endpoint.token, endpoint.application.platform, list(endpoint.messages.values())) == (
        "canary-token", "GCM", ["push"]), broken(
        "moto", "platform endpoints no longer keep token, application and messages",
        "phananh_local/moto_process.py (AlertPrinter), tests reading pushes (test_processing, test_crash, fault_run)",
    )


def test_moto_config_still_has_the_switches_we_set():
    from moto.core.config import default_user_config

    recheck = "phananh_local/moto_process.py (start_moto) and tests/aws_account.py (deployed_account)"
    assert "execute_state_machine" in default_user_config.get("stepfunctions", {}), broken(
        "moto", "the stepfunctions.execute_state_machine switch is gone", recheck
    )
    assert "use_docker" in default_user_config.get("lambda", {}), broken(
        "moto", "the lambda.use_docker switch is gone", recheck
    )


# -- PynamoDB and botocore: what the fault injection (tests/resilience/aws_faults.py) resets --------

FAULTS = "tests/resilience/aws_faults.py (_fresh_domain_clients, FaultInjector)"


def test_pynamodb_models_cache_their_connection_where_the_fault_injection_resets_it():
    from pynamodb.attributes import UnicodeAttribute
    from pynamodb.models import Model

    class Canary(Model):
        class Meta:
            table_name = "canary"
            region = "ap-southeast-1"

        pk = UnicodeAttribute(hash_key=True)

    assert hasattr(Model, "_connection"), broken(
        "pynamodb", "Model._connection is gone", FAULTS
    )
    first = Canary._get_connection()
    assert Canary._get_connection() is first, broken("pynamodb", "Model._get_connection() no longer caches", FAULTS)
    Canary._connection = None
    fresh = Canary._get_connection()
    assert fresh is not first and fresh.connection.client is not None, broken(
        "pynamodb", "setting Model._connection = None no longer makes _get_connection() build a new "
        "connection with a botocore client at .connection.client", FAULTS,
    )


def test_botocore_response_reads_the_content_the_fault_injection_sets():
    from botocore.awsrequest import AWSResponse

    response = AWSResponse(url="https://injected.invalid/", status_code=500, headers={}, raw=None)
    response._content = b""
    assert response.content == b"" and response.text == "", broken(
        "botocore", "AWSResponse no longer reads a preset _content (raw=None)", FAULTS
    )
