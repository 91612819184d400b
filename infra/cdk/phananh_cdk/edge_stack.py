"""The one public base URL: a CloudFront distribution composing the apps' APIs by path, as the
local gateway does, from the same infra/edge-routes.json; WAF on every API.

Behind CloudFront an API sees an edge server's address and API Gateway's host, not the citizen's.
A viewer-request CloudFront Function therefore writes, on every request, the viewer's address as
CloudFront saw it on the connection (VIEWER_ADDRESS_HEADER) and the host the viewer called
(X-Forwarded-Host, for Open311 discovery), overwriting whatever the viewer sent under those names.
The address header carries the address alone: CloudFront's own CloudFront-Viewer-Address adds the
connection's port, which changes with every connection and would give WAF one rate bucket per
connection.

The WAF web ACLs are REGIONAL and associated with the API stages (one for the anonymous apps, one
with its own rate for the officers' API): a CloudFront-scope ACL must live in us-east-1, which would
split the app across regions (and the local stack, which deploys one region). Each blocks every
request without the origin header, a secret (generated in Secrets Manager, never in the repository)
that CloudFront adds on its way to the origins, so that the APIs answer only through the edge, where
the address header cannot be forged; and it limits each viewer address's rate.

The web apps (the entries of edge-routes.json with "static") are behaviours of the same distribution
(phananh_cdk.web_hosting.WebApps): a private bucket behind origin access control. The site, at the
root, is the default behaviour, so every API prefix has a behaviour of its own; the daily open-data
snapshots (phananh_cdk.web_hosting.OpenDataFiles) are one more, from their own bucket.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Annotations, CfnOutput, Fn, RemovalPolicy, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from phananh_cdk.app_stack import ChaliceAppStack
from phananh_cdk.config import REPO_ROOT, DeployConfig
from phananh_cdk.data_stack import DataStack
from phananh_cdk.identity_stack import IdentityStack
from phananh_cdk.web_hosting import OpenDataFiles, WebApps

EDGE_ROUTES = REPO_ROOT / "infra" / "edge-routes.json"
API_STAGE = "api"
# Written by the viewer-request function; the functions read it (PHANANH_CLIENT_ADDRESS_HEADER).
VIEWER_ADDRESS_HEADER = "x-phananh-viewer-address"
# CloudFront's quota of cache behaviours per distribution (the default one included) unless raised.
CACHE_BEHAVIOURS_QUOTA = 25
# Added by CloudFront to every origin request, with the secret; WAF lets nothing else through.
ORIGIN_HEADER = "x-phananh-origin"
NO_DOMAIN_TLS_WARNING = (
    "No domain_name/certificate_arn: the distribution uses CloudFront's default certificate, which "
    "accepts TLS 1.0 and 1.1 whatever the minimum set; deploy with a domain to require TLS 1.2."
)

# cloudfront-js-2.0. Assigning replaces any value (or values) the viewer sent under the same name.
VIEWER_REQUEST_FUNCTION = f"var ADDRESS_HEADER = {json.dumps(VIEWER_ADDRESS_HEADER)};\n" + """\
function handler(event) {
    var request = event.request;
    request.headers[ADDRESS_HEADER] = { value: event.viewer.ip };
    if (request.headers.host) {
        request.headers['x-forwarded-host'] = { value: request.headers.host.value };
    } else {
        delete request.headers['x-forwarded-host'];
    }
    return request;
}
"""


@dataclass(frozen=True)
class EdgeRoute:
    path_prefix: str
    app: str
    path_suffix: str = ""

    @property
    def path_pattern(self) -> str:
        """The CloudFront path pattern matching what the local gateway matches (prefix, then suffix)."""
        if self.path_suffix:
            return f"{self.path_prefix}*{self.path_suffix}"
        return f"{self.path_prefix}*"

    @property
    def specificity(self) -> tuple[bool, int]:
        # CloudFront takes the first behaviour that matches: the gateway's winner must come first.
        return (bool(self.path_suffix), len(self.path_prefix))


def edge_routes(path: Path = EDGE_ROUTES) -> list[EdgeRoute]:
    """The APIs' routes, most specific first; the web apps' are static_apps(), the open data open_data_route()."""
    routes = [
        EdgeRoute(**route) for route in json.loads(path.read_text(encoding="utf-8"))["routes"] if "app" in route
    ]
    return sorted(routes, key=lambda route: route.specificity, reverse=True)


class EdgeStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        apps: Mapping[str, ChaliceAppStack],
        data: DataStack,
        identity: IdentityStack,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        routes = edge_routes()
        if any(route.path_prefix == "/" for route in routes):
            raise ValueError(f"{EDGE_ROUTES}: '/' is the site's; every API prefix needs its own route")

        # Not data: a new value on a new stack is harmless (CloudFront and WAF take it together).
        self.origin_secret = secretsmanager.Secret(
            self,
            "OriginSecret",
            description=f"{config.resource_prefix}: the {ORIGIN_HEADER} value CloudFront sends and WAF requires",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True, password_length=48
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
        # A {{resolve:secretsmanager:…}} reference, resolved by CloudFormation at deploy time.
        origin_secret_value = self.origin_secret.secret_value.unsafe_unwrap()
        api_origins = {
            name: origins.HttpOrigin(
                f"{stack.api.ref}.execute-api.{self.region}.{self.url_suffix}",
                origin_path=f"/{API_STAGE}",
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                custom_headers={ORIGIN_HEADER: origin_secret_value},
            )
            for name, stack in apps.items()
            if stack.api is not None
        }
        self.viewer_request_function = cloudfront.Function(
            self,
            "ViewerFacts",
            comment="Writes the viewer's address and the host it called for the APIs",
            code=cloudfront.FunctionCode.from_inline(VIEWER_REQUEST_FUNCTION),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )

        def behaviour(app: str) -> cloudfront.BehaviorOptions:
            # No caching, and everything the viewer sent but Host (API Gateway routes on its own
            # name): tracking tokens and officers' ID tokens travel in Authorization, which a
            # cache-disabled behaviour may forward through this policy. Headers the viewer-request
            # function writes count as the viewer's, so this policy forwards them too.
            return cloudfront.BehaviorOptions(
                origin=api_origins[app],
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.viewer_request_function,
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            )

        self.web = WebApps(self, "WebApps", config=config, data=data, identity=identity)
        self.open_data = OpenDataFiles(self, "OpenData", config=config, data=data)

        domain = {}
        if config.domain_name:
            domain = {
                "domain_names": [config.domain_name],
                "certificate": acm.Certificate.from_certificate_arn(self, "Certificate", config.certificate_arn),
            }
        self.distribution = cloudfront.Distribution(
            self,
            "PublicApi",
            comment=f"{config.resource_prefix}: the one public base URL",
            # The site: what no API route, the console or the open data takes.
            default_behavior=self.web.default_behaviour(),
            additional_behaviors={
                **self.web.behaviours(),
                **self.open_data.behaviours(),
                **{route.path_pattern: behaviour(route.app) for route in routes},
            },
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            **domain,
        )
        if not config.domain_name:
            # CloudFront's default certificate ignores minimum_protocol_version: say so on every synth.
            Annotations.of(self.distribution).add_warning_v2(
                "phananh:edge:tls", NO_DOMAIN_TLS_WARNING
            )
        self.web.deploy(self.distribution)
        self.base_url = f"https://{config.domain_name or self.distribution.distribution_domain_name}"
        CfnOutput(self, "BaseUrl", value=self.base_url, description="The mobile app's one base URL")

        # Both kinds of API answer only through the edge. The officers' one too: reached on its
        # execute-api name, junk requests would drain its stage throttle before the authorizer ran.
        self.web_acl = self._edge_only_acl(
            "AnonymousRoutesAcl", config.physical_name("anonymous"), origin_secret_value,
            config.anonymous_requests_per_5_min,
        )
        self.officers_web_acl = self._edge_only_acl(
            "OfficersApiAcl", config.physical_name("officers"), origin_secret_value,
            config.officer_requests_per_5_min,
        )
        self.web_acl_associations = {
            name: wafv2.CfnWebACLAssociation(
                self,
                f"AnonymousAcl-{name}" if stack.anonymous_api else f"OfficersAcl-{name}",
                resource_arn=Fn.join(
                    "", [f"arn:{self.partition}:apigateway:{self.region}::/restapis/", stack.api.ref,
                         f"/stages/{API_STAGE}"]
                ),
                web_acl_arn=(self.web_acl if stack.anonymous_api else self.officers_web_acl).attr_arn,
            )
            for name, stack in apps.items()
            if stack.api is not None
        }

    def _edge_only_acl(
        self, construct_id: str, name: str, origin_secret_value: str, requests_per_5_min: int
    ) -> wafv2.CfnWebACL:
        """Blocks what lacks the origin header, then rates each viewer address the edge wrote."""
        return wafv2.CfnWebACL(
            self,
            construct_id,
            name=name,
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(name),
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name="only-through-the-edge",
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        not_statement=wafv2.CfnWebACL.NotStatementProperty(
                            statement=wafv2.CfnWebACL.StatementProperty(
                                byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                                    field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                                        single_header={"Name": ORIGIN_HEADER}
                                    ),
                                    positional_constraint="EXACTLY",
                                    search_string=origin_secret_value,
                                    text_transformations=[
                                        wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                                    ],
                                )
                            )
                        )
                    ),
                    visibility_config=_visibility("only-through-the-edge"),
                ),
                wafv2.CfnWebACL.RuleProperty(
                    name="rate-per-viewer-address",
                    priority=1,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=requests_per_5_min,
                            aggregate_key_type="FORWARDED_IP",
                            # The edge always writes a valid address; whatever did not come through
                            # it the rule above has blocked already.
                            forwarded_ip_config=wafv2.CfnWebACL.ForwardedIPConfigurationProperty(
                                header_name=VIEWER_ADDRESS_HEADER, fallback_behavior="MATCH"
                            ),
                        )
                    ),
                    visibility_config=_visibility("rate-per-viewer-address"),
                ),
            ],
        )


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )

