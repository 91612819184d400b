"""What the benchmarks share: the same moto account the integration tests use (deployed from the
synthesized CDK template), order statistics, and one way of printing a figure against its target."""

from __future__ import annotations

import math
import os
import statistics
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phananh_local.deploy import Deployment

REPO_ROOT = Path(__file__).resolve().parents[1]
LAYER_DIR = REPO_ROOT / "layers" / "shared" / "python"
REGION = "ap-southeast-1"

# Dummy credentials and quiet powertools, exactly as tests/conftest.py sets them: AWS is moto here.
LOCAL_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


def use_local_aws() -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(LOCAL_AWS)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1): a value that was actually measured."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def verdict(met: bool) -> str:
    return "target MET" if met else "target MISSED"


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def _assembly() -> Path:
    """The synthesized template; the last one synthesized if the CDK app does not synthesize now
    (said loudly: the figures then describe that template)."""
    from phananh_local.assembly import ASSEMBLY_DIR, SynthError, cloud_assembly

    try:
        return cloud_assembly()
    except SynthError as error:
        if not (ASSEMBLY_DIR / "manifest.json").is_file():
            raise
        print(f"  ! the CDK app does not synthesize now; using the last template in {ASSEMBLY_DIR}:\n"
              f"    {str(error).strip().splitlines()[-1]}", flush=True)
        return ASSEMBLY_DIR


@contextmanager
def deployed_moto(*, seed_directory: bool = False, cognito_server: bool = False) -> Iterator[Deployment]:
    """An in-process moto account holding what the CDK template defines, as the integration tests
    build it; yields the deployment (its functions' environment already in os.environ).

    `cognito_server` also serves the account over HTTP for PyJWT's key fetch (urllib, which the
    in-process mock does not see), as tests/integration/conftest.py does for officers' tokens."""
    use_local_aws()
    from moto import mock_aws

    from phananh.shared.settings import get_settings
    from phananh_local.deploy import deploy, local_wards_geojson
    from phananh_local.moto_fixes import serialize_dynamodb_transactions

    serialize_dynamodb_transactions()
    server = None
    config = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
    with mock_aws(config=config):
        deployment = deploy(_assembly(), local_overrides={"PHANANH_WARDS_GEOJSON": str(local_wards_geojson())})
        os.environ.update(deployment.environment)
        get_settings.cache_clear()
        if cognito_server:
            from moto.server import ThreadedMotoServer

            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            host, port = server.get_host_and_port()
            os.environ["AWS_ENDPOINT_URL_COGNITO_IDP"] = f"http://{host}:{port}"
        if seed_directory:
            from phananh_local.demo import seed_demo_data

            seed_demo_data()
        try:
            yield deployment
        finally:
            if server is not None:
                server.stop()


class AwsCalls:
    """Every AWS call made by any boto3/botocore client of this process (PynamoDB's too), recorded
    by botocore's own event hooks: service, operation, parameters, the parsed answer and its time.

    The hooks join botocore's built-in handlers, which every session registers when it is created,
    so `install()` must run before the first client is made."""

    def __init__(self) -> None:
        self.records: list[dict] = []
        self._local = threading.local()
        self._lock = threading.Lock()

    def install(self) -> AwsCalls:
        from botocore.handlers import BUILTIN_HANDLERS

        BUILTIN_HANDLERS.extend([
            ("before-parameter-build", self._before_parameter_build),
            ("before-call", self._before_call),
            ("after-call", self._after_call),
        ])
        return self

    @contextmanager
    def unrecorded(self) -> Iterator[None]:
        """Calls the benchmark makes to look at the account, not part of what is measured."""
        self._local.paused = True
        try:
            yield
        finally:
            self._local.paused = False

    def _before_parameter_build(self, params: dict, context: dict, **_: object) -> None:
        context["bench_params"] = dict(params)

    def _before_call(self, context: dict, **_: object) -> None:
        context["bench_started"] = time.perf_counter()

    def _after_call(self, model, parsed: dict, context: dict, **_: object) -> None:
        if getattr(self._local, "paused", False):
            return
        record = {
            "service": model.service_model.endpoint_prefix, "operation": model.name,
            "params": context.get("bench_params", {}), "parsed": parsed,
            "seconds": time.perf_counter() - context.get("bench_started", time.perf_counter()),
            "thread": threading.current_thread().name,
        }
        with self._lock:
            self.records.append(record)

    def since(self, start: int) -> list[dict]:
        with self._lock:
            return self.records[start:]


def sms_texts(publishes: list[dict], calls: AwsCalls) -> list[str]:
    """The text of every SMS the recorded SNS publishes sent: one per SMS subscriber of a topic
    published to, one per publish to a phone number."""
    import boto3

    sns, texts = boto3.client("sns"), []
    with calls.unrecorded():
        for call in publishes:
            topic, message = call["params"].get("TopicArn"), call["params"].get("Message", "")
            if topic:
                subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
                texts += [message for item in subscriptions if item["Protocol"] == "sms"]
            elif call["params"].get("PhoneNumber"):
                texts.append(message)
    return texts
