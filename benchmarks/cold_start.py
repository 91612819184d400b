"""Cold start: how long Lambda's first import of each app takes, against `import boto3` alone.

Each sample is a fresh interpreter laid out as Lambda lays out a function: the function's folder
first on sys.path and as working directory (the task root), the shared layer's `python/` folder
after it (/opt/python), every PHANANH_* variable set, and `import app`. The import is timed inside
the process, so the interpreter's own start (the same for both) is not counted.

Then, once per app, a fresh process imports the app, runs its most frequent first request against
a moto server holding the deployed template, and lists the packages loaded at import of which no
function ran during that request: what the app pays for at start without its hot path needing it.

    python -m benchmarks.cold_start [--samples 9]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.common import LAYER_DIR, LOCAL_AWS, REPO_ROOT, deployed_moto, heading, median, verdict

APPS = ("submit", "route", "handle", "schedule", "rate")
TARGET_RATIO = 1.15

_TIMED_IMPORT = """
import json, sys, time
started = time.perf_counter()
import {module}
print(json.dumps({{"ms": (time.perf_counter() - started) * 1000, "modules": len(sys.modules)}}))
"""


def _lambda_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A Lambda-like environment: no PYTHONPATH of the developer's, the layer as /opt/python."""
    from dataclasses import MISSING, fields

    from phananh.shared.settings import ENV_PREFIX, Settings

    keep = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")}
    # What the CDK app sets (the tunables keep their defaults, as in the cloud).
    placeholders = {ENV_PREFIX + field.name.upper(): f"bench-{field.name}"
                    for field in fields(Settings) if field.default is MISSING}
    return {**keep, **LOCAL_AWS, **placeholders, **(extra or {}), "PYTHONPATH": str(LAYER_DIR)}


def _function_dir(app: str) -> Path:
    return REPO_ROOT / "functions" / app


def _timed_import(app: str | None) -> tuple[float, int]:
    """(milliseconds, modules loaded) for `import app` of one function, or `import boto3` (app None)."""
    cwd = _function_dir(app) if app else REPO_ROOT
    # -I is not used: it would drop PYTHONPATH; the task root comes first on sys.path as on Lambda.
    code = _TIMED_IMPORT.format(module="app" if app else "boto3")
    command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(cwd)!r})\n{code}"]
    result = subprocess.run(command, cwd=cwd, env=_lambda_environment(), capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures["ms"], figures["modules"]


def measure_imports(samples: int) -> dict[str, tuple[float, int]]:
    """Median import time per app and for boto3, the samples interleaved so that a slow moment of
    the machine hurts every target alike."""
    times: dict[str, list[float]] = {name: [] for name in ("boto3", *APPS)}
    modules: dict[str, int] = {}
    for _ in range(samples):
        for name in times:
            elapsed, loaded = _timed_import(None if name == "boto3" else name)
            times[name].append(elapsed)
            modules[name] = loaded
    return {name: (median(values), modules[name]) for name, values in times.items()}


# --- what each app loads at start and its first request does not use --------------------------

_FIRST_REQUEST = r"""
import json, sys
sys.path.insert(0, {task_root!r})
import app as lambda_app
at_import = {{name: getattr(module, "__file__", None) for name, module in list(sys.modules.items())}}

from chalice.test import Client
request = json.loads({request!r})
ran = set()

def profile(frame, event, arg):
    if event == "call":
        ran.add(frame.f_code.co_filename)

client = Client(lambda_app.app, project_dir={task_root!r})
sys.setprofile(profile)
if request["kind"] == "http":
    response = client.http.request(request["method"], request["path"], headers=request.get("headers", {{}}),
                                   body=request.get("body", "").encode())
    outcome = response.status_code
else:
    handler = getattr(lambda_app, request["handler"])
    outcome = str(handler(request["event"], None))[:120]
sys.setprofile(None)
print(json.dumps({{"outcome": outcome, "at_import": at_import, "ran": sorted(ran)}}))
"""


def _component(module: str) -> str | None:
    """The unit of the report: each phananh module, else a whole third-party package."""
    top = module.split(".")[0]
    if top in sys.stdlib_module_names or top in ("app", "__main__", "_distutils_hack", "sitecustomize"):
        return None
    return module if top == "phananh" else top


def _import_costs(app: str, environment: dict[str, str]) -> dict[str, float]:
    """Import milliseconds of each component, its modules' own time added up (python -X importtime:
    what the component itself costs, without what it imports from other components)."""
    root = str(_function_dir(app))
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import sys; sys.path.insert(0, {root!r}); import app"],
        cwd=root, env=environment, capture_output=True, text=True, check=True,
    )
    costs: dict[str, float] = {}
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            own, _, name = line.removeprefix("import time:").split("|")
            component = _component(name.strip())
            if component:
                costs[component] = costs.get(component, 0.0) + int(own) / 1000
    return costs


def unused_at_start(app: str, request: dict, environment: dict[str, str]) -> tuple[str, list[tuple[str, float]]]:
    root = str(_function_dir(app))
    code = _FIRST_REQUEST.format(task_root=root, request=json.dumps(request))
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"the first request of {app} failed:\n{result.stderr[-3000:]}")
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    ran = set(probe["ran"])
    used_components, loaded_components = set(), set()
    for module, file in probe["at_import"].items():
        component = _component(module)
        if component is None:
            continue
        loaded_components.add(component)
        if file in ran:
            used_components.add(component)
    costs = _import_costs(app, environment)
    unused = sorted(
        ((component, costs.get(component, 0.0)) for component in loaded_components - used_components),
        key=lambda pair: -pair[1],
    )
    return str(probe["outcome"]), [(component, ms) for component, ms in unused if ms >= 2.0]


def _first_requests(environment: dict[str, str]) -> dict[str, dict]:
    """Each app's most frequent first invocation, with what it needs prepared in the account."""
    import boto3
    from botocore.config import Config
    from chalice.test import Client

    from phananh_local.apps import app_dir, load_chalice_app
    from phananh_local.identities import id_token_for

    body = {"category": "roads", "description": "Ổ gà lớn trước chợ", "location": {"lat": 9.779, "lon": 105.47}}
    with Client(load_chalice_app("submit").app, project_dir=str(app_dir("submit"))) as submit:
        filed = submit.http.post("/reports", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    report_id = filed.json_body["report_id"]
    # The rate app's usual record: a change that counts (a report routed), not a report's creation.
    with Client(load_chalice_app("submit").app, project_dir=str(app_dir("submit"))) as submit:
        counted = submit.http.post("/reports", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    counted_id = counted.json_body["report_id"]
    with Client(load_chalice_app("route").app, project_dir=str(app_dir("route"))) as route:
        event = route.events.generate_sqs_event(
            message_bodies=[json.dumps({"type": "report.submitted", "report_id": counted_id})], queue_name="intake")
        route.lambda_.invoke("handle_intake", event)
    streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
    stream_arn = boto3.client("dynamodb").describe_table(
        TableName=environment["PHANANH_REPORTS_TABLE"])["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    record = next(
        record for record in streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
        if record["eventName"] == "MODIFY" and record["dynamodb"]["Keys"]["report_id"]["S"] == counted_id
    )
    created = record["dynamodb"]["ApproximateCreationDateTime"]
    record["dynamodb"]["ApproximateCreationDateTime"] = int(created.timestamp())  # as Lambda delivers it
    record.update(eventSource="aws:dynamodb", eventSourceARN=stream_arn)
    sqs_message = {"messageId": "bench-1", "receiptHandle": "bench", "body": json.dumps(
        {"type": "report.submitted", "report_id": report_id}), "attributes": {}, "messageAttributes": {},
        "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:ap-southeast-1:123456789012:phananh-intake"}
    token = id_token_for("so_xay_dung.officer")
    return {
        "submit": {"kind": "http", "method": "POST", "path": "/reports", "body": json.dumps(body),
                   "headers": {"Content-Type": "application/json"}},
        "route": {"kind": "event", "handler": "handle_intake", "event": {"Records": [sqs_message]}},
        "handle": {"kind": "http", "method": "GET", "path": "/officer/reports?status=ASSIGNED",
                   "headers": {"Authorization": f"Bearer {token}"}},
        "schedule": {"kind": "event", "handler": "sweep_deadlines", "event": {
            "version": "0", "detail-type": "Scheduled Event", "source": "aws.events", "detail": {}, "resources": [],
            "id": "bench", "time": "2026-11-23T00:00:00Z", "region": "ap-southeast-1", "account": "123456789012"}},
        "rate": {"kind": "event", "handler": "count_report_changes", "event": {"Records": [record]}},
    }


def report_unused_imports() -> None:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with deployed_moto(seed_directory=True) as deployment:
        environment = deployment.environment
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            requests_by_app = _first_requests(environment)
            child_environment = _lambda_environment({**environment, "AWS_ENDPOINT_URL": f"http://{host}:{port}"})
            for app in APPS:
                outcome, unused = unused_at_start(app, requests_by_app[app], child_environment)
                request = requests_by_app[app]
                what = f"{request['method']} {request['path']}" if request["kind"] == "http" else request["handler"]
                print(f"  {app}: first request {what} → {outcome}")
                listed = ", ".join(f"{name} {ms:.0f} ms" for name, ms in unused) or "nothing over 1 ms"
                print(f"    loaded at import, no function of theirs ran (own import time): {listed}")
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=9, help="fresh processes per target (at least 7)")
    arguments = parser.parse_args()
    heading(f"Cold start: handler import vs `import boto3`, median of {arguments.samples} fresh processes")
    figures = measure_imports(max(7, arguments.samples))
    baseline, baseline_modules = figures["boto3"]
    print(f"  {'import boto3':<22} {baseline:7.1f} ms  ({baseline_modules} modules)")
    for app in APPS:
        elapsed, loaded = figures[app]
        ratio = elapsed / baseline
        print(f"  {'functions/' + app:<22} {elapsed:7.1f} ms  ({loaded} modules)  {ratio:4.2f}×  "
              f"target ≤ {TARGET_RATIO}×: {verdict(ratio <= TARGET_RATIO)}")
    heading("Cold start: loaded at import but not used by the first request")
    report_unused_imports()


if __name__ == "__main__":
    main()
