"""PynamoDB models: the shape of each table. Only the stores of phananh.adapters.dynamo use them.

Table names come from the settings when a table is first used, not at import, so the same code
serves the cloud, the local stack and the tests.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from phananh.shared.settings import get_settings


class _TableFromSettings:
    """`Meta.table_name` read from the settings each time PynamoDB asks for it."""

    def __init__(self, setting: str):
        self.setting = setting

    def __get__(self, _instance: object, _owner: type) -> str:
        return getattr(get_settings(), self.setting)


class PublicFeedIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "public_feed"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class CategoryFeedIndex(GlobalSecondaryIndex):
    """The public feed again, one partition per field: a filter on the field reads only its reports."""

    class Meta:
        index_name = "category_feed"
        projection = AllProjection()

    category_feed = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class OwnerQueueIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "owner_queue"
        projection = AllProjection()

    owner_status = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class DueWatchIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "due_watch"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class NearbyBandIndex(GlobalSecondaryIndex):
    """Reports still being handled by field and latitude band, then longitude (phananh.routing.latitude_bands)."""

    class Meta:
        index_name = "nearby_band"
        projection = AllProjection()

    nearby_band = UnicodeAttribute(hash_key=True)
    nearby_lon = UnicodeAttribute(range_key=True)


class FiledIndex(GlobalSecondaryIndex):
    """Every report by the month it was filed (UTC), then its filing time: the coordinators' export
    reads a date range across units and states from here."""

    class Meta:
        index_name = "filed"
        projection = AllProjection()

    filed_month = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ReportModel(Model):
    class Meta:
        table_name = _TableFromSettings("reports_table")

    report_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute()
    status = UnicodeAttribute()
    source = UnicodeAttribute()
    category_code = UnicodeAttribute()
    description = UnicodeAttribute()
    lat = NumberAttribute(null=True)
    lon = NumberAttribute(null=True)
    location_from_photo = BooleanAttribute(null=True)
    ward_code = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    photo_count = NumberAttribute()
    tracking_token_hash = UnicodeAttribute()
    contact_ciphertext = BinaryAttribute(null=True, legacy_encoding=False)
    push_ciphertext = BinaryAttribute(null=True, legacy_encoding=False)
    contact_shared = BooleanAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    owner_unit_id = UnicodeAttribute(null=True)
    assignee_id = UnicodeAttribute(null=True)
    acknowledge_due_at = UnicodeAttribute(null=True)
    resolve_due_at = UnicodeAttribute(null=True)
    published_at = UnicodeAttribute(null=True)
    publication = UnicodeAttribute(null=True)
    held_for = JSONAttribute(null=True)
    photos = JSONAttribute(null=True)
    possible_duplicates = JSONAttribute(null=True)
    transfer_count = NumberAttribute(null=True)
    result = JSONAttribute(null=True)
    result_photos = JSONAttribute(null=True)
    merged_into = UnicodeAttribute(null=True)
    merged_reports = JSONAttribute(null=True)
    questions = JSONAttribute(null=True)
    earlier_pauses_s = NumberAttribute(null=True)
    pause_allowance_ends_at = UnicodeAttribute(null=True)
    contact_provided = BooleanAttribute(null=True)
    push_enabled = BooleanAttribute(null=True)
    escalation_level = NumberAttribute(null=True)
    escalation_due = UnicodeAttribute(null=True)
    escalated_at = UnicodeAttribute(null=True)
    escalated_by = UnicodeAttribute(null=True)
    rating_reminded_at = UnicodeAttribute(null=True)
    rating = JSONAttribute(null=True)
    reopen_count = NumberAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    contact_erased_at = UnicodeAttribute(null=True)
    # Index keys, derived from the fields above by phananh.adapters.dynamo.reports; sparse where absent.
    feed = UnicodeAttribute(null=True)
    category_feed = UnicodeAttribute(null=True)
    owner_status = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    nearby_band = UnicodeAttribute(null=True)
    nearby_lon = UnicodeAttribute(null=True)
    filed_month = UnicodeAttribute(null=True)

    public_feed = PublicFeedIndex()
    by_category = CategoryFeedIndex()
    owner_queue = OwnerQueueIndex()
    due_watch = DueWatchIndex()
    nearby = NearbyBandIndex()
    filed = FiledIndex()


class AuditEventModel(Model):
    class Meta:
        table_name = _TableFromSettings("audit_table")

    report_id = UnicodeAttribute(hash_key=True)
    event_key = UnicodeAttribute(range_key=True)
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    public = BooleanAttribute()


class UnitModel(Model):
    class Meta:
        table_name = _TableFromSettings("units_table")

    unit_id = UnicodeAttribute(hash_key=True)
    name = JSONAttribute()
    kind = UnicodeAttribute()
    ward_code = UnicodeAttribute(null=True)
    parent_unit_id = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    topic_arn = UnicodeAttribute(null=True)
    # Absent on units written before units could be disabled: those are active.
    active = BooleanAttribute(null=True)


class OfficersByUnitIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_unit"
        projection = AllProjection()

    unit_id = UnicodeAttribute(hash_key=True)


class OfficerModel(Model):
    class Meta:
        table_name = _TableFromSettings("officers_table")

    officer_id = UnicodeAttribute(hash_key=True)
    unit_id = UnicodeAttribute()
    full_name = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    role = UnicodeAttribute()
    credentials_since = UnicodeAttribute(null=True)

    by_unit = OfficersByUnitIndex()


class RoutingRuleModel(Model):
    class Meta:
        table_name = _TableFromSettings("routing_rules_table")

    category_code = UnicodeAttribute(hash_key=True)
    ward_code = UnicodeAttribute(range_key=True)
    unit_id = UnicodeAttribute()


class RateLimitModel(Model):
    class Meta:
        table_name = _TableFromSettings("rate_limit_table")

    bucket_key = UnicodeAttribute(hash_key=True)
    # When the bucket will be full again (epoch seconds, exact): see phananh.intake.ratelimit.
    full_at = NumberAttribute()
    expires_at = NumberAttribute()


class IdempotencyModel(Model):
    class Meta:
        table_name = _TableFromSettings("idempotency_table")

    idempotency_key = UnicodeAttribute(hash_key=True)
    request_hash = UnicodeAttribute()
    state = UnicodeAttribute()
    response = JSONAttribute(null=True)
    expires_at = NumberAttribute()
    # Fixed by the claim for the request it guards: who asked (a pseudonym) and what it will create.
    caller = UnicodeAttribute(null=True)
    report_id = UnicodeAttribute(null=True)
    # Until when an IN_PROGRESS claim is its holder's: after it, another sender may take it over.
    lease_until = NumberAttribute(null=True)


class FollowModel(Model):
    """A device or an e-mail address following a published report (phananh.transparency.following)."""

    class Meta:
        table_name = _TableFromSettings("follows_table")

    report_id = UnicodeAttribute(hash_key=True)
    # The hash of the follow token: the token itself is never stored.
    follow_id = UnicodeAttribute(range_key=True)
    device_ciphertext = BinaryAttribute(legacy_encoding=False, null=True)
    email_ciphertext = BinaryAttribute(legacy_encoding=False, null=True)
    # An e-mail follow until its address confirmed it: absent on the device follows written before.
    pending = BooleanAttribute(null=True)
    expires_at = NumberAttribute()
