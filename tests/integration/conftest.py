"""Integration fixtures: one moto account per session, built from the synthesized CDK template,
wiped clean before every test (much faster than deploying the template again each time).

Tests that need AWS take the `aws` fixture; none starts a `mock_aws()` of its own, which would
reset the shared account.
"""

import os

import boto3
import pytest
from chalice.test import Client
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sqs.models import sqs_backends

from phananh import integrations
from phananh.settings import get_settings
from phananh_local.apps import app_dir, load_chalice_app
from phananh_local.assembly import cloud_assembly
from phananh_local.deploy import deploy, local_wards_geojson


@pytest.fixture(scope="session")
def deployed_account():
    saved = dict(os.environ)
    with mock_aws():
        deployment = deploy(
            cloud_assembly(), local_overrides={"PHANANH_WARDS_GEOJSON": str(local_wards_geojson())}
        )
        os.environ.update(deployment.environment)
        yield deployment
    os.environ.clear()
    os.environ.update(saved)


def _wipe(deployment) -> None:
    dynamodb = boto3.client("dynamodb")
    for name, table in deployment.environment.items():
        if not name.endswith("_TABLE"):
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
    bucket = boto3.resource("s3").Bucket(deployment.environment["PHANANH_PHOTOS_BUCKET"])
    bucket.objects.all().delete()


@pytest.fixture
def aws(deployed_account):
    _wipe(deployed_account)
    get_settings.cache_clear()
    integrations.server_secret.cache_clear()
    yield deployed_account
    get_settings.cache_clear()


@pytest.fixture
def submit_api(aws):
    with Client(load_chalice_app("submit").app, project_dir=str(app_dir("submit"))) as client:
        yield client
