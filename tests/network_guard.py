"""The socket guard of the unit suite (tests/unit/conftest.py installs it for every unit test): any
network connection opened in the test process fails at once, saying where such a test belongs. Unix
sockets stay allowed (local IPC is not a network); subprocesses are not this process.
"""

import socket

_WHERE_INSTEAD = (
    "a unit test opened a network connection to {address!r}: unit tests run on the fakes of tests/fakes.py; "
    "a test that needs moto or a server belongs in tests/integration/<context>/"
)


class NetworkInUnitTest(AssertionError):
    """A unit test tried to reach the network."""


def _refuse(address: object) -> None:
    raise NetworkInUnitTest(_WHERE_INSTEAD.format(address=address))


def refuse_network(monkeypatch) -> None:
    """Patch the socket module (for the length of one test) so that no network connection opens."""
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
