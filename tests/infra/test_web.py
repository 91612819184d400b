"""The web apps on the one distribution: a private bucket read only through origin access control, the
site at the root as the default behaviour (its function: pages, files, the JSON 404), the console's
behaviours with the single-page fallback, the strict security headers, a config.json per app written at
deploy time from the pool and its client; the open-data files from their own bucket, CORS-open."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.infra

EDGE_ROUTES = Path(__file__).parents[2] / "infra" / "edge-routes.json"
ROUTES = json.loads(EDGE_ROUTES.read_text(encoding="utf-8"))["routes"]
WEB_APPS = [route["static"] for route in ROUTES if "static" in route]
PREFIXED_APPS = [route["static"] for route in ROUTES if "static" in route and route["path_prefix"] != "/"]
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


@pytest.fixture(scope="module")
def edge(stacks, cloud_assembly) -> dict:
    return cloud_assembly.get_stack_by_name(stacks.edge.stack_name).template


def _of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def _distribution_config(template: dict) -> dict:
    (distribution,) = _of_type(template, "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _bucket(edge: dict, construct: str) -> tuple[str, dict]:
    (found,) = [item for item in _of_type(edge, "AWS::S3::Bucket").items() if item[0].startswith(f"{construct}Bucket")]
    return found


def _web_bucket(edge: dict) -> tuple[str, dict]:
    return _bucket(edge, "WebApps")


def _s3_origin(config: dict, bucket_id: str) -> dict:
    (origin,) = [origin for origin in config["Origins"]
                 if origin.get("DomainName") == {"Fn::GetAtt": [bucket_id, "RegionalDomainName"]}]
    return origin


def _function(edge: dict, comment_says: str) -> tuple[str, dict]:
    (found,) = [(function_id, function) for function_id, function in _of_type(edge, "AWS::CloudFront::Function").items()
                if comment_says in function["Properties"]["FunctionConfig"]["Comment"]]
    return found


def _security_headers_policy(edge: dict) -> tuple[str, dict]:
    policies = _of_type(edge, "AWS::CloudFront::ResponseHeadersPolicy")
    (found,) = [(policy_id, policy) for policy_id, policy in policies.items()
                if policy_id.startswith("WebAppsSecurityHeaders")]
    return found


def _flat(value) -> str:
    """A Fn::Join of literals and references as one string, each reference as <ref>."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_flat(part) for part in parts)
    return "<ref>"


@pytest.mark.parametrize("construct", ["WebApps", "OpenData"])
def test_the_buckets_are_private_encrypted_versioned_and_ssl_only(edge, construct):
    bucket_id, bucket = _bucket(edge, construct)
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


def test_each_bucket_is_an_origin_with_origin_access_control(edge):
    controls = _of_type(edge, "AWS::CloudFront::OriginAccessControl")
    assert len(controls) == 2
    for control in controls.values():
        assert control["Properties"]["OriginAccessControlConfig"] | {"Name": None} == {
            "Name": None, "OriginAccessControlOriginType": "s3", "SigningBehavior": "always",
            "SigningProtocol": "sigv4",
        }
    config = _distribution_config(edge)
    assert len([origin for origin in config["Origins"] if "S3OriginConfig" in origin]) == 2
    for construct in ("WebApps", "OpenData"):
        bucket_id, _ = _bucket(edge, construct)
        origin = _s3_origin(config, bucket_id)
        assert origin["OriginAccessControlId"]["Fn::GetAtt"][0] in controls
        assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_the_open_data_bucket_has_the_name_the_schedule_app_writes_to(edge, stacks):
    """Named by the data stack: the schedule app (deployed before the edge) reaches it without a reference."""
    _, bucket = _bucket(edge, "OpenData")
    assert stacks.edge.resolve(bucket["Properties"]["BucketName"]) == stacks.edge.resolve(
        stacks.data.open_data_bucket_name)
    assert "open-data" in json.dumps(bucket["Properties"]["BucketName"])


def test_the_site_is_the_default_behaviour_and_the_console_has_its_own_with_the_headers(edge):
    config = _distribution_config(edge)
    web_origin = _s3_origin(config, _web_bucket(edge)[0])
    headers_id, _ = _security_headers_policy(edge)
    spa_id, _ = _function(edge, "console")
    site_function_id, _ = _function(edge, "site")
    default = config["DefaultCacheBehavior"]
    behaviours = config["CacheBehaviors"]
    assert PREFIXED_APPS == ["console"]
    assert [behaviour["PathPattern"] for behaviour in behaviours[:2]] == ["/console/*", "/console"]
    for behaviour, function_id in [(default, site_function_id), (behaviours[0], spa_id), (behaviours[1], spa_id)]:
        assert behaviour["TargetOriginId"] == web_origin["Id"]
        assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["CachePolicyId"] == CACHING_OPTIMIZED
        assert behaviour["Compress"] is True
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": headers_id}
        assert behaviour["FunctionAssociations"] == [
            {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [function_id, "FunctionARN"]}}
        ]
    # No API behaviour sends the web headers or reads a bucket.
    open_data_origin = _s3_origin(config, _bucket(edge, "OpenData")[0])
    for behaviour in behaviours[2:]:
        assert behaviour.get("ResponseHeadersPolicyId") != {"Ref": headers_id}
        if behaviour["PathPattern"] != "/open-data/*":
            assert behaviour["TargetOriginId"] not in (web_origin["Id"], open_data_origin["Id"])


def test_open_data_is_cached_and_open_to_any_origin(edge):
    config = _distribution_config(edge)
    (behaviour,) = [behaviour for behaviour in config["CacheBehaviors"] if behaviour["PathPattern"] == "/open-data/*"]
    assert behaviour["TargetOriginId"] == _s3_origin(config, _bucket(edge, "OpenData")[0])["Id"]
    assert behaviour["AllowedMethods"] == ["GET", "HEAD", "OPTIONS"]
    assert "FunctionAssociations" not in behaviour
    (cache_id, cache), = _of_type(edge, "AWS::CloudFront::CachePolicy").items()
    assert behaviour["CachePolicyId"] == {"Ref": cache_id}
    ttl = cache["Properties"]["CachePolicyConfig"]
    assert (ttl["MinTTL"], ttl["DefaultTTL"], ttl["MaxTTL"]) == (0, 600, 86400)
    policies = _of_type(edge, "AWS::CloudFront::ResponseHeadersPolicy")
    policy = policies[behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
    cors = policy["CorsConfig"]
    assert cors["AccessControlAllowOrigins"] == {"Items": ["*"]}
    assert cors["AccessControlAllowCredentials"] is False and cors["OriginOverride"] is True
    assert policy["SecurityHeadersConfig"]["ContentTypeOptions"] == {"Override": True}


def test_the_distribution_stays_within_cloudfronts_cache_behaviour_quota(edge):
    from phananh_cdk.edge_stack import CACHE_BEHAVIOURS_QUOTA

    config = _distribution_config(edge)
    # The default behaviour counts too; league-nearby's two rate routes and a few more still fit.
    assert 1 + len(config["CacheBehaviors"]) <= CACHE_BEHAVIOURS_QUOTA - 3
    patterns = [behaviour["PathPattern"] for behaviour in config["CacheBehaviors"]]
    assert len(patterns) == len(set(patterns))


def test_the_headers_policy_is_strict(edge, stacks):
    _, policy = _security_headers_policy(edge)
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
def test_the_spa_function_sends_the_consoles_screens_and_deep_links_to_its_index(edge):
    _, function = _function(edge, "console")
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    for screen in ("/console/", "/console/map", "/console/reports/r-01J9", "/console/sign-in"):
        assert _run_function(code, screen)["uri"] == "/console/index.html", screen
    for file in ("/console/assets/index-3f9a.js", "/console/config.json", "/console/favicon.svg"):
        assert _run_function(code, file)["uri"] == file
    assert _run_function(code, "/console") == {
        "statusCode": 301, "statusDescription": "Moved Permanently", "headers": {"location": {"value": "/console/"}}
    }


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CDK; without it nothing synthesizes")
def test_the_site_function_sends_pages_to_the_index_files_to_the_site_folder_and_the_rest_a_json_404(edge):
    from phananh_cdk.web_apps import ROUTE_NOT_FOUND

    _, function = _function(edge, "site")
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    for page in ("/", "/report/r-01J9ABC", "/league", "/league/method", "/data", "/new", "/mine", "/mine/r-01J9",
                 "/docs/api"):
        assert _run_function(code, page)["uri"] == "/site/index.html", page
    for file in ("/assets/index-3f9a.js", "/sw.js", "/manifest.webmanifest", "/config.json", "/icons/icon-192.png",
                 "/docs/api/swagger-ui.css"):
        assert _run_function(code, file)["uri"] == "/site" + file, file
    for unknown in ("/nope", "/league/", "/report/", "/reportx", "/new/extra", "/console2"):
        answer = _run_function(code, unknown)
        assert answer["statusCode"] == 404, unknown
        assert answer["headers"]["content-type"] == {"value": "application/json"}
        assert json.loads(answer["body"]["data"]) == ROUTE_NOT_FOUND
        assert answer["body"]["encoding"] == "text"


@pytest.mark.parametrize("app", WEB_APPS)
def test_the_assets_then_the_rest_and_config_json_are_deployed_with_the_invalidation(edge, stacks, cloud_assembly, app):
    bucket_id, _ = _web_bucket(edge)
    deployments = {key: value for key, value in _of_type(edge, "Custom::CDKBucketDeployment").items()
                   if key.startswith(f"WebApps{app.title()}")}
    files, entry = sorted(deployments.items(), key=lambda item: "Entry" in item[0])
    assert files[0].startswith(f"WebApps{app.title()}Files") and entry[0].startswith(f"WebApps{app.title()}Entry")
    assert files[0] in entry[1]["DependsOn"]
    for _, deployment in (files, entry):
        properties = deployment["Properties"]
        assert properties["DestinationBucketName"] == {"Ref": bucket_id}
        assert properties["DestinationBucketKeyPrefix"] == f"{app}/"
        assert properties["Prune"] is False
    # The hashed assets for a year; the rest (index.html, sw.js, the manifest, config.json) revalidated.
    assert files[1]["Properties"]["SystemMetadata"] == {"cache-control": "public, max-age=31536000, immutable"}
    assert (files[1]["Properties"]["Exclude"], files[1]["Properties"]["Include"]) == (["*"], ["assets/*"])
    assert entry[1]["Properties"]["SystemMetadata"] == {"cache-control": "no-cache"}
    assert entry[1]["Properties"]["Exclude"] == ["assets/*", ".vite/*"]
    assert entry[1]["Properties"]["DistributionPaths"] == [f"/{app}/*"]
    # config.json: the pool and client are the identity stack's, filled in at deploy time.
    markers = json.dumps(entry[1]["Properties"]["SourceMarkers"])
    identity = cloud_assembly.get_stack_by_name(stacks.identity.stack_name).template
    (pool_id,) = _of_type(identity, "AWS::Cognito::UserPool")
    (client_id,) = _of_type(identity, "AWS::Cognito::UserPoolClient")
    assert pool_id in markers and client_id in markers
    configs = [json.loads(path.read_text(encoding="utf-8"))
               for path in Path(cloud_assembly.directory).glob("asset.*/config.json")]
    written = configs[0]
    assert all(config == written for config in configs)
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
    deployments = Template.from_stack(edge).find_resources("Custom::CDKBucketDeployment")
    for app in WEB_APPS:
        missing = Match.string_like_regexp(f"web/dist/{app} is missing")
        warnings = Annotations.from_stack(edge).find_warning("*", missing)
        assert len(warnings) == 1, app
        placeholder = web_hosting.PLACEHOLDER_DIR / app / "index.html"
        assert f"synthesized without web/dist/{app}" in placeholder.read_text(encoding="utf-8")
        (files, entry) = [deployment for key, deployment in deployments.items()
                          if key.startswith(f"WebApps{app.title()}")]
        assert files["Properties"]["SourceObjectKeys"][0] == entry["Properties"]["SourceObjectKeys"][0]
