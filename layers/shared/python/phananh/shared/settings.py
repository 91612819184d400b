"""Typed settings, read from the environment the first time they are needed.

Every function of the system receives the same variables (the CDK app sets them, the local stack
copies them from the synthesized template), so one process can host several apps.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, fields
from functools import cache
from pathlib import Path

ENV_PREFIX = "PHANANH_"


@dataclass(frozen=True)
class Settings:
    reports_table: str
    audit_table: str
    units_table: str
    officers_table: str
    routing_rules_table: str
    rate_limit_table: str
    idempotency_table: str
    # Public scorecards per unit and field and day, kept from the reports stream (phananh.transparency.scorecards).
    scorecard_table: str
    # Devices following published reports, to be pushed their status changes (phananh.transparency.following).
    follows_table: str
    photos_bucket: str
    intake_queue_url: str
    # The outbox's delivery queue: one message per side effect of a change (phananh.outbox).
    delivery_queue_url: str
    contact_key_id: str
    secret_arn: str
    wards_geojson: str
    alerts_sender: str
    user_pool_id: str
    user_pool_client_id: str
    # The Step Functions state machine that escalates a missed deadline (phananh.escalation.sweeper).
    escalation_state_machine_arn: str
    stage: str = "local"
    # How far (metres) outside the configured wards a reported point may lie: GPS drifts and
    # boundaries follow rivers, so a point just over the line is still ours.
    service_area_margin_m: int = 2000
    max_photos: int = 5
    photo_max_bytes: int = 10 * 1024 * 1024
    upload_url_ttl_s: int = 900
    device_bucket_capacity: int = 10
    device_refill_per_hour: int = 10
    ip_bucket_capacity: int = 30
    ip_refill_per_hour: int = 60
    idempotency_ttl_s: int = 24 * 3600
    public_page_size: int = 20
    # The league tables rank a unit or field only with at least this many reports resolved in the
    # period (phananh.transparency.league): fewer are listed, not ranked.
    league_min_resolved: int = 20
    # GET /public/nearby, per caller address: a burst of this many, refilling so many per hour.
    nearby_bucket_capacity: int = 60
    nearby_refill_per_hour: int = 600
    # Reports whose photos never all arrive are routed anyway after this (SQS's longest delay).
    photo_cutoff_s: int = 900
    # A point outside every ward polygon still belongs to the nearest ward centre this close.
    ward_max_distance_m: int = 3000
    duplicate_radius_m: int = 50
    # Units and routing rules a container read are reused this many seconds (adapters.dynamo.directory):
    # a change made through another container reaches this one within it. 0: read every time.
    directory_cache_ttl_s: int = 60
    photo_url_ttl_s: int = 3600
    # Open311's jurisdiction_id: when set, GeoReport requests must name it (empty: not checked).
    open311_jurisdiction_id: str = ""
    # The request header that carries the citizen's address when an edge stands in front of the APIs
    # (the cloud's CloudFront function writes it, overwriting whatever the viewer sent); empty: the
    # connection's source address is the citizen's, as when clients reach the API directly.
    client_address_header: str = ""
    # Personal Data Protection Law: the reporter's contact, push token and unpublished free text
    # are erased this many days after the report ended (closed, rejected or merged).
    personal_data_retention_days: int = 90
    # 1: unit heads and coordinators without TOTP enrolled in Cognito are refused (processing.sign_in);
    # 0: not checked.
    require_mfa_for_leads: int = 1
    # Where the officers' web console is served (e.g. https://phananh.example.vn/console): alert
    # e-mails link to `<console_url>/reports/<report_id>`. Empty: the e-mails carry no link.
    console_url: str = ""
    # Where the public site is served (e.g. https://phananh.example.vn): followers' pushes link to
    # `<site_url>/report/<report_id>`, a question relayed to a reporter to `<site_url>/mine/<report_id>`.
    # Empty: the messages carry no link.
    site_url: str = ""
    # 1: a new report's alert is e-mailed once, to the owner unit's shared address (when SES takes it),
    # instead of to each of its officers: a province whose units keep a shared inbox pays one e-mail
    # per report, not one per officer. Escalations and the assignee's e-mail still go to people.
    alert_unit_inbox: int = 0
    # Open data (phananh.transparency.open_data): the most rows one CSV or GeoJSON download holds, and
    # the bucket the daily snapshots go to under open-data/ (empty: the snapshot job does nothing).
    open_data_max_rows: int = 5000
    open_data_bucket: str = ""
    # How many working days, at most, the questions to a reporter may pause a report's resolve clock
    # in all (phananh.report.deadlines.question_pause); 0: questions never pause it.
    question_pause_working_days: int = 3
    # The SNS platform applications reporters' apps are pushed through (phananh.report.push_device),
    # one per push service; empty: that service's tokens are refused at submission.
    push_fcm_application_arn: str = ""
    push_apns_application_arn: str = ""

    def push_application_arn(self, platform: str) -> str:
        """The platform application of one push service ("fcm", "apns"); empty when there is none."""
        return {"fcm": self.push_fcm_application_arn, "apns": self.push_apns_application_arn}[platform]

    @property
    def wards_geojson_path(self) -> Path:
        return Path(self.wards_geojson)


def _coerce(raw: str, annotation: str) -> object:
    # `from __future__ import annotations` leaves field types as strings.
    return int(raw) if annotation == "int" else raw


class MissingSettingError(RuntimeError):
    pass


@cache
def get_settings() -> Settings:
    values: dict[str, object] = {}
    missing = []
    for field in fields(Settings):
        raw = os.environ.get(ENV_PREFIX + field.name.upper())
        if raw is None:
            if field.default is MISSING:
                missing.append(ENV_PREFIX + field.name.upper())
            continue
        values[field.name] = _coerce(raw, field.type)
    if missing:
        raise MissingSettingError("missing environment variables: " + ", ".join(missing))
    return Settings(**values)


def resource_prefix() -> str:
    return os.environ.get("PHANANH_RESOURCE_PREFIX", "phananh")


def unit_topic_name(unit_id: str) -> str:
    """The SNS topic that reaches one unit's officers by SMS/push."""
    return f"{resource_prefix()}-unit-{unit_id}"


def intake_queue_name() -> str:
    """Fixed, because Chalice needs the queue when it reads the route app's decorators."""
    return f"{resource_prefix()}-intake"


def delivery_queue_name() -> str:
    """The outbox's effects, each delivered on its own (the deliver app's decorator)."""
    return f"{resource_prefix()}-delivery"


def uploads_queue_name() -> str:
    """Where S3 announces quarantined uploads to the photo check (the photos app's decorator)."""
    return f"{resource_prefix()}-uploads"
