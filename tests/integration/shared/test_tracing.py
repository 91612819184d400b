"""In a traced Lambda invocation a handler's work is an X-Ray subsegment (the middleware every app wears),
and botocore, which carries every AWS call, is patched.

A fresh interpreter plays the Lambda runtime (its environment variables) and this test plays the
X-Ray daemon: the UDP socket the SDK sends finished segments to.
"""

import json
import os
import socket
import subprocess
import sys

from repo_files import REPO_ROOT

TRACE_ROOT = "1-5759e988-bd862e3fe1be46a994272793"
INVOCATION = """
from chalice.test import Client
from phananh_local.apps import load_chalice_app
with Client(load_chalice_app("submit").app) as client:
    assert client.http.get("/categories").status_code == 200
from aws_xray_sdk.core import patcher
print(sorted(patcher._PATCHED_MODULES))
"""


def _run_as_lambda(daemon_port: int) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(REPO_ROOT / part) for part in ("layers/shared/python", "infra/local")),
        "AWS_LAMBDA_FUNCTION_NAME": "phananh-submit",
        "LAMBDA_TASK_ROOT": str(REPO_ROOT / "functions/submit"),
        "_X_AMZN_TRACE_ID": f"Root={TRACE_ROOT};Parent=53995c3f42cd8ad8;Sampled=1",
        "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{daemon_port}",
    }
    return subprocess.run([sys.executable, "-c", INVOCATION], capture_output=True, text=True, check=True,
                          env=environment, cwd=REPO_ROOT, timeout=60)


def test_a_route_called_in_lambda_sends_its_subsegment_and_aws_calls_are_patched():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(("127.0.0.1", 0))
        daemon.settimeout(10)
        finished = _run_as_lambda(daemon.getsockname()[1])
        header, document = daemon.recv(65536).decode().split("\n", 1)
    assert json.loads(header) == {"format": "json", "version": 1}
    subsegment = json.loads(document)
    assert (subsegment["name"], subsegment["trace_id"]) == ("## GET /categories", TRACE_ROOT)
    assert subsegment["annotations"] == {"Service": "phananh"}
    assert json.loads(finished.stdout.replace("'", '"')) == ["botocore"]
