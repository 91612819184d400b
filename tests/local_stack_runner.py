"""The local stack started as `make dev` starts it, for the end-to-end tests."""

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3

REPO_ROOT = Path(__file__).resolve().parents[1]
REGION = "ap-southeast-1"
# The first start of a day (or after a code change) replays the demo history through the use
# cases through the outbox's hops, ≈ 5 minutes on two quiet cores (benchmarks/demo_history.py), over
# 10 on busy ones; the later ones restore it from its cache in seconds. Stacks started at once wait
# for the one replaying, then restore.
STARTUP_LIMIT_S = 780


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a new `make dev` could listen there (its servers, like this probe, reuse addresses
    whose old connections are still in TIME_WAIT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class LocalStack:
    """`make dev` in a subprocess; with the demo history (its default) unless told otherwise."""

    def __init__(self, *, demo_history: bool = True):
        self.port, self.moto_port = free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.moto_url = f"http://127.0.0.1:{self.moto_port}"
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                str(REPO_ROOT / part) for part in ("layers/shared/python", "infra/cdk", "infra/local")
            ),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "phananh_local", "--port", str(self.port),
             "--moto-port", str(self.moto_port), "--quiet",
             "--demo-history" if demo_history else "--no-demo-history"],
            cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, limit_s: float) -> str:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.output.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no {pattern!r} from the local stack; it said:\n{''.join(self.output)}")

    def aws(self, service: str):
        return boto3.client(service, endpoint_url=self.moto_url, region_name=REGION)

    def interrupt(self) -> int:
        """Ctrl-C, as a terminal sends it to the whole process group."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=30)

    def shut_down(self) -> None:
        """Stop it if it still runs: Ctrl-C, and killed if it has not stopped 30 s later."""
        if self.process.poll() is not None:
            return
        try:
            self.interrupt()
        except subprocess.TimeoutExpired:
            print("  ! the local stack did not stop within 30 s of Ctrl-C; killed", flush=True)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()




def running_stack(*, demo_history: bool = False):
    """A started stack for a module's tests; stopped (killed if need be) afterwards. The end-to-end
    flows count what they file on an empty stack; the browser tests ask for the demo history."""
    local = LocalStack(demo_history=demo_history)
    try:
        local.wait_for(r"Ready in", STARTUP_LIMIT_S)
        yield local
    finally:
        if local.process.poll() is None:
            local.process.kill()
            local.process.wait()


def banner_tokens(stack: LocalStack) -> dict[str, tuple[str, str]]:
    """role → (officer id, ID token), from the sign-in lines `make dev` prints."""
    found = {}
    for line in stack.output:
        match = re.match(r"^\s+(officer|unit_head|coordinator)\s+(\S+)\s+(eyJ\S+)\s*$", line)
        if match:
            found[match.group(1)] = (match.group(2), match.group(3))
    return found


def wait_until(check, limit_s: float = 15):
    """The first truthy answer of `check`, polled until `limit_s` runs out."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("condition not reached in time")
