"""Unit tests run on in-memory fakes of our ports (tests/fakes.py): none may reach a network.

Every test here fails, with a message saying where such a test belongs, the moment it opens a network
connection in this process (tests/network_guard.py). Subprocesses (the cold-start import probe, the
rules check command) are left alone: they open no socket here.
"""

import pytest
from network_guard import refuse_network


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)


# --- the use cases on fakes ------------------------------------------------------------------------

@pytest.fixture
def settings():
    """The settings a use case reads: resource names that no fake looks at, the real wards file."""
    from repo_files import WARDS_FILE

    from phananh.shared.settings import Settings

    names = {name: f"unit-test-{name}" for name in (
        "reports_table", "audit_table", "units_table", "officers_table", "routing_rules_table", "rate_limit_table",
        "idempotency_table", "scorecard_table", "follows_table", "photos_bucket", "intake_queue_url",
        "delivery_queue_url",
        "contact_key_id", "secret_arn",
        "alerts_sender", "user_pool_id", "user_pool_client_id", "escalation_state_machine_arn",
    )}
    return Settings(**names, wards_geojson=str(WARDS_FILE),
                    push_fcm_application_arn="arn:aws:sns:ap-southeast-1:123456789012:app/GCM/unit-test-fcm",
                    push_apns_application_arn="arn:aws:sns:ap-southeast-1:123456789012:app/APNS/unit-test-apns")


@pytest.fixture
def ports():
    """A fresh set of in-memory ports (tests/fakes.py) for one test."""
    from fakes import fake_ports

    return fake_ports()


@pytest.fixture
def directory(ports):
    """A small directory on the fake ports: one ward committee that owns roads in Vị Thanh, the
    coordinators, and an officer, a unit head and a coordinator (tests/directory_for_tests.py)."""
    from directory_for_tests import seed

    return seed(ports)


@pytest.fixture
def officer(directory):
    """The small directory's officer of the owner unit, as a signed-in principal."""
    return directory.principal(directory.officer)


@pytest.fixture
def coordinator(directory):
    """The small directory's coordinator, as a signed-in principal."""
    return directory.principal(directory.coordinator)

