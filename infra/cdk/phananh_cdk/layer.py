"""The shared Lambda layers, built locally without Docker.

Two layers per app: the third-party packages of layers/shared/requirements.txt (rebuilt only when
that file changes) and our own package with the configured wards GeoJSON (rebuilt on every code
change, and small). Lambda extracts layers under /opt and puts /opt/python on sys.path, so each
folder is laid out as python/....

The packages come from a wheelhouse of Lambda-platform wheels that `make install` downloads
(`python -m phananh_cdk.layer download`, the one step that needs PyPI); synth installs from it
offline.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from phananh_cdk.config import BUILD_DIR, SHARED_LAYER_SOURCE

LAYER_MOUNT = "/opt"
WARDS_DIR_IN_LAYER = "python/phananh_geo"
SHARED_REQUIREMENTS = SHARED_LAYER_SOURCE.parent / "requirements.txt"
WHEELHOUSE = BUILD_DIR / "wheelhouse"
WHEELHOUSE_STAMP = WHEELHOUSE / "requirements.sha256"
# The python3.11 runtime: Amazon Linux 2023 (glibc 2.34) on x86_64.
LAMBDA_PLATFORM_ARGS = (
    "--platform", "manylinux2014_x86_64",
    "--platform", "manylinux_2_28_x86_64",
    "--only-binary=:all:",
    "--python-version", "3.11",
    "--implementation", "cp",
)
# Every Lambda Python runtime ships these; a copy in the layer would shadow them for ~30 MB.
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
# Lambda's limit for a function and all its layers, unzipped.
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")
# Old enough that no synth still running can be using it.
STALE_BUILD_AGE_S = 24 * 3600


class WheelhouseMissing(RuntimeError):
    pass


# What each kind of layer folder holds: (construct id, description).
LAYER_KINDS = {
    "deps": ("DependenciesLayer", "phananh: third-party packages of layers/shared/requirements.txt"),
    "layer": ("SharedLayer", "phananh: shared package and wards GeoJSON"),
}


def layer_identity(folder: Path) -> tuple[str, str]:
    return LAYER_KINDS[folder.name.split("-", 1)[0]]


def wards_path_in_lambda(wards_geojson: Path) -> str:
    return f"{LAYER_MOUNT}/{WARDS_DIR_IN_LAYER}/{wards_geojson.name}"


def requirements_digest() -> str:
    return hashlib.sha256(SHARED_REQUIREMENTS.read_bytes()).hexdigest()


def download_wheels() -> Path:
    """Fetches Lambda-platform wheels for the shared requirements (and their dependencies)."""
    if WHEELHOUSE_STAMP.is_file() and WHEELHOUSE_STAMP.read_text(encoding="utf-8") == requirements_digest():
        return WHEELHOUSE
    shutil.rmtree(WHEELHOUSE, ignore_errors=True)
    WHEELHOUSE.mkdir(parents=True)
    _pip("download", "--dest", str(WHEELHOUSE), *LAMBDA_PLATFORM_ARGS, "-r", str(SHARED_REQUIREMENTS))
    WHEELHOUSE_STAMP.write_text(requirements_digest(), encoding="utf-8")
    return WHEELHOUSE


def _distribution(wheel: Path) -> str:
    """The normalised project name of a wheel file (PEP 427 / PEP 503)."""
    return re.sub(r"[-_.]+", "-", wheel.name.split("-", 1)[0]).lower()


def layer_wheels() -> list[Path]:
    if not WHEELHOUSE_STAMP.is_file():
        raise WheelhouseMissing(f"no wheelhouse at {WHEELHOUSE}: run `make install` (needs PyPI once)")
    if WHEELHOUSE_STAMP.read_text(encoding="utf-8") != requirements_digest():
        raise WheelhouseMissing(f"{SHARED_REQUIREMENTS} changed since the wheels were downloaded: run `make install`")
    return sorted(wheel for wheel in WHEELHOUSE.glob("*.whl") if _distribution(wheel) not in RUNTIME_PROVIDED)


def build_dependencies_layer_dir() -> Path:
    """The third-party packages, installed for Lambda from the wheelhouse (no network, no Docker).

    The wheelhouse holds exactly the resolved set, so installing it without dependency
    resolution is what leaves the runtime-provided packages out.
    """
    wheels = layer_wheels()
    digest = hashlib.sha256("\n".join(wheel.name for wheel in wheels).encode())

    def fill(staging: Path) -> None:
        _pip(
            "install", "--no-index", "--no-deps", "--no-compile", "--target", str(staging / "python"),
            *LAMBDA_PLATFORM_ARGS, *map(str, wheels),
        )

    return _content_addressed_dir("deps", digest.hexdigest(), fill)


def build_layer_dir(wards_geojson: Path) -> Path:
    """Our package and the wards GeoJSON."""
    sources = sorted(
        path
        for path in SHARED_LAYER_SOURCE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    digest = hashlib.sha256()
    for path in [*sources, wards_geojson]:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())

    def fill(staging: Path) -> None:
        shutil.copytree(SHARED_LAYER_SOURCE, staging / "python", ignore=IGNORED, dirs_exist_ok=True)
        wards_dir = staging / WARDS_DIR_IN_LAYER
        wards_dir.mkdir(parents=True)
        shutil.copyfile(wards_geojson, wards_dir / wards_geojson.name)

    return _content_addressed_dir("layer", digest.hexdigest(), fill)


def _content_addressed_dir(kind: str, digest: str, fill: Callable[[Path], None]) -> Path:
    """A folder named by its content's digest, so concurrent synths never delete each other's input."""
    target = BUILD_DIR / f"{kind}-{digest[:16]}"
    if target.is_dir():
        # Marks it as in use, so pruning (by age) leaves it alone.
        os.utime(target)
        return target
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{kind}-staging-", dir=BUILD_DIR))
    # mkdtemp makes the folder private; the asset zip keeps modes and Lambda is not root.
    staging.chmod(0o755)
    try:
        fill(staging)
        os.rename(staging, target)
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def unzipped_size(folders: Iterable[Path]) -> int:
    return sum(path.stat().st_size for folder in folders for path in folder.rglob("*") if path.is_file())


def prune_stale_builds() -> None:
    """Removes old layer folders and Chalice packages (one is left per changed synth)."""
    cutoff = time.time() - STALE_BUILD_AGE_S
    for path in [*BUILD_DIR.glob("layer-*"), *BUILD_DIR.glob("deps-*"), *BUILD_DIR.glob("chalice.out/*")]:
        if path.stat().st_mtime < cutoff:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _pip(*args: str) -> None:
    # Our own interpreter's pip, with arguments built here.
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *args], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="The shared layers' third-party packages")
    parser.add_argument("command", choices=["download", "size"])
    command = parser.parse_args().command
    if command == "download":
        print(download_wheels())
    else:
        folders = [build_dependencies_layer_dir()]
        print(f"dependencies layer: {unzipped_size(folders) / 2**20:.1f} MiB unzipped (limit 250 MiB)")


if __name__ == "__main__":
    main()
