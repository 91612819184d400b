"""Settings shared by every test: AWS is always moto, never a real account."""

import os
from pathlib import Path

import pytest
from repo_files import WARDS_FILE

for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(name, None)
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="ap-southeast-1",
    AWS_REGION="ap-southeast-1",
    POWERTOOLS_METRICS_DISABLED="true",
    POWERTOOLS_LOG_LEVEL="WARNING",
)

UNIT_TESTS = (Path(__file__).parent / "unit").resolve()


def pytest_configure(config):
    """One moto account for the session, shared by tests/integration and tests/resilience: a plugin,
    so that its session fixtures exist once (two conftests importing them would deploy twice). A run
    of unit tests alone, which never touch AWS, does not load it (moto, Chalice and the local stack
    take seconds to import)."""
    if not all(_is_unit_test(arg) for arg in config.args):
        config.pluginmanager.import_plugin("aws_account")


def _is_unit_test(arg: str) -> bool:
    path = Path(arg.split("::")[0]).resolve()
    return path == UNIT_TESTS or UNIT_TESTS in path.parents


@pytest.fixture(scope="session")
def wards():
    """The real ward boundaries of the former Hậu Giang area, loaded once."""
    from phananh.routing.geo import load_wards

    return load_wards(WARDS_FILE)
