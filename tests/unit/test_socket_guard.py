"""The unit suite's socket guard (tests/network_guard.py, installed by tests/unit/conftest.py): a
network connection fails the test with a message saying where such a test belongs; local sockets
still work."""

import socket
import urllib.request

import pytest
from network_guard import NetworkInUnitTest


def test_a_tcp_connection_is_refused_with_where_the_test_belongs():
    with pytest.raises(NetworkInUnitTest, match="tests/integration/<context>/"):
        socket.create_connection(("127.0.0.1", 9))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as raw, pytest.raises(NetworkInUnitTest):
        raw.connect(("127.0.0.1", 9))
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as raw, pytest.raises(NetworkInUnitTest):
        raw.connect_ex(("::1", 9))


def test_a_library_reaching_for_the_network_is_refused():
    with pytest.raises(NetworkInUnitTest):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)


def test_unix_sockets_still_connect(tmp_path):
    path = str(tmp_path / "guard.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            accepted, _ = server.accept()
            with accepted:
                client.sendall(b"ok")
                assert accepted.recv(2) == b"ok"
