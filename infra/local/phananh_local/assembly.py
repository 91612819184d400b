"""Synthesizes the CDK app into <repo>/cdk.out, again only when one of its inputs changed."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
CDK_DIR = REPO_ROOT / "infra" / "cdk"
ASSEMBLY_DIR = REPO_ROOT / "cdk.out"
BUILD_DIR = CDK_DIR / ".build"
INPUTS_DIGEST_FILE = "phananh-inputs.sha256"
DEFAULT_REGION = "ap-southeast-1"
# What else the synthesized output depends on besides our files.
TOOL_DISTRIBUTIONS = ("aws-cdk-lib", "constructs", "chalice")
# Context the local stack sets over cdk.json's (the CDK reads it from CDK_CONTEXT_JSON, key by key):
# moto answers no SRP, so the demo officers sign in with the password flows (admin for tokens, plain
# for the console).
LOCAL_CONTEXT = {"password_sign_in": True}


class SynthError(RuntimeError):
    pass


def cdk_context() -> dict:
    return json.loads((CDK_DIR / "cdk.json").read_text(encoding="utf-8"))["context"]


def local_wards_geojson() -> Path:
    """The configured wards GeoJSON on this machine (the cloud reads its copy in the layer).

    Same rule as the CDK app: the context path is relative to the repository root.
    """
    return (REPO_ROOT / cdk_context()["wards_geojson"]).resolve()


def _input_files() -> list[Path]:
    cdk_sources = [
        path
        for path in CDK_DIR.rglob("*.py")
        if not {".build", "cdk.out", "__pycache__"} & set(path.relative_to(CDK_DIR).parts)
    ]
    functions = REPO_ROOT / "functions"
    return sorted(
        {
            *cdk_sources,
            CDK_DIR / "cdk.json",
            *functions.glob("*/app.py"),
            *functions.glob("*/requirements.txt"),
            *functions.glob("*/.chalice/config.json"),
            *functions.glob("*/chalicelib/**/*.py"),
            *(REPO_ROOT / "layers" / "shared" / "python").rglob("*.py"),
            *(REPO_ROOT / "infra" / "statemachines").glob("*.json"),
            # The edge stack's path table and the dependencies layer's packages. Not web/dist: the local
            # stack serves the web apps from that folder and never runs their bucket deployment, so a
            # new build must not cost a synth (make synth always synthesizes afresh).
            REPO_ROOT / "infra" / "edge-routes.json",
            REPO_ROOT / "layers" / "shared" / "requirements.txt",
            local_wards_geojson(),
        }
    )


def inputs_digest() -> str:
    digest = hashlib.sha256(json.dumps(LOCAL_CONTEXT, sort_keys=True).encode())
    for distribution in TOOL_DISTRIBUTIONS:
        digest.update(f"{distribution}=={metadata.version(distribution)}\n".encode())
    for path in _input_files():
        digest.update(os.path.relpath(path, REPO_ROOT).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cloud_assembly(refresh: bool = False) -> Path:
    """Returns the cloud assembly folder, synthesizing it first if its inputs changed.

    Serialised with a file lock, so concurrent callers (two test workers, the dev server and a
    test run) neither synthesize twice nor read a half-written folder.
    """
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with open(BUILD_DIR / "assembly.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = inputs_digest()
        stamp = ASSEMBLY_DIR / INPUTS_DIGEST_FILE
        if not refresh and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
            return ASSEMBLY_DIR
        print(f"phananh: synthesizing the CDK app into {ASSEMBLY_DIR}", file=sys.stderr)
        staging = Path(tempfile.mkdtemp(prefix="cdk.out-", dir=BUILD_DIR))
        try:
            _synthesize(staging)
            (staging / INPUTS_DIGEST_FILE).write_text(digest, encoding="utf-8")
            _replace_dir(ASSEMBLY_DIR, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return ASSEMBLY_DIR


def _synthesize(outdir: Path) -> None:
    env = {
        **os.environ,
        "CDK_OUTDIR": str(outdir),
        "CDK_CONTEXT_JSON": json.dumps(LOCAL_CONTEXT),
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", DEFAULT_REGION),
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
    }
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=CDK_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SynthError(f"CDK synth failed ({result.returncode}):\n{result.stderr[-4000:]}")


def _replace_dir(target: Path, new: Path) -> None:
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix="cdk.out-old-", dir=BUILD_DIR))
        os.rename(target, retired / target.name)
        shutil.rmtree(retired)
    os.rename(new, target)
