"""Integration fixtures: a fresh moto account per test, built from the synthesized CDK template."""

import pytest
from chalice.test import Client
from moto import mock_aws
from phananh import integrations
from phananh.settings import get_settings
from phananh_local.apps import app_dir, load_chalice_app
from phananh_local.assembly import cloud_assembly
from phananh_local.deploy import deploy, local_wards_geojson


@pytest.fixture(scope="session")
def assembly():
    return cloud_assembly()


@pytest.fixture
def aws(assembly, monkeypatch):
    with mock_aws():
        deployment = deploy(
            assembly, local_overrides={"PHANANH_WARDS_GEOJSON": str(local_wards_geojson())}
        )
        for name, value in deployment.environment.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        integrations.server_secret.cache_clear()
        yield deployment
        get_settings.cache_clear()


@pytest.fixture
def submit_api(aws):
    with Client(load_chalice_app("submit").app, project_dir=str(app_dir("submit"))) as client:
        yield client
