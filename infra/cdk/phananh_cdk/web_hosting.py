"""The web apps on the one base URL: their built files in a private bucket that only the distribution
reads (origin access control), a behaviour per static entry of infra/edge-routes.json, the
single-page fallback, the security headers (phananh_cdk.web_apps, as the local gateway sends them)
and each app's config.json, written at deploy time from the pool, its client and the region.

Synth needs each app's build (web/dist/<app>/: `make synth` and `make deploy` build it first). A
synth without it (the infra tests, the local stack, which serves web/dist itself and never runs the
deployment) packs a placeholder page instead and warns on every synth, so that a clean clone
synthesizes without Node and nobody deploys the placeholder unknowingly.
"""

from __future__ import annotations

import json

from aws_cdk import Annotations, Duration, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from phananh_cdk.config import BUILD_DIR, DeployConfig
from phananh_cdk.data_stack import OLD_VERSIONS_DAYS, PRIVATE_BUCKET, DataStack
from phananh_cdk.identity_stack import IdentityStack
from phananh_cdk.web_apps import (
    CLOUD_AUTH_FLOW,
    CONFIG_FILE,
    FRAME_OPTIONS,
    HSTS_MAX_AGE_S,
    IMMUTABLE_CACHE_CONTROL,
    INDEX_FILE,
    REFERRER_POLICY,
    REVALIDATE_CACHE_CONTROL,
    STRICT_TRANSPORT_SECURITY,
    WebOrigins,
    app_config,
    content_security_policy,
    dist_dir,
    static_apps,
    tile_source,
)

PLACEHOLDER_DIR = BUILD_DIR / "web-placeholder"
NOT_BUILT_WARNING = (
    "web/dist/{app} is missing: the template packs a placeholder page for /{app}/. Build it first "
    "(make synth and make deploy do: cd web && npm ci && npm run build)."
)


def spa_function_code(apps: list[str]) -> str:
    """cloudfront-js-2.0 on viewer request: `/<app>` is redirected to `/<app>/`; a path of the app
    whose last segment has no file extension (a screen of the app, a deep link) is its index.html."""
    return f"var APPS = {json.dumps([f'/{app}' for app in apps])};\n" + """\
function handler(event) {
    var request = event.request;
    var uri = request.uri;
    for (var i = 0; i < APPS.length; i++) {
        var base = APPS[i];
        if (uri === base) {
            return { statusCode: 301, statusDescription: 'Moved Permanently',
                     headers: { location: { value: base + '/' } } };
        }
        if (uri.indexOf(base + '/') === 0) {
            var last = uri.substring(uri.lastIndexOf('/') + 1);
            if (last.indexOf('.') === -1) {
                request.uri = base + '/""" + INDEX_FILE + """';
            }
            return request;
        }
    }
    return request;
}
"""


def _placeholder(app: str) -> str:
    folder = PLACEHOLDER_DIR / app
    folder.mkdir(parents=True, exist_ok=True)
    (folder / INDEX_FILE).write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{app} not built</title>'
        f"<p>This deployment was synthesized without web/dist/{app}: build it and deploy again.</p></html>\n",
        encoding="utf-8",
    )
    return str(folder)


class WebApps(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: DeployConfig, data: DataStack, identity: IdentityStack
    ) -> None:
        super().__init__(scope, construct_id)
        self._config = config
        self._identity = identity
        self.apps = static_apps()
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            **PRIVATE_BUCKET,
            # A bad deployment is undone by restoring the previous versions.
            versioned=True,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-old-versions",
                    noncurrent_version_expiration=Duration.days(OLD_VERSIONS_DAYS),
                    expired_object_delete_marker=True,
                ),
                s3.LifecycleRule(
                    id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(1)
                ),
            ],
        )
        self.origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)
        photo_origins = [f"https://{data.photos_bucket.bucket_domain_name}",
                         f"https://{data.photos_bucket.bucket_regional_domain_name}"]
        self.csp = content_security_policy(WebOrigins(
            cognito=f"https://cognito-idp.{config.region}.amazonaws.com",
            uploads=photo_origins, photos=photo_origins, tiles=tile_source(config.tile_url),
        ))
        self.headers_policy = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment=f"{config.resource_prefix}: the web apps' security headers (phananh_cdk.web_apps)",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=self.csp, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(HSTS_MAX_AGE_S),
                    include_subdomains="includeSubDomains" in STRICT_TRANSPORT_SECURITY, override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption[FRAME_OPTIONS], override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy[REFERRER_POLICY.upper().replace("-", "_")],
                    override=True,
                ),
            ),
        )
        self.spa_function = cloudfront.Function(
            self,
            "SpaFallback",
            comment="The web apps' screens and deep links are their index.html",
            code=cloudfront.FunctionCode.from_inline(spa_function_code(self.apps)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )

    def behaviours(self) -> dict[str, cloudfront.BehaviorOptions]:
        """`/<app>` (redirected by the function) and `/<app>/*` of every web app."""
        behaviour = cloudfront.BehaviorOptions(
            origin=self.origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            # The objects' own Cache-Control decides (hashed assets for a year, the rest revalidated).
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            compress=True,
            response_headers_policy=self.headers_policy,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=self.spa_function, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
        )
        return {pattern: behaviour for app in self.apps for pattern in (f"/{app}/*", f"/{app}")}

    def deploy(self, distribution: cloudfront.Distribution) -> None:
        """Each app's files, then its index.html and config.json (so an index never names an asset not
        there yet). Nothing is pruned: a browser still showing the previous index loads its assets."""
        config, identity = self._config, self._identity
        log_group = logs.LogGroup(self, "DeploymentLogs", removal_policy=RemovalPolicy.DESTROY)
        # The configured retention in days, which RetentionDays (an enum of names) cannot take as a number.
        log_group.node.default_child.retention_in_days = config.log_retention_days
        for app in self.apps:
            built = dist_dir(app)
            if (built / INDEX_FILE).is_file():
                source = str(built)
            else:
                source = _placeholder(app)
                Annotations.of(self).add_warning_v2(f"phananh:web:{app}-not-built", NOT_BUILT_WARNING.format(app=app))
            files = s3deploy.BucketDeployment(
                self,
                f"{app.title()}Files",
                destination_bucket=self.bucket,
                destination_key_prefix=f"{app}/",
                sources=[s3deploy.Source.asset(source)],
                exclude=[INDEX_FILE, CONFIG_FILE],
                cache_control=[s3deploy.CacheControl.from_string(IMMUTABLE_CACHE_CONTROL)],
                prune=False,
                log_group=log_group,
            )
            settings = app_config(
                region=config.region,
                user_pool_id=identity.user_pool.user_pool_id,
                client_id=identity.officer_app_client.user_pool_client_id,
                cognito_endpoint=None,
                auth_flow=CLOUD_AUTH_FLOW,
                tile_url=config.tile_url,
                tile_attribution=config.tile_attribution,
            )
            entry = s3deploy.BucketDeployment(
                self,
                f"{app.title()}Entry",
                destination_bucket=self.bucket,
                destination_key_prefix=f"{app}/",
                # Source.json_data would drop the null fields; the ids' tokens need no escaping in JSON, and
                # s3deploy fills them in at deploy time.
                sources=[s3deploy.Source.asset(source), s3deploy.Source.data(CONFIG_FILE, json.dumps(settings))],
                exclude=["*"],
                include=[INDEX_FILE, CONFIG_FILE],
                cache_control=[s3deploy.CacheControl.from_string(REVALIDATE_CACHE_CONTROL)],
                prune=False,
                distribution=distribution,
                # Deep links are rewritten to index.html before the cache: these two are all it holds of the entry.
                distribution_paths=[f"/{app}/{INDEX_FILE}", f"/{app}/{CONFIG_FILE}"],
                log_group=log_group,
            )
            entry.node.add_dependency(files)
