"""The shared Lambda layers, built locally without Docker.

Two layers per app: the third-party packages of layers/shared/requirements.txt (rebuilt only when
that file changes; the photos function has those of layers/photos/requirements.txt instead, OpenCV
among them, which would take the shared set over Lambda's limit) and our own package with the
configured wards GeoJSON (rebuilt on every code change, and small). Lambda extracts layers under
/opt and puts /opt/python on sys.path, so each folder is laid out as python/....

The packages come from a wheelhouse of Lambda-platform wheels that `make install` downloads
(`python -m phananh_cdk.layer download`, the one step that needs PyPI); synth installs from it
offline.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from phananh.routing.redaction import CASCADES
from phananh_cdk.config import BUILD_DIR, SHARED_LAYER_SOURCE

LAYER_MOUNT = "/opt"
WARDS_DIR_IN_LAYER = "python/phananh_geo"
SHARED_REQUIREMENTS = SHARED_LAYER_SOURCE.parent / "requirements.txt"
PHOTO_REQUIREMENTS = SHARED_LAYER_SOURCE.parents[1] / "photos" / "requirements.txt"
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


@dataclass(frozen=True)
class Dependencies:
    """One set of third-party packages: its requirements, its wheelhouse, the kind of its layer folder."""

    kind: str
    requirements: Path
    wheelhouse: Path
    # What is removed once installed (globs under python/): never imported, and it counts towards
    # Lambda's 250 MB.
    unused: Callable[[Path], Iterable[Path]] | None = None

    @property
    def stamp(self) -> Path:
        return self.wheelhouse / "requirements.sha256"


SHARED_DEPENDENCIES = Dependencies("deps", SHARED_REQUIREMENTS, BUILD_DIR / "wheelhouse")
def _unused_by_the_photo_check(python: Path) -> Iterable[Path]:
    """numpy's own tests, and the cascades OpenCV ships that phananh.routing.redaction does not run."""
    yield from python.glob("numpy/**/tests")
    yield from (cascade for cascade in python.glob("cv2/data/*.xml") if cascade.name not in CASCADES)


PHOTO_DEPENDENCIES = Dependencies(
    "photodeps", PHOTO_REQUIREMENTS, BUILD_DIR / "wheelhouse-photos", _unused_by_the_photo_check
)
DEPENDENCY_SETS = (SHARED_DEPENDENCIES, PHOTO_DEPENDENCIES)

# What each kind of layer folder holds: (construct id, description).
LAYER_KINDS = {
    "deps": ("DependenciesLayer", "phananh: third-party packages of layers/shared/requirements.txt"),
    "photodeps": ("PhotoDependenciesLayer", "phananh: third-party packages of layers/photos/requirements.txt"),
    "layer": ("SharedLayer", "phananh: shared package and wards GeoJSON"),
}


def layer_identity(folder: Path) -> tuple[str, str]:
    return LAYER_KINDS[folder.name.split("-", 1)[0]]


def wards_path_in_lambda(wards_geojson: Path) -> str:
    return f"{LAYER_MOUNT}/{WARDS_DIR_IN_LAYER}/{wards_geojson.name}"


def requirements_digest(dependencies: Dependencies = SHARED_DEPENDENCIES) -> str:
    return hashlib.sha256(dependencies.requirements.read_bytes()).hexdigest()


def download_wheels(dependencies: Dependencies = SHARED_DEPENDENCIES) -> Path:
    """Fetches Lambda-platform wheels for a set of requirements (and their dependencies)."""
    wheelhouse, stamp = dependencies.wheelhouse, dependencies.stamp
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == requirements_digest(dependencies):
        return wheelhouse
    shutil.rmtree(wheelhouse, ignore_errors=True)
    wheelhouse.mkdir(parents=True)
    _pip("download", "--dest", str(wheelhouse), *LAMBDA_PLATFORM_ARGS, "-r", str(dependencies.requirements))
    stamp.write_text(requirements_digest(dependencies), encoding="utf-8")
    return wheelhouse


def _distribution(wheel: Path) -> str:
    """The normalised project name of a wheel file (PEP 427 / PEP 503)."""
    return re.sub(r"[-_.]+", "-", wheel.name.split("-", 1)[0]).lower()


def layer_wheels(dependencies: Dependencies = SHARED_DEPENDENCIES) -> list[Path]:
    wheelhouse, stamp = dependencies.wheelhouse, dependencies.stamp
    if not stamp.is_file():
        raise WheelhouseMissing(f"no wheelhouse at {wheelhouse}: run `make install` (needs PyPI once)")
    if stamp.read_text(encoding="utf-8") != requirements_digest(dependencies):
        raise WheelhouseMissing(
            f"{dependencies.requirements} changed since the wheels were downloaded: run `make install`"
        )
    return sorted(wheel for wheel in wheelhouse.glob("*.whl") if _distribution(wheel) not in RUNTIME_PROVIDED)


def build_dependencies_layer_dir(dependencies: Dependencies = SHARED_DEPENDENCIES) -> Path:
    """The third-party packages, installed for Lambda from the wheelhouse (no network, no Docker).

    The wheelhouse holds exactly the resolved set, so installing it without dependency
    resolution is what leaves the runtime-provided packages out.
    """
    wheels = layer_wheels(dependencies)
    digest = hashlib.sha256("\n".join(wheel.name for wheel in wheels).encode())
    if dependencies.unused is not None:
        # What is removed is part of the folder's content: a change to it makes a new folder.
        digest.update(inspect.getsource(dependencies.unused).encode() + repr(CASCADES).encode())

    def fill(staging: Path) -> None:
        _pip(
            "install", "--no-index", "--no-deps", "--no-compile", "--target", str(staging / "python"),
            *LAMBDA_PLATFORM_ARGS, *map(str, wheels),
        )
        for path in list(dependencies.unused(staging / "python") if dependencies.unused else ()):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    return _content_addressed_dir(dependencies.kind, digest.hexdigest(), fill)


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
    folders = [BUILD_DIR.glob(f"{kind}-*") for kind in LAYER_KINDS]
    for path in [*(path for kind in folders for path in kind), *BUILD_DIR.glob("chalice.out/*")]:
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
    parser = argparse.ArgumentParser(description="The layers' third-party packages")
    parser.add_argument("command", choices=["download", "size"])
    command = parser.parse_args().command
    for dependencies in DEPENDENCY_SETS:
        if command == "download":
            print(download_wheels(dependencies))
        else:
            size = unzipped_size([build_dependencies_layer_dir(dependencies)])
            print(f"{dependencies.requirements}: {size / 2**20:.1f} MiB unzipped (limit 250 MiB)")


if __name__ == "__main__":
    main()
