"""Tables, the photos bucket, the contact-encryption key and the HMAC secret."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from phananh_cdk.config import DeployConfig

QUARANTINE_PREFIX = "quarantine/"
PUBLIC_PREFIX = "public/"
QUARANTINE_DAYS = 2
# How long an overwritten or deleted photo can still be restored (a bug, a stolen role): evidence
# is versioned, and old versions go after this many days.
OLD_VERSIONS_DAYS = 30
# What every bucket of ours is: never public, owned by the account, encrypted, reached over TLS 1.2+.
PRIVATE_BUCKET = {
    "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
    "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    "encryption": s3.BucketEncryption.S3_MANAGED,
    "enforce_ssl": True,
    "minimum_tls_version": 1.2,
}
TTL_ATTRIBUTE = "expires_at"


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class DataStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: DeployConfig, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self._config = config

        self.reports_table = self._table(
            "ReportsTable", "reports", "report_id", stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES
        )
        for index_name, partition_key, sort_key in (
            ("owner_queue", "owner_status", "due_at"),
            ("due_watch", "status", "due_at"),
            ("public_feed", "feed", "published_at"),
            ("category_feed", "category_feed", "published_at"),
            ("nearby_band", "nearby_band", "nearby_lon"),
            ("filed", "filed_month", "created_at"),
        ):
            self.reports_table.add_global_secondary_index(
                index_name=index_name,
                partition_key=_string(partition_key),
                sort_key=_string(sort_key),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        self.audit_table = self._table("AuditTable", "audit", "report_id", sort_key="event_key")
        self.units_table = self._table("UnitsTable", "units", "unit_id")
        self.officers_table = self._table("OfficersTable", "officers", "officer_id")
        self.officers_table.add_global_secondary_index(
            index_name="by_unit",
            partition_key=_string("unit_id"),
            projection_type=dynamodb.ProjectionType.ALL,
        )
        self.routing_rules_table = self._table(
            "RoutingRulesTable", "routing-rules", "category_code", sort_key="ward_code"
        )
        self.rate_limit_table = self._table("RateLimitTable", "rate-limit", "bucket_key", ttl=TTL_ATTRIBUTE)
        self.idempotency_table = self._table("IdempotencyTable", "idempotency", "idempotency_key", ttl=TTL_ATTRIBUTE)
        # Scorecards: counters per scope (unit#…, field#…) and day, plus the marks that make applying
        # a stream record idempotent (expiring by TTL once the stream cannot deliver it again).
        self.scorecard_table = self._table("ScorecardTable", "scorecards", "scope", sort_key="day", ttl=TTL_ATTRIBUTE)
        # Devices following published reports: one partition per report, each follow named by its token's
        # hash, lapsing by TTL (phananh.transparency.following.FOLLOW_DAYS) unless renewed.
        self.follows_table = self._table(
            "FollowsTable", "follows", "report_id", sort_key="follow_id", ttl=TTL_ATTRIBUTE
        )

        # The daily open-data snapshots' bucket is the edge stack's (phananh_cdk.web_hosting.OpenDataFiles:
        # its policy names the distribution that reads it). Named here, like the photos bucket, so that the
        # schedule app, deployed before the edge, writes to it by name: a reference would make a cycle.
        self.open_data_bucket_name = f"{config.physical_name('open-data')}-{self.account}-{self.region}"
        self.open_data_bucket_arn = f"arn:{self.partition}:s3:::{self.open_data_bucket_name}"

        self.photos_bucket = s3.Bucket(
            self,
            "PhotosBucket",
            bucket_name=f"{config.physical_name('photos')}-{self.account}-{self.region}",
            **PRIVATE_BUCKET,
            versioned=True,
            removal_policy=RemovalPolicy.RETAIN,
            # The console posts after-photos from the browser with the presigned POST, with an upload
            # progress listener (which makes the browser ask first). Any origin: the signed policy is
            # what authorises an upload, and the distribution's own name cannot be named here (the
            # edge stack comes after this one); with a domain, only the base URL's.
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.POST],
                    allowed_origins=[f"https://{config.domain_name}"] if config.domain_name else ["*"],
                    allowed_headers=["*"],
                    max_age=3600,
                )
            ],
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-quarantine",
                    prefix=QUARANTINE_PREFIX,
                    expiration=Duration.days(QUARANTINE_DAYS),
                    # Unchecked uploads are no evidence: their old versions need not wait.
                    noncurrent_version_expiration=Duration.days(1),
                ),
                s3.LifecycleRule(
                    id="expire-old-versions",
                    noncurrent_version_expiration=Duration.days(OLD_VERSIONS_DAYS),
                    expired_object_delete_marker=True,
                ),
                s3.LifecycleRule(
                    id="abort-incomplete-uploads",
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
            ],
        )

        self.contact_key = kms.Key(
            self,
            "ContactKey",
            description="Encrypts reporters' optional contact details",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.contact_key_alias = self.contact_key.add_alias(f"alias/{config.physical_name('contact')}")

        self.hmac_secret = secretsmanager.Secret(
            self,
            "HmacSecret",
            secret_name=f"{config.resource_prefix}/hmac",
            description="HMAC key for device ids and tracking tokens",
            generate_secret_string=secretsmanager.SecretStringGenerator(password_length=64, exclude_punctuation=True),
            removal_policy=RemovalPolicy.RETAIN,
        )

    def _table(
        self,
        construct_id: str,
        name: str,
        partition_key: str,
        *,
        sort_key: str | None = None,
        ttl: str | None = None,
        stream: dynamodb.StreamViewType | None = None,
    ) -> dynamodb.Table:
        return dynamodb.Table(
            self,
            construct_id,
            table_name=self._config.physical_name(name),
            partition_key=_string(partition_key),
            sort_key=_string(sort_key) if sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            time_to_live_attribute=ttl,
            stream=stream,
            removal_policy=RemovalPolicy.RETAIN,
        )
