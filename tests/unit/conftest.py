"""Unit tests run on in-memory fakes of our ports (tests/fakes.py): none may reach a network.

Every test here fails, with a message saying where such a test belongs, the moment it opens a network
connection in this process. Subprocesses (the cold-start import probe, the rules check command) are
left alone: they open no socket here. Unix sockets stay allowed (local IPC is not a network).
"""

import socket

import pytest

_WHERE_INSTEAD = (
    "a unit test opened a network connection to {address!r}: unit tests run on the fakes of tests/fakes.py; "
    "a test that needs moto or a server belongs in tests/integration/<context>/"
)


class NetworkInUnitTest(AssertionError):
    """A unit test tried to reach the network."""


def _refuse(address: object) -> None:
    raise NetworkInUnitTest(_WHERE_INSTEAD.format(address=address))


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(sock, address):
        if sock.family == socket.AF_UNIX:
            return real_connect(sock, address)
        _refuse(address)

    def guarded_connect_ex(sock, address):
        if sock.family == socket.AF_UNIX:
            return real_connect_ex(sock, address)
        _refuse(address)

    def guarded_create_connection(address, *args, **kwargs):
        _refuse(address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)


# --- the use cases on fakes ------------------------------------------------------------------------

@pytest.fixture
def settings():
    """The settings a use case reads: resource names that no fake looks at, the real wards file."""
    from repo_files import WARDS_FILE

    from phananh.shared.settings import Settings

    names = {name: f"unit-test-{name}" for name in (
        "reports_table", "audit_table", "units_table", "officers_table", "routing_rules_table", "rate_limit_table",
        "idempotency_table", "scorecard_table", "photos_bucket", "intake_queue_url", "contact_key_id", "secret_arn",
        "alerts_sender", "user_pool_id", "user_pool_client_id", "escalation_state_machine_arn",
    )}
    return Settings(**names, wards_geojson=str(WARDS_FILE))


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
