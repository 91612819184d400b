"""The CDK app, synthesized once for every infra test module."""

import os

import pytest

PREFIX = "phananh"
CONTEXT = {"resource_prefix": PREFIX, "stage": "test"}


def silence_jsii() -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture(scope="session")
def cdk_app():
    """(app, stacks) of the whole CDK app with the test context. Imported here so collecting the
    other tests does not start jsii."""
    silence_jsii()
    from phananh_cdk.stacks import build_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHANANH_RESOURCE_PREFIX", PREFIX)
        yield build_app(CONTEXT)


@pytest.fixture(scope="session")
def stacks(cdk_app):
    return cdk_app[1]


@pytest.fixture(scope="session")
def cloud_assembly(cdk_app):
    """The synthesized assembly: synthesis runs cdk-nag and fails on an unacknowledged finding."""
    return cdk_app[0].synth()
