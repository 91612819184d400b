"""`make dev`: the whole system on 127.0.0.1, built from the same CDK template as the cloud.

moto's server plays AWS, in a process of its own (phananh_local.moto_process); the template's
resources are created in it; the Chalice apps answer behind one base URL; SQS deliveries, stream
records, schedules and moto's own invocations run our handlers in this process; alerts print here.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

LOCAL_ACCOUNT_DEFAULTS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": "ap-southeast-1",
    "AWS_REGION": "ap-southeast-1",
    # Metrics are CloudWatch EMF lines: useless noise in a terminal.
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make dev", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("PHANANH_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PHANANH_PORT", "8000")))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("PHANANH_MOTO_PORT", "5005")))
    parser.add_argument(
        "--time-scale", type=float, default=float(os.environ.get("PHANANH_TIME_SCALE", "1")),
        help="run schedules this many times faster (60: a 5-minute schedule every 5 s)",
    )
    parser.add_argument(
        "--deadline-scale", type=float, default=float(os.environ.get("PHANANH_DEADLINE_SCALE", "1")),
        help="make deadlines pass this many times faster (480: an 8-hour deadline in a minute; dev only)",
    )
    parser.add_argument(
        "--demo-history", action=argparse.BooleanOptionalAction, default=True,
        help="seed 90 days of reports through the use cases (cached for the rest of the day)",
    )
    parser.add_argument("--quiet", action="store_true", help="no access log")
    return parser.parse_args()


def _point_boto_at_moto(host: str, moto_port: int) -> str:
    endpoint = f"http://{host}:{moto_port}"
    for name, value in LOCAL_ACCOUNT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    return endpoint


class MotoProcess:
    """moto's server as a child process (phananh_local.moto_process): it answers AWS's APIs on its
    port, posts the Lambda invocations it makes to `invoke_url`, and prints the alerts once told."""

    def __init__(self, host: str, port: int, invoke_url: str):
        self.endpoint = f"http://{host}:{port}"
        # The child imports this package (moto's fixes and gates) wherever the stack was started from.
        package_root = str(Path(__file__).resolve().parents[1])
        search_path = os.pathsep.join(filter(None, (package_root, os.environ.get("PYTHONPATH"))))
        self.child = subprocess.Popen(  # noqa: S603 (our interpreter and module, our own arguments)
            [sys.executable, "-m", "phananh_local.moto_process", "--host", host, "--port", str(port),
             "--invoke-url", invoke_url],
            stdin=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": search_path},
        )

    def wait_ready(self, timeout_s: float = 120) -> None:
        import requests

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.child.poll() is not None:
                raise RuntimeError(f"moto's process ended at its start (exit code {self.child.returncode})")
            try:
                # Configured (Lambda without Docker, moto's default being Docker) is its last step before
                # it forwards invocations and follows our commands.
                if requests.get(f"{self.endpoint}/moto-api/config", timeout=2).json()["lambda"]["use_docker"] is False:
                    return
            except (requests.RequestException, ValueError, KeyError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"moto's process did not answer on {self.endpoint} within {timeout_s:g} s")

    def print_alerts(self, region: str) -> None:
        """From now on each e-mail, SMS and push sent prints in the terminal."""
        assert self.child.stdin is not None
        self.child.stdin.write(f"alerts {region}\n")
        self.child.stdin.flush()

    def stop(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()  # its end of input: it stops its server and ends
        try:
            self.child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()


# One demo officer of each role, for the banner: the owner of the curl example's field, its head,
# and a coordinator.
DEMO_SIGN_INS = (
    ("officer", "so_xay_dung.officer"),
    ("unit_head", "so_xay_dung.head"),
    ("coordinator", "ban_dieu_phoi.coordinator1"),
)


def _console(base_url: str) -> str:
    from phananh.processing.sign_in import MFA_REQUIRED_ROLES
    from phananh_local.identities import DEMO_PASSWORD, local_totp_secret

    accounts = [
        f"  {role:<12} {officer_id:<28} {'+ authenticator code' if role in MFA_REQUIRED_ROLES else ''}".rstrip()
        for role, officer_id in DEMO_SIGN_INS
    ]
    return "\n".join([
        f"The officers' console: {base_url}/console/   (password for every demo account: {DEMO_PASSWORD})",
        *accounts,
        "  The authenticator code (unit heads, coordinators): make totp   — or add this secret to an",
        f"  authenticator app (TOTP, 6 digits, 30 s; one secret for every local account): {local_totp_secret()}",
        "",
    ])


def _sign_ins() -> str:
    from phananh_local.identities import DEMO_PASSWORD, id_token_for

    lines = [f"  {role:<12} {officer_id:<28} {id_token_for(officer_id)}" for role, officer_id in DEMO_SIGN_INS]
    return "\n".join([
        f"Officer sign-ins (ID tokens for `Authorization: Bearer …`, valid 1 h; demo password {DEMO_PASSWORD}):",
        *lines,
        "  Another one: make token OFFICER=ubnd_31321.officer",
        "  Try: curl -s BASE/officer/reports?status=ASSIGNED -H 'Authorization: Bearer TOKEN'",
    ])


def _banner(base_url: str, moto_endpoint: str, time_scale: float, deadline_scale: float) -> str:
    example = {
        "category": "roads",
        "description": "Ổ gà lớn trước chợ Vị Thanh, xe máy dễ té.",
        "location": {"lat": 9.779, "lon": 105.47},
        "photo_count": 0,
    }
    return f"""
phananh is running.
  Base URL (point the app here):  {base_url}
  The public site and web reporting: {base_url}/   (report from a phone: {base_url}/new)
  Local AWS (moto):               {moto_endpoint}   (its state: {moto_endpoint}/moto-api/)
  Schedules run {time_scale:g}x faster than in the cloud; deadlines pass {deadline_scale:g}x faster.
  (A demo of escalation: make dev TIME_SCALE=60 DEADLINE_SCALE=480 — a report filed now is
  escalated to its unit head about a minute later, then to the coordinators and the supervisors.)

File a report:
  curl -s -X POST {base_url}/reports -H 'Content-Type: application/json' \\
    -H "Idempotency-Key: $(python3 -c 'import uuid; print(uuid.uuid4())')" \\
    -d '{json.dumps(example, ensure_ascii=False)}'
Follow it (report_id and tracking_token from the answer above):
  curl -s {base_url}/reports/REPORT_ID -H 'Authorization: Bearer TRACKING_TOKEN'

Alerts (SES e-mail, SNS SMS/push) print below as they are sent.  Ctrl-C stops everything.
"""


# The demo history's last month of nightly open-data snapshots: all 90 days' files took 9 s or more
# of the start on a busy machine (moto's S3 puts), the last 30 about 4 s.
HISTORY_SNAPSHOT_DAYS = 30


def _write_history_snapshots() -> str:
    """The snapshot job of the last nights the demo history spans (the local stack starts with none),
    so that /data lists their days."""
    from phananh import bootstrap
    from phananh.shared.clock import utc_now
    from phananh.shared.settings import get_settings
    from phananh.transparency.snapshots import write_missing_snapshots

    started = time.monotonic()
    written = write_missing_snapshots(days=HISTORY_SNAPSHOT_DAYS, ports=bootstrap.ports(), settings=get_settings(),
                                      now=utc_now())
    return f"{len(written)} days of {sum(snapshot.rows for snapshot in written)} reports written in " \
           f"{time.monotonic() - started:.1f} s"


def main() -> None:
    arguments = _arguments()
    moto_endpoint = _point_boto_at_moto(arguments.host, arguments.moto_port)
    started = time.monotonic()

    # Imported after the environment points boto3 and PynamoDB at moto.
    from phananh.shared.settings import ENV_PREFIX
    from phananh_local.assembly import cloud_assembly
    from phananh_local.demo import seed_demo_data
    from phananh_local.demo_history_cache import seed_history
    from phananh_local.deploy import deploy, local_wards_geojson
    from phananh_local.dispatch import InvocationServer, start_event_sources
    from phananh_local.gateway import EdgeServer
    from phananh_local.web_sites import local_web_sites

    assembly = cloud_assembly()
    invocations = InvocationServer(arguments.host)
    threading.Thread(target=invocations.serve_forever, name="invocations", daemon=True).start()
    moto = MotoProcess(arguments.host, arguments.moto_port, invocations.url)
    stop = threading.Event()
    edge = None
    try:
        moto.wait_ready()
        deployment = deploy(assembly, local_overrides={
            "PHANANH_WARDS_GEOJSON": str(local_wards_geojson()),
            # The deep links of the alert e-mails, the followers' pushes and the relayed questions:
            # the console and the site the edge serves here.
            "PHANANH_CONSOLE_URL": f"http://{arguments.host}:{arguments.port}/console",
            "PHANANH_SITE_URL": f"http://{arguments.host}:{arguments.port}",
        })
        os.environ.update(deployment.environment)
        # Read by phananh.report.deadlines, the one place deadlines are decided; never set in the cloud.
        os.environ["PHANANH_DEADLINE_SCALE"] = f"{arguments.deadline_scale:g}"
        # The template names its region in ARNs; clients must live there too.
        os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = deployment.region
        invocations.serve(deployment.functions)
        seeded = seed_demo_data()
        history = seed_history(deployment.functions) if arguments.demo_history else None
        snapshots = _write_history_snapshots() if history is not None else None
        sites = local_web_sites(
            moto_endpoint=moto_endpoint, region=deployment.region,
            user_pool_id=deployment.environment["PHANANH_USER_POOL_ID"],
            client_id=deployment.environment["PHANANH_USER_POOL_CLIENT_ID"],
        )
        # The event sources before the edge, so that no request's change is missed; the stream's
        # records of the history are counted already (or restored counted).
        start_event_sources(
            deployment.functions, time_scale=arguments.time_scale, stop=stop, streams_from_now=history is not None
        )
        edge = EdgeServer(
            arguments.host, arguments.port, quiet=arguments.quiet, sites=sites,
            open_data_bucket=deployment.environment.get(f"{ENV_PREFIX}OPEN_DATA_BUCKET"),
        )
        threading.Thread(target=edge.serve_forever, name="edge", daemon=True).start()
        moto.print_alerts(deployment.region)

        base_url = f"http://{arguments.host}:{edge.server_address[1]}"
        print(_banner(base_url, moto_endpoint, arguments.time_scale, arguments.deadline_scale), flush=True)
        print(_console(base_url), flush=True)
        print(_sign_ins().replace("BASE", base_url), flush=True)
        if history is not None:
            print(f"  Demo history: {history.describe()}.", flush=True)
        if snapshots is not None:
            print(f"  Open-data snapshots: {snapshots}.", flush=True)
        print(f"  Ready in {time.monotonic() - started:.1f} s; seeded {seeded}.", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if edge is not None:
            edge.shutdown()
            edge.server_close()
        invocations.shutdown()
        moto.stop()
        print("phananh stopped; ports freed.", flush=True)
