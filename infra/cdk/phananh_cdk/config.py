"""Deployment configuration, read from the CDK context in one place.

The defaults live in infra/cdk/cdk.json ("context"); `cdk -c key=value` or a test's context
overrides them. This module imports nothing from aws_cdk so other tools can use it cheaply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

CDK_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = CDK_DIR.parent.parent
CDK_JSON = CDK_DIR / "cdk.json"
BUILD_DIR = CDK_DIR / ".build"
FUNCTIONS_DIR = REPO_ROOT / "functions"
SHARED_LAYER_SOURCE = REPO_ROOT / "layers" / "shared" / "python"

DEFAULT_REGION = "ap-southeast-1"


class ContextReader(Protocol):
    def try_get_context(self, key: str) -> Any: ...


def file_context() -> dict[str, Any]:
    """The context block of cdk.json (the CDK CLI reads it too; `python app.py` does not)."""
    return json.loads(CDK_JSON.read_text(encoding="utf-8"))["context"]


def repo_path(relative: str) -> Path:
    """Context paths are relative to the repository root; the shared data lives beside it."""
    return (REPO_ROOT / relative).resolve()


@dataclass(frozen=True)
class DeployConfig:
    resource_prefix: str
    stage: str
    region: str
    alerts_sender: str
    wards_geojson: Path

    @classmethod
    def from_context(cls, node: ContextReader) -> DeployConfig:
        def required(key: str) -> str:
            value = node.try_get_context(key)
            if not value:
                raise ValueError(f"CDK context key {key!r} is missing (see infra/cdk/cdk.json)")
            return str(value)

        wards_geojson = repo_path(required("wards_geojson"))
        if not wards_geojson.is_file():
            raise FileNotFoundError(f"wards GeoJSON not found: {wards_geojson}")
        return cls(
            resource_prefix=required("resource_prefix"),
            stage=required("stage"),
            region=str(node.try_get_context("region") or DEFAULT_REGION),
            alerts_sender=required("alerts_sender"),
            wards_geojson=wards_geojson,
        )

    def physical_name(self, name: str) -> str:
        return f"{self.resource_prefix}-{name}"
