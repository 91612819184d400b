"""The AWS account the integration and resilience tests share (a pytest plugin, see tests/conftest.py):
one moto account per session, built from the synthesized CDK template, wiped clean before every test
(much faster than deploying the template again each time).

Tests that need AWS take the `aws` fixture; none starts a `mock_aws()` of its own, which would
reset the shared account.
"""

import os
import threading

import boto3
import pytest
from chalice.test import Client
from delivery_flows import start_outbox
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from phananh import bootstrap
from phananh.adapters.aws import secrets
from phananh.adapters.dynamo import directory
from phananh.shared.settings import get_settings
from phananh_local.apps import app_dir, load_chalice_app
from phananh_local.assembly import cloud_assembly
from phananh_local.demo import seed_demo_data
from phananh_local.deploy import deploy, local_wards_geojson
from phananh_local.gateway import EdgeServer
from phananh_local.moto_fixes import serialize_dynamodb_transactions


@pytest.fixture(scope="session")
def deployed_account():
    saved = dict(os.environ)
    serialize_dynamodb_transactions()
    # Step Functions executions really run (waits included: see tests/integration/test_escalation.py).
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}):
        deployment = deploy(
            cloud_assembly(), local_overrides={"PHANANH_WARDS_GEOJSON": str(local_wards_geojson())}
        )
        os.environ.update(deployment.environment)
        yield deployment
    os.environ.clear()
    os.environ.update(saved)


# Reference data the tests share (see `demo_directory`); everything else is wiped per test.
DIRECTORY_TABLES = {"PHANANH_UNITS_TABLE", "PHANANH_OFFICERS_TABLE", "PHANANH_ROUTING_RULES_TABLE"}


def _wipe(deployment) -> None:
    dynamodb = boto3.client("dynamodb")
    for name, table in deployment.environment.items():
        if not name.endswith("_TABLE") or name in DIRECTORY_TABLES:
            continue
        key_names = [key["AttributeName"] for key in dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            for item in page["Items"]:
                dynamodb.delete_item(TableName=table, Key={key: item[key] for key in key_names})
    # PurgeQueue is limited to once a minute per queue, and receiving never sees delayed
    # messages: empty moto's queues directly.
    for queue in sqs_backends[DEFAULT_ACCOUNT_ID][deployment.region].queues.values():
        queue._messages.clear()
        queue._pending_messages.clear()
    ses_backends[DEFAULT_ACCOUNT_ID][deployment.region].sent_messages.clear()
    for topic in sns_backends[DEFAULT_ACCOUNT_ID][deployment.region].topics.values():
        topic.sent_notifications.clear()
    for variable in ("PHANANH_PHOTOS_BUCKET", "PHANANH_OPEN_DATA_BUCKET"):
        boto3.resource("s3").Bucket(deployment.environment[variable]).objects.all().delete()


@pytest.fixture(scope="session")
def cognito_keys(deployed_account):
    """Where officers' tokens are verified: the pool's keys, served by a moto server in this process.

    PyJWT fetches the keys with urllib, which the in-process mock does not intercept; the server
    shares the mock's state, and the code finds it as `make dev`'s does, through the endpoint variable.
    """
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ["AWS_ENDPOINT_URL_COGNITO_IDP"] = f"http://{host}:{port}"
    yield os.environ["AWS_ENDPOINT_URL_COGNITO_IDP"]
    del os.environ["AWS_ENDPOINT_URL_COGNITO_IDP"]
    server.stop()


@pytest.fixture
def aws(deployed_account):
    _wipe(deployed_account)
    get_settings.cache_clear()
    secrets.fetched_secret.cache_clear()
    # Units and rules an earlier test changed other than through the adapter are read afresh.
    directory.recent_reads.forget()
    # The wipe's deletions and earlier tests' changes are behind it.
    start_outbox(deployed_account)
    yield deployed_account
    get_settings.cache_clear()


@pytest.fixture
def submit_api(aws):
    with Client(load_chalice_app("submit").app, project_dir=str(app_dir("submit"))) as client:
        yield client


@pytest.fixture(scope="session")
def demo_directory(deployed_account):
    """Units, officers (with sign-ins), unit topics and routing rules: seeded once, never wiped."""
    get_settings.cache_clear()
    seed_demo_data()


@pytest.fixture
def seeded(aws, demo_directory):
    return aws


@pytest.fixture
def rate_api(seeded):
    with Client(load_chalice_app("rate").app, project_dir=str(app_dir("rate"))) as client:
        yield client


@pytest.fixture
def ports():
    """The real adapters on the moto account (tests/unit's conftest passes fakes under this name)."""
    return bootstrap.ports()


@pytest.fixture
def route_api(seeded):
    with Client(load_chalice_app("route").app, project_dir=str(app_dir("route"))) as client:
        yield client


@pytest.fixture
def edge(seeded, cognito_keys):
    server = EdgeServer("127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
