"""The web apps on the one distribution: a private bucket read only through origin access control, a
behaviour for each static entry of infra/edge-routes.json with the single-page fallback, the strict
security headers, and a config.json written at deploy time from the pool and its client."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.infra

EDGE_ROUTES = Path(__file__).parents[2] / "infra" / "edge-routes.json"
WEB_APPS = [route["static"] for route in json.loads(EDGE_ROUTES.read_text(encoding="utf-8"))["routes"]
            if "static" in route]


@pytest.fixture(scope="module")
def edge(stacks, cloud_assembly) -> dict:
    return cloud_assembly.get_stack_by_name(stacks.edge.stack_name).template


def _of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def _distribution_config(template: dict) -> dict:
    (distribution,) = _of_type(template, "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _web_bucket(edge: dict) -> tuple[str, dict]:
    (found,) = _of_type(edge, "AWS::S3::Bucket").items()
    return found


def _flat(value) -> str:
    """A Fn::Join of literals and references as one string, each reference as <ref>."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_flat(part) for part in parts)
    return "<ref>"


def test_the_web_bucket_is_private_encrypted_versioned_and_ssl_only(edge):
    bucket_id, bucket = _web_bucket(edge)
    properties = bucket["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] \
        == {"SSEAlgorithm": "AES256"}
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert {rule["Id"] for rule in properties["LifecycleConfiguration"]["Rules"]} == {
        "expire-old-versions", "abort-incomplete-uploads"
    }
    assert "WebsiteConfiguration" not in properties
    (policy,) = [policy for policy in _of_type(edge, "AWS::S3::BucketPolicy").values()
                 if policy["Properties"]["Bucket"] == {"Ref": bucket_id}]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert any(statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for statement in statements)
    (reader,) = [statement for statement in statements if statement["Effect"] == "Allow"]
    # Only this distribution, through its origin access control, reads objects; nobody lists or writes.
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reader["Action"] == "s3:GetObject"
    (distribution_id,) = _of_type(edge, "AWS::CloudFront::Distribution")
    assert json.dumps({"Ref": distribution_id}) in json.dumps(reader["Condition"]["StringEquals"]["AWS:SourceArn"])


def test_the_bucket_is_an_origin_with_origin_access_control(edge):
    bucket_id, _ = _web_bucket(edge)
    (control_id, control), = _of_type(edge, "AWS::CloudFront::OriginAccessControl").items()
    assert control["Properties"]["OriginAccessControlConfig"] | {"Name": None} == {
        "Name": None, "OriginAccessControlOriginType": "s3", "SigningBehavior": "always", "SigningProtocol": "sigv4",
    }
    (origin,) = [origin for origin in _distribution_config(edge)["Origins"] if "S3OriginConfig" in origin]
    assert origin["DomainName"] == {"Fn::GetAtt": [bucket_id, "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [control_id, "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_every_web_app_has_its_behaviours_ahead_of_the_apis_with_the_headers_and_the_fallback(edge):
    config = _distribution_config(edge)
    (origin,) = [origin for origin in config["Origins"] if "S3OriginConfig" in origin]
    (headers_id,) = _of_type(edge, "AWS::CloudFront::ResponseHeadersPolicy")
    (spa_id,) = [function_id for function_id, function in _of_type(edge, "AWS::CloudFront::Function").items()
                 if "index.html" in function["Properties"]["FunctionConfig"]["Comment"]]
    behaviours = config["CacheBehaviors"]
    assert WEB_APPS == ["console"]
    for position, app in enumerate(WEB_APPS):
        assert [behaviour["PathPattern"] for behaviour in behaviours[2 * position:2 * position + 2]] == [
            f"/{app}/*", f"/{app}"
        ]
    for behaviour in behaviours[:2 * len(WEB_APPS)]:
        assert behaviour["TargetOriginId"] == origin["Id"]
        assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"  # CachingOptimized
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": headers_id}
        assert behaviour["FunctionAssociations"] == [
            {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [spa_id, "FunctionARN"]}}
        ]
    # No API behaviour sends the headers policy or reads the bucket.
    for behaviour in [config["DefaultCacheBehavior"], *behaviours[2 * len(WEB_APPS):]]:
        assert "ResponseHeadersPolicyId" not in behaviour and behaviour["TargetOriginId"] != origin["Id"]


def test_the_headers_policy_is_strict(edge, stacks):
    (policy,) = _of_type(edge, "AWS::CloudFront::ResponseHeadersPolicy").values()
    security = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = _flat(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    region = stacks.edge.region
    # Cognito of the region, the photos bucket (its global and regional names) for uploads and photos.
    assert directives["connect-src"] == ["'self'", f"https://cognito-idp.{region}.amazonaws.com", "https://<ref>",
                                         "https://<ref>"]
    assert directives["img-src"] == ["'self'", "data:", "blob:", "https://<ref>", "https://<ref>"]
    assert len(csp) < 1783  # CloudFront's limit for the header
    assert security["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True, "Override": True
    }
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert security["ReferrerPolicy"] == {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True}


def test_the_csp_admits_a_configured_tile_host():
    from phananh_cdk.web_apps import WebOrigins, content_security_policy, tile_source

    tiles = tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert tiles == "https://*.tile.openstreetmap.org"
    csp = content_security_policy(WebOrigins(cognito="https://c", uploads=["https://u"], photos=["https://p"],
                                             tiles=tiles))
    assert "img-src 'self' data: blob: https://p https://*.tile.openstreetmap.org;" in csp
    with pytest.raises(ValueError, match="tile URL"):
        tile_source("tiles/{z}/{x}/{y}.png")


def _run_function(code: str, uri: str) -> dict:
    event = {"version": "1.0", "request": {"method": "GET", "uri": uri, "headers": {}}}
    script = code + "\nprocess.stdout.write(JSON.stringify(handler(" + json.dumps(event) + ")));\n"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(result.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CDK; without it nothing synthesizes")
def test_the_spa_function_sends_screens_and_deep_links_to_the_index(edge):
    (function,) = [function for function in _of_type(edge, "AWS::CloudFront::Function").values()
                   if "index.html" in function["Properties"]["FunctionConfig"]["Comment"]]
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    for screen in ("/console/", "/console/map", "/console/reports/r-01J9", "/console/sign-in"):
        assert _run_function(code, screen)["uri"] == "/console/index.html", screen
    for file in ("/console/assets/index-3f9a.js", "/console/config.json", "/console/favicon.svg"):
        assert _run_function(code, file)["uri"] == file
    assert _run_function(code, "/console") == {
        "statusCode": 301, "statusDescription": "Moved Permanently", "headers": {"location": {"value": "/console/"}}
    }
    assert _run_function(code, "/reports/r-1")["uri"] == "/reports/r-1"


def test_the_files_then_the_index_and_config_json_are_deployed_with_the_invalidation(edge, stacks, cloud_assembly):
    bucket_id, _ = _web_bucket(edge)
    deployments = _of_type(edge, "Custom::CDKBucketDeployment")
    files, entry = sorted(deployments.items(), key=lambda item: "Entry" in item[0])
    assert files[0].startswith("WebAppsConsoleFiles") and entry[0].startswith("WebAppsConsoleEntry")
    assert files[0] in entry[1]["DependsOn"]
    for _, deployment in (files, entry):
        properties = deployment["Properties"]
        assert properties["DestinationBucketName"] == {"Ref": bucket_id}
        assert properties["DestinationBucketKeyPrefix"] == "console/"
        assert properties["Prune"] is False
    assert files[1]["Properties"]["SystemMetadata"] == {"cache-control": "public, max-age=31536000, immutable"}
    assert entry[1]["Properties"]["SystemMetadata"] == {"cache-control": "no-cache"}
    assert entry[1]["Properties"]["DistributionPaths"] == ["/console/index.html", "/console/config.json"]
    # config.json: the pool and client are the identity stack's, filled in at deploy time.
    markers = json.dumps(entry[1]["Properties"]["SourceMarkers"])
    identity = cloud_assembly.get_stack_by_name(stacks.identity.stack_name).template
    (pool_id,) = _of_type(identity, "AWS::Cognito::UserPool")
    (client_id,) = _of_type(identity, "AWS::Cognito::UserPoolClient")
    assert pool_id in markers and client_id in markers
    (config_asset,) = [path for path in Path(cloud_assembly.directory).glob("asset.*/config.json")]
    written = json.loads(config_asset.read_text(encoding="utf-8"))
    assert written["region"] == stacks.edge.region
    # The deployment's markers, replaced by the ids when it runs.
    assert (written["userPoolId"], written["clientId"]) == ("<<marker:0xbaba:0>>", "<<marker:0xbaba:1>>")
    assert (written["authFlow"], written["cognitoEndpoint"], written["tileUrl"]) == ("USER_SRP_AUTH", None, None)
    assert set(written) == {"region", "userPoolId", "clientId", "cognitoEndpoint", "authFlow", "tileUrl",
                            "tileAttribution"}


def test_the_photos_bucket_takes_browser_uploads_posted_from_the_console(stacks, cloud_assembly):
    data = cloud_assembly.get_stack_by_name(stacks.data.stack_name).template
    (photos,) = [bucket for bucket_id, bucket in _of_type(data, "AWS::S3::Bucket").items()
                 if bucket_id.startswith("PhotosBucket")]
    assert photos["Properties"]["CorsConfiguration"]["CorsRules"] == [
        {"AllowedHeaders": ["*"], "AllowedMethods": ["POST"], "AllowedOrigins": ["*"], "MaxAge": 3600}
    ]


def test_without_the_console_build_synth_packs_a_placeholder_and_warns(tmp_path, monkeypatch):
    """A clean clone synthesizes without Node (the infra tests, the local stack); what it would deploy
    says so on every synth."""
    from types import SimpleNamespace

    from aws_cdk import App, CfnResource, Environment, Stack
    from aws_cdk.assertions import Annotations, Match, Template

    from phananh_cdk import web_hosting
    from phananh_cdk.config import DeployConfig, file_context
    from phananh_cdk.data_stack import DataStack
    from phananh_cdk.edge_stack import EdgeStack
    from phananh_cdk.identity_stack import IdentityStack

    monkeypatch.setattr(web_hosting, "dist_dir", lambda app: tmp_path / "not-built" / app)
    app = App(context={**file_context(), "resource_prefix": "phananh", "stage": "test"}, outdir=str(tmp_path / "out"))
    config = DeployConfig.from_context(app.node)
    env = Environment(account="000000000000", region=config.region)
    apis = Stack(app, "stand-in-apis", env=env)
    apis.add_transform("AWS::Serverless-2016-10-31")
    apps = {name: SimpleNamespace(api=CfnResource(apis, name, type="AWS::Serverless::Api",
                                                  properties={"StageName": "api"}), anonymous_api=name != "handle")
            for name in ("submit", "handle", "rate")}
    data = DataStack(app, "bare-data", config=config, env=env)
    identity = IdentityStack(app, "bare-identity", config=config, env=env)
    edge = EdgeStack(app, "bare-edge", config=config, apps=apps, data=data, identity=identity, env=env)
    warnings = Annotations.from_stack(edge).find_warning("*", Match.string_like_regexp("web/dist/console is missing"))
    assert len(warnings) == 1
    placeholder = web_hosting.PLACEHOLDER_DIR / "console" / "index.html"
    assert "synthesized without web/dist/console" in placeholder.read_text(encoding="utf-8")
    (files, entry) = Template.from_stack(edge).find_resources("Custom::CDKBucketDeployment").values()
    assert files["Properties"]["SourceObjectKeys"][0] == entry["Properties"]["SourceObjectKeys"][0]
