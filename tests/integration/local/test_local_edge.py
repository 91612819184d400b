"""The local edge server answers requests it refuses before reading them as the standard library
means it to, with the status and no traceback."""

import socket
from urllib.parse import urlsplit

import pytest
import requests

# http.server reads at most 64 KiB of request line.
TOO_LONG_PATH = "/reports/" + "a" * 70_000


def _raw_exchange(base_url: str, request: bytes) -> bytes:
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


@pytest.mark.parametrize(
    ("request_bytes", "answer_starts", "status"),
    [
        (f"GET {TOO_LONG_PATH} HTTP/1.1\r\nHost: edge\r\n\r\n".encode(), b"HTTP/1.1 414 ", 414),
        # No version it can read, so the answer is HTTP/0.9's: the error page alone.
        (b"NOT A REQUEST LINE AT ALL\r\n\r\n", b"<!DOCTYPE HTML>", 400),
    ],
    ids=["request line too long", "bad request syntax"],
)
def test_a_request_refused_before_it_is_parsed_gets_its_status(edge, capsys, request_bytes, answer_starts, status):
    answer = _raw_exchange(edge, request_bytes)

    assert answer.startswith(answer_starts), answer[:200]
    assert f"Error code: {status}".encode() in answer
    assert "Traceback" not in capsys.readouterr().err
    # The server goes on serving.
    assert requests.get(f"{edge}/no-such-app", timeout=10).status_code == 404
