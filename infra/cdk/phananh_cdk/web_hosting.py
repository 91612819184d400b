"""The web apps on the one base URL: their built files in a private bucket that only the distribution
reads (origin access control), under <app>/; the security headers (phananh_cdk.web_apps, as the local
gateway sends them) and each app's config.json, written at deploy time from the pool, its client, the
region and the map tiles.

The site (the static entry at "/" of infra/edge-routes.json) is the distribution's default behaviour:
its viewer-request function makes a page path (the entry's "pages") /site/index.html and a file
/site/<file>, and answers anything else itself with the APIs' JSON 404. The APIs' routes and the
console (/console/*, its single-page fallback) are behaviours ahead of it. The daily open-data
snapshots (OpenDataFiles) are a second private bucket at /open-data/*, cached, open to any origin.
A file the site does not have is the bucket's 403 (origin access control grants no listing); the
local gateway answers it with the JSON 404.

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
    BUILD_MANIFEST_DIR,
    CLOUD_AUTH_FLOW,
    CONFIG_FILE,
    FRAME_OPTIONS,
    HSTS_MAX_AGE_S,
    IMMUTABLE_CACHE_CONTROL,
    IMMUTABLE_PREFIX,
    INDEX_FILE,
    REFERRER_POLICY,
    REVALIDATE_CACHE_CONTROL,
    ROUTE_NOT_FOUND,
    STRICT_TRANSPORT_SECURITY,
    StaticApp,
    WebOrigins,
    app_config,
    content_security_policy,
    dist_dir,
    open_data_route,
    site_app,
    static_apps,
    tile_source,
)

PLACEHOLDER_DIR = BUILD_DIR / "web-placeholder"
NOT_BUILT_WARNING = (
    "web/dist/{app} is missing: the template packs a placeholder page for /{app}/. Build it first "
    "(make synth and make deploy do: cd web && npm ci && npm run build)."
)


def site_function_code(site: StaticApp) -> str:
    """cloudfront-js-2.0 on viewer request, the default behaviour: a page of the site is its index.html,
    a path whose last segment has a file extension is one of its files (under <site>/ in the bucket),
    anything else gets the APIs' JSON 404 (no API route reaches this behaviour)."""
    pages = [page for page in site.pages or () if not page.endswith("/*")]
    sections = [page[:-1] for page in site.pages or () if page.endswith("/*")]
    return (
        f"var PAGES = {json.dumps(pages)};\n"
        f"var SECTIONS = {json.dumps(sections)};\n"
        f"var FOLDER = {json.dumps('/' + site.name)};\n"
        f"var NOT_FOUND = {json.dumps(json.dumps(ROUTE_NOT_FOUND, ensure_ascii=False))};\n"
    ) + """\
function isPage(uri) {
    if (PAGES.indexOf(uri) !== -1) {
        return true;
    }
    for (var i = 0; i < SECTIONS.length; i++) {
        if (uri.length > SECTIONS[i].length && uri.indexOf(SECTIONS[i]) === 0) {
            return true;
        }
    }
    return false;
}

function handler(event) {
    var request = event.request;
    var uri = request.uri;
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    if (last.indexOf('.') !== -1) {
        request.uri = FOLDER + uri;
        return request;
    }
    if (isPage(uri)) {
        request.uri = FOLDER + '/""" + INDEX_FILE + """';
        return request;
    }
    return {
        statusCode: 404,
        statusDescription: 'Not Found',
        headers: {
            'content-type': { value: 'application/json' },
            'cache-control': { value: '""" + REVALIDATE_CACHE_CONTROL + """' }
        },
        body: { encoding: 'text', data: NOT_FOUND }
    };
}
"""


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


def retained_versioned_bucket(scope: Construct, construct_id: str, *, bucket_name: str | None = None) -> s3.Bucket:
    """A private bucket kept when the stack goes and holding its objects' old versions for
    OLD_VERSIONS_DAYS, so that a bad write is undone by restoring them."""
    return s3.Bucket(
        scope,
        construct_id,
        bucket_name=bucket_name,
        **PRIVATE_BUCKET,
        versioned=True,
        removal_policy=RemovalPolicy.RETAIN,
        lifecycle_rules=[
            s3.LifecycleRule(
                id="expire-old-versions",
                noncurrent_version_expiration=Duration.days(OLD_VERSIONS_DAYS),
                expired_object_delete_marker=True,
            ),
            s3.LifecycleRule(id="abort-incomplete-uploads", abort_incomplete_multipart_upload_after=Duration.days(1)),
        ],
    )


class WebApps(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: DeployConfig, data: DataStack, identity: IdentityStack
    ) -> None:
        super().__init__(scope, construct_id)
        self._config = config
        self._identity = identity
        self.apps = static_apps()
        self.site = site_app()
        self.prefixed_apps = [app for app in self.apps if not app.at_root]
        # A bad deployment is undone by restoring the previous versions.
        self.bucket = retained_versioned_bucket(self, "Bucket")
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
            comment="The console's screens and deep links are its index.html",
            code=cloudfront.FunctionCode.from_inline(
                spa_function_code([app.name for app in self.prefixed_apps])
            ),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        self.site_function = cloudfront.Function(
            self,
            "SiteRouting",
            comment="The site's pages are its index.html, its files are under site/, the rest a JSON 404",
            code=cloudfront.FunctionCode.from_inline(site_function_code(self.site)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )

    def _behaviour(self, function: cloudfront.Function) -> cloudfront.BehaviorOptions:
        return cloudfront.BehaviorOptions(
            origin=self.origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            # The objects' own Cache-Control decides (hashed assets for a year, the rest revalidated).
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            compress=True,
            response_headers_policy=self.headers_policy,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=function, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
        )

    def default_behaviour(self) -> cloudfront.BehaviorOptions:
        """The site, at the root: whatever no other behaviour takes."""
        return self._behaviour(self.site_function)

    def behaviours(self) -> dict[str, cloudfront.BehaviorOptions]:
        """`/<app>` (redirected by the function) and `/<app>/*` of every web app under its own prefix."""
        behaviour = self._behaviour(self.spa_function)
        return {pattern: behaviour for app in self.prefixed_apps
                for pattern in (f"{app.path_prefix}*", app.path_prefix[:-1])}

    def deploy(self, distribution: cloudfront.Distribution) -> None:
        """Each app's hashed assets, then the rest of its build and its config.json (so an index never names
        an asset not there yet). Nothing is pruned: a browser still showing the previous index loads its assets."""
        config, identity = self._config, self._identity
        log_group = logs.LogGroup(self, "DeploymentLogs", removal_policy=RemovalPolicy.DESTROY)
        # The configured retention in days, which RetentionDays (an enum of names) cannot take as a number.
        log_group.node.default_child.retention_in_days = config.log_retention_days
        for static_app in self.apps:
            app = static_app.name
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
                exclude=["*"],
                include=[f"{IMMUTABLE_PREFIX}*"],
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
                # The rest of the build (index.html, config.json, the site's sw.js, manifest and icons) is revalidated.
                exclude=[f"{IMMUTABLE_PREFIX}*", f"{BUILD_MANIFEST_DIR}*"],
                cache_control=[s3deploy.CacheControl.from_string(REVALIDATE_CACHE_CONTROL)],
                prune=False,
                distribution=distribution,
                # The functions rewrite paths before the cache: it holds the bucket's keys, <app>/...
                distribution_paths=[f"/{app}/*"],
                log_group=log_group,
            )
            entry.node.add_dependency(files)


# Objects the job wrote without a Cache-Control of their own are kept this long at the edge: a new
# day's files and index appear within it. The job may say otherwise per object.
OPEN_DATA_DEFAULT_TTL = Duration.minutes(10)
OPEN_DATA_MAX_TTL = Duration.days(1)


class OpenDataFiles(Construct):
    """The daily open-data snapshots (the schedule app's job writes them; phananh_cdk.app_stack.grant_schedule):
    a private bucket named by the data stack, read only by the distribution, at /open-data/*, cached, with
    `Access-Control-Allow-Origin: *` so that anyone's page or notebook may fetch them."""

    def __init__(self, scope: Construct, construct_id: str, *, config: DeployConfig, data: DataStack) -> None:
        super().__init__(scope, construct_id)
        self.route = open_data_route()
        # Each day's file is the record of that day: a rewrite by mistake is undone from its versions.
        self.bucket = retained_versioned_bucket(self, "Bucket", bucket_name=data.open_data_bucket_name)
        self.cache_policy = cloudfront.CachePolicy(
            self,
            "Caching",
            comment=f"{config.resource_prefix}: the open-data files, shared by every viewer",
            default_ttl=OPEN_DATA_DEFAULT_TTL,
            min_ttl=Duration.seconds(0),
            max_ttl=OPEN_DATA_MAX_TTL,
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        self.headers_policy = cloudfront.ResponseHeadersPolicy(
            self,
            "Headers",
            comment=f"{config.resource_prefix}: the open-data files, readable from any origin",
            cors_behavior=cloudfront.ResponseHeadersCorsBehavior(
                access_control_allow_origins=["*"],
                access_control_allow_methods=["GET", "HEAD", "OPTIONS"],
                access_control_allow_headers=["*"],
                access_control_allow_credentials=False,
                origin_override=True,
            ),
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(HSTS_MAX_AGE_S),
                    include_subdomains="includeSubDomains" in STRICT_TRANSPORT_SECURITY, override=True,
                ),
            ),
        )

    def behaviours(self) -> dict[str, cloudfront.BehaviorOptions]:
        return {
            f"{self.route.path_prefix}*": cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
                cache_policy=self.cache_policy,
                compress=True,
                response_headers_policy=self.headers_policy,
            )
        }
