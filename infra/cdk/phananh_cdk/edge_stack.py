"""The one public base URL: a CloudFront distribution composing the apps' APIs by path, as the
local gateway does, from the same infra/edge-routes.json; WAF on the anonymous APIs.

The WAF web ACL is REGIONAL and associated with the anonymous apps' API stages: a CloudFront-scope
ACL must live in us-east-1, which would split the app across regions (and the local stack, which
deploys one region). Behind CloudFront the source address API Gateway sees is an edge's, so the
rate rule aggregates on the first X-Forwarded-For address instead (requests without one count
against their source). A client can put an address of its choosing there, which CloudFront keeps
first: the rule stops floods from ordinary clients, not a determined attacker rotating the header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import CfnOutput, Fn, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from phananh_cdk.app_stack import ChaliceAppStack
from phananh_cdk.config import REPO_ROOT, DeployConfig

EDGE_ROUTES = REPO_ROOT / "infra" / "edge-routes.json"
API_STAGE = "api"


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
    """The routes, most specific first (the catch-all "/" last)."""
    routes = [EdgeRoute(**route) for route in json.loads(path.read_text(encoding="utf-8"))["routes"]]
    return sorted(routes, key=lambda route: route.specificity, reverse=True)


class EdgeStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        apps: Mapping[str, ChaliceAppStack],
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        routes = edge_routes()
        *specific, catch_all = routes
        if catch_all.path_prefix != "/" or catch_all.path_suffix:
            raise ValueError(f"{EDGE_ROUTES} needs a catch-all route for '/'")

        api_origins = {
            name: origins.HttpOrigin(
                f"{stack.api.ref}.execute-api.{self.region}.{self.url_suffix}",
                origin_path=f"/{API_STAGE}",
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            )
            for name, stack in apps.items()
            if stack.api is not None
        }

        def behaviour(app: str) -> cloudfront.BehaviorOptions:
            # No caching, and everything the viewer sent but Host (API Gateway routes on its own
            # name): tracking tokens and officers' ID tokens travel in Authorization, which a
            # cache-disabled behaviour may forward through this policy.
            return cloudfront.BehaviorOptions(
                origin=api_origins[app],
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            )

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
            default_behavior=behaviour(catch_all.app),
            additional_behaviors={route.path_pattern: behaviour(route.app) for route in specific},
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            **domain,
        )
        self.base_url = f"https://{config.domain_name or self.distribution.distribution_domain_name}"
        CfnOutput(self, "BaseUrl", value=self.base_url, description="The mobile app's one base URL")

        self.web_acl = wafv2.CfnWebACL(
            self,
            "AnonymousRoutesAcl",
            name=config.physical_name("anonymous"),
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(config.physical_name("anonymous")),
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name="rate-per-client-ip",
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=config.anonymous_requests_per_5_min,
                            aggregate_key_type="FORWARDED_IP",
                            forwarded_ip_config=wafv2.CfnWebACL.ForwardedIPConfigurationProperty(
                                header_name="X-Forwarded-For", fallback_behavior="MATCH"
                            ),
                        )
                    ),
                    visibility_config=_visibility("rate-per-client-ip"),
                ),
            ],
        )
        self.web_acl_associations = {
            name: wafv2.CfnWebACLAssociation(
                self,
                f"AnonymousAcl-{name}",
                resource_arn=Fn.join(
                    "", [f"arn:{self.partition}:apigateway:{self.region}::/restapis/", stack.api.ref,
                         f"/stages/{API_STAGE}"]
                ),
                web_acl_arn=self.web_acl.attr_arn,
            )
            for name, stack in apps.items()
            if stack.anonymous_api
        }


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )

