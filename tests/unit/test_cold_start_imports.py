"""What each app pulls in when Lambda first imports it: heavy libraries only where a path needs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PIL", "pillow_heif", "shapely", "numpy", "holidays", "aws_xray_sdk", "aws_cdk", "moto")


def modules_after_loading(app: str) -> set[str]:
    probe = (
        "import json, sys\n"
        "from phananh_local.apps import load_chalice_app\n"
        f"load_chalice_app({app!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    path = os.pathsep.join(str(REPO_ROOT / part) for part in ("layers/shared/python", "infra/local"))
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )
    return set(json.loads(result.stdout))


def heavy_in(modules: set[str]) -> set[str]:
    return {name for name in HEAVY if name in modules}


def test_the_citizen_api_starts_without_image_geometry_or_calendar_libraries():
    assert heavy_in(modules_after_loading("submit")) == set()


def test_the_route_function_loads_pillow_only_when_a_photo_arrives():
    assert heavy_in(modules_after_loading("route")) == set()


def test_the_rate_app_starts_without_image_geometry_or_calendar_libraries():
    assert heavy_in(modules_after_loading("rate")) == set()


def test_the_schedule_app_starts_without_image_geometry_or_calendar_libraries():
    assert heavy_in(modules_after_loading("schedule")) == set()
