"""Deployment configuration, read from the CDK context in one place.

The defaults live in infra/cdk/cdk.json ("context"); `cdk -c key=value` or a test's context
overrides them. This module imports nothing from aws_cdk so other tools can use it cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
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


def _base_url(value: Any) -> str | None:
    """An https origin, without a path: what the alert e-mails' links start with."""
    if value is None:
        return None
    text = str(value).rstrip("/")
    host = text.removeprefix("https://")
    if not text.startswith("https://") or not host or any(char in host for char in "/?#@ \t\n"):
        raise ValueError(f"public_base_url must be an https origin such as https://d111.cloudfront.net: {value!r}")
    return text


@dataclass(frozen=True)
class DeployConfig:
    resource_prefix: str
    stage: str
    region: str
    alerts_sender: str
    wards_geojson: Path
    province: str
    # Who hears of alarms (the ops topic's e-mail subscriptions).
    ops_emails: tuple[str, ...] = ()
    # The public base URL's own name, with an ACM certificate for it in us-east-1 (CloudFront's rule).
    domain_name: str | None = None
    certificate_arn: str | None = None
    # The one base URL (https://…) where officers reach the console, for the alert e-mails' deep
    # links. The functions cannot take it from the CloudFront distribution: the edge stack fronts the
    # app stacks and depends on them. With `domain_name` it is https://<domain_name>; without, set it
    # to the edge stack's BaseUrl output once the first deploy made it (until then no e-mail links).
    public_base_url: str | None = None
    log_retention_days: int = 365
    # Per app: caps that protect what the app calls (SES quota, DynamoDB) or keep a job single.
    reserved_concurrency: Mapping[str, int] = field(default_factory=dict)
    # API Gateway stage throttling, per API: steady requests per second and burst.
    api_rate_per_s: int = 50
    api_burst: int = 100
    # WAF: requests per client IP in any 5 minutes on the anonymous routes.
    anonymous_requests_per_5_min: int = 300
    # WAF: requests per viewer address in any 5 minutes on the officers' API (a unit's office may
    # share one address among all its officers).
    officer_requests_per_5_min: int = 1500
    # Password sign-in (ADMIN_USER_PASSWORD_AUTH and USER_PASSWORD_AUTH) on the officer app's client:
    # only the local stack turns it on (moto cannot answer SRP: its demo tokens are minted with the
    # admin flow, the console signs in with the plain one). The cloud's clients sign in with SRP, and
    # nothing in the cloud signs officers in for them.
    password_sign_in: bool = False
    # The web apps' map tiles (a Leaflet URL template, e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png,
    # and its attribution); none: a blank base with the ward outlines. The CSP admits the tiles' host.
    tile_url: str | None = None
    tile_attribution: str | None = None
    # When reports are expected (local time): the "no submissions for 6 h" alarm watches only then.
    daytime_hours: tuple[int, int] = (7, 21)
    utc_offset_hours: int = 7
    # Bumped (`cdk -c push_credentials_revision=2`) after filling in or rotating a push credential's
    # secret, so that the SNS platform applications read it again (phananh_cdk.push_platforms).
    push_credentials_revision: str = "1"
    # A new report's alert e-mailed once, to the owner unit's shared inbox, not to each officer
    # (PHANANH_ALERT_UNIT_INBOX): for a province whose units keep one.
    alert_unit_inbox: bool = False

    @classmethod
    def from_context(cls, node: ContextReader) -> DeployConfig:
        def required(key: str) -> str:
            value = node.try_get_context(key)
            if not value:
                raise ValueError(f"CDK context key {key!r} is missing (see infra/cdk/cdk.json)")
            return str(value)

        def optional(key: str, default: Any) -> Any:
            value = node.try_get_context(key)
            return default if value is None or value == "" else value

        wards_geojson = repo_path(required("wards_geojson"))
        if not wards_geojson.is_file():
            raise FileNotFoundError(f"wards GeoJSON not found: {wards_geojson}")
        domain_name, certificate_arn = optional("domain_name", None), optional("certificate_arn", None)
        if bool(domain_name) != bool(certificate_arn):
            raise ValueError("set both domain_name and certificate_arn (an ACM certificate in us-east-1), or neither")
        ops_emails = optional("ops_emails", [])
        if isinstance(ops_emails, str):
            # `cdk -c ops_emails=a@x.vn,b@x.vn` passes one string.
            ops_emails = [address.strip() for address in ops_emails.split(",") if address.strip()]
        start, end = (int(hour) for hour in optional("daytime_hours", [7, 21]))
        if not 0 <= start < end <= 24 or end - start < 6:
            raise ValueError("daytime_hours must be [start, end] local hours, at least 6 h apart")
        return cls(
            resource_prefix=required("resource_prefix"),
            stage=required("stage"),
            region=str(node.try_get_context("region") or DEFAULT_REGION),
            alerts_sender=required("alerts_sender"),
            wards_geojson=wards_geojson,
            province=required("province"),
            ops_emails=tuple(ops_emails),
            domain_name=domain_name,
            certificate_arn=certificate_arn,
            public_base_url=_base_url(optional("public_base_url", None)),
            log_retention_days=int(optional("log_retention_days", 365)),
            reserved_concurrency={app: int(n) for app, n in optional("reserved_concurrency", {}).items()},
            api_rate_per_s=int(optional("api_rate_per_s", 50)),
            api_burst=int(optional("api_burst", 100)),
            anonymous_requests_per_5_min=int(optional("anonymous_requests_per_5_min", 300)),
            officer_requests_per_5_min=int(optional("officer_requests_per_5_min", 1500)),
            # `cdk -c password_sign_in=true` passes a string.
            password_sign_in=optional("password_sign_in", False) in (True, "true"),
            tile_url=optional("tile_url", None),
            tile_attribution=optional("tile_attribution", None),
            daytime_hours=(start, end),
            utc_offset_hours=int(optional("utc_offset_hours", 7)),
            push_credentials_revision=str(optional("push_credentials_revision", "1")),
            # `cdk -c alert_unit_inbox=true` passes a string.
            alert_unit_inbox=optional("alert_unit_inbox", False) in (True, "true"),
        )

    @property
    def console_url(self) -> str:
        """Where the console is served ("" when the base URL is not known yet)."""
        base = self.public_base_url or (f"https://{self.domain_name}" if self.domain_name else "")
        return f"{base}/console" if base else ""

    @property
    def site_url(self) -> str:
        """Where the public site is served ("" when the base URL is not known yet)."""
        return self.public_base_url or (f"https://{self.domain_name}" if self.domain_name else "")

    def physical_name(self, name: str) -> str:
        return f"{self.resource_prefix}-{name}"
