"""Deploys a synthesized CDK app onto the AWS endpoint boto3 is configured for (moto, locally).

A small CloudFormation: stacks in dependency order, resources in reference order, intrinsics
resolved (intrinsics.py), the resource types the system uses created through the service APIs (one
module per service, registered in stack.py). Everything is read from the templates, so the local
resources are the cloud ones under the same names.
"""

from __future__ import annotations

import graphlib
import json
from pathlib import Path
from typing import Any

import boto3

from phananh_local.assembly import local_wards_geojson
from phananh_local.deploy.account import Account
from phananh_local.deploy.model import Deployment, DeploymentError, FunctionSpec, StreamSource
from phananh_local.deploy.stack import Stack

__all__ = ["Deployment", "DeploymentError", "FunctionSpec", "StreamSource", "deploy", "local_wards_geojson"]

STACK_ARTIFACT = "aws:cloudformation:stack"


def _stack_order(manifest: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    stacks = {name: artifact for name, artifact in manifest["artifacts"].items() if artifact["type"] == STACK_ARTIFACT}
    graph = {name: set(artifact.get("dependencies", [])) & stacks.keys() for name, artifact in stacks.items()}
    return [(name, stacks[name]) for name in graphlib.TopologicalSorter(graph).static_order()]


def _region(stacks: list[tuple[str, dict[str, Any]]]) -> str:
    """The stacks' region when they name one (ARNs in the templates may spell it out)."""
    named = {artifact["environment"].rsplit("/", 1)[1] for _, artifact in stacks if "environment" in artifact} - {
        "unknown-region"
    }
    if len(named) > 1:
        raise DeploymentError(f"stacks span several regions: {sorted(named)}")
    if named:
        return named.pop()
    region = boto3.session.Session().region_name
    if not region:
        raise DeploymentError("no region: set AWS_DEFAULT_REGION")
    return region


def _shared_environment(functions: list[FunctionSpec]) -> dict[str, str]:
    environments = {json.dumps(spec.environment, sort_keys=True) for spec in functions}
    if len(environments) > 1:
        differing = sorted(
            {
                key
                for spec in functions
                for other in functions
                for key in spec.environment.keys() | other.environment.keys()
                if spec.environment.get(key) != other.environment.get(key)
            }
        )
        raise DeploymentError(f"functions disagree on environment variables: {differing}")
    return dict(functions[0].environment) if functions else {}


def deploy(assembly_dir: Path, *, local_overrides: dict[str, str] | None = None) -> Deployment:
    """Creates every stack of the cloud assembly on the configured endpoint.

    `local_overrides` replaces function environment variables that only make sense in the
    cloud (e.g. PHANANH_WARDS_GEOJSON, a path inside the layer).
    """
    manifest = json.loads((assembly_dir / "manifest.json").read_text(encoding="utf-8"))
    stacks = _stack_order(manifest)
    account = Account(_region(stacks))
    functions: list[FunctionSpec] = []
    physical: dict[str, str] = {}
    skipped: list[str] = []
    for stack_name, artifact in stacks:
        template_file = assembly_dir / artifact["properties"]["templateFile"]
        template = json.loads(template_file.read_text(encoding="utf-8"))
        stack = Stack(account, stack_name, template, dict(local_overrides or {}))
        stack.deploy()
        functions.extend(stack.functions)
        physical.update({f"{stack_name}/{logical_id}": item.ref for logical_id, item in stack.created.items()})
        skipped.extend(stack.skipped)
    return Deployment(
        region=account.region,
        environment=_shared_environment(functions),
        functions=functions,
        physical=physical,
        skipped=skipped,
    )
