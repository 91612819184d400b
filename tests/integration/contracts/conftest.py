"""Contract tests: one suite per store port, run against its in-memory fake (tests/fakes.py) and its
DynamoDB adapter on moto, with the same assertions for both. A fake that passes them may stand in for
the adapter in the unit tests of the use cases."""

import pytest


@pytest.fixture(params=["fake", "dynamo"])
def implementation(request):
    """Which implementation a contract test runs against; "dynamo" brings the moto account up."""
    if request.param == "dynamo":
        request.getfixturevalue("aws")
    return request.param
