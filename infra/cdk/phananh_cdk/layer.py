"""Builds the shared Lambda layer folder: the phananh package plus the configured wards GeoJSON.

Lambda extracts a layer under /opt and puts /opt/python on sys.path, so the folder is laid out
as python/phananh/... and the GeoJSON goes beside the package.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from phananh_cdk.config import BUILD_DIR, SHARED_LAYER_SOURCE

LAYER_MOUNT = "/opt"
WARDS_DIR_IN_LAYER = "python/phananh_geo"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")
# Old enough that no synth still running can be using it.
STALE_BUILD_AGE_S = 24 * 3600


def wards_path_in_lambda(wards_geojson: Path) -> str:
    return f"{LAYER_MOUNT}/{WARDS_DIR_IN_LAYER}/{wards_geojson.name}"


def build_layer_dir(wards_geojson: Path) -> Path:
    """Returns a folder holding the layer's content, named by the content's digest.

    Content addressing lets two synths run at once without one deleting the other's input.
    """
    sources = sorted(
        path
        for path in SHARED_LAYER_SOURCE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    digest = hashlib.sha256()
    for path in [*sources, wards_geojson]:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    target = BUILD_DIR / f"layer-{digest.hexdigest()[:16]}"
    if target.is_dir():
        return target

    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="layer-", dir=BUILD_DIR))
    # mkdtemp makes the folder private; the asset zip keeps modes and Lambda is not root.
    staging.chmod(0o755)
    shutil.copytree(SHARED_LAYER_SOURCE, staging / "python", ignore=IGNORED, dirs_exist_ok=True)
    wards_dir = staging / WARDS_DIR_IN_LAYER
    wards_dir.mkdir(parents=True)
    shutil.copyfile(wards_geojson, wards_dir / wards_geojson.name)
    try:
        os.rename(staging, target)
    except OSError:
        # Another process built the same content first.
        shutil.rmtree(staging)
    return target


def prune_stale_builds() -> None:
    """Removes old layer folders and Chalice packages (one is left per changed synth)."""
    cutoff = time.time() - STALE_BUILD_AGE_S
    for path in [*BUILD_DIR.glob("layer-*"), *BUILD_DIR.glob("chalice.out/*")]:
        if path.stat().st_mtime < cutoff:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
