"""The edge names the citizen: the viewer-request function, the origin header that WAF requires, the
rate rule keyed on the address the edge writes, and the setting that tells the functions where to read it."""

import json
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.infra

PREFIX = "phananh"


@pytest.fixture(scope="module")
def edge_template(stacks, cloud_assembly) -> dict:
    return cloud_assembly.get_stack_by_name(stacks.edge.stack_name).template


@pytest.fixture(scope="module")
def edge_names():
    from phananh_cdk.edge_stack import ORIGIN_HEADER, VIEWER_ADDRESS_HEADER

    return ORIGIN_HEADER, VIEWER_ADDRESS_HEADER


def _of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def _distribution_config(template: dict) -> dict:
    (distribution,) = _of_type(template, "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _api_origins(config: dict) -> list[dict]:
    """The APIs' origins (the web apps' bucket is the other kind, tests/infra/test_web.py)."""
    return [origin for origin in config["Origins"] if "CustomOriginConfig" in origin]


def _api_behaviours(config: dict) -> list[dict]:
    api_ids = {origin["Id"] for origin in _api_origins(config)}
    return [behaviour for behaviour in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
            if behaviour["TargetOriginId"] in api_ids]


def _viewer_facts_function(template: dict) -> tuple[str, dict]:
    functions = _of_type(template, "AWS::CloudFront::Function").items()
    (found,) = [(function_id, function) for function_id, function in functions
                if "viewer's address" in function["Properties"]["FunctionConfig"]["Comment"]]
    return found


def _secret_reference(template: dict) -> dict:
    (secret_id,) = _of_type(template, "AWS::SecretsManager::Secret")
    return {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:::}}"]]}


def test_the_origin_secret_is_generated_at_deploy_time_never_written_down(edge_template):
    (secret,) = _of_type(edge_template, "AWS::SecretsManager::Secret").values()
    generated = secret["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32 and generated["ExcludePunctuation"] is True
    assert "SecretString" not in secret["Properties"]


def test_every_origin_gets_the_secret_header(edge_template, edge_names):
    origin_header, _ = edge_names
    config = _distribution_config(edge_template)
    origins = _api_origins(config)
    assert len(origins) == 3  # submit, handle, rate
    # The web apps' bucket never sees the secret.
    assert [origin for origin in config["Origins"] if origin not in origins and "OriginCustomHeaders" in origin] == []
    for origin in origins:
        assert origin["OriginCustomHeaders"] == [
            {"HeaderName": origin_header, "HeaderValue": _secret_reference(edge_template)}
        ]


def test_every_behaviour_runs_the_viewer_request_function_and_forwards_what_it_writes(edge_template):
    from phananh_cdk.edge_stack import edge_routes

    config = _distribution_config(edge_template)
    function_id, _ = _viewer_facts_function(edge_template)
    behaviours = _api_behaviours(config)
    assert len(behaviours) == len(edge_routes())  # the API routes of edge-routes.json (the site is the default)
    for behaviour in behaviours:
        assert behaviour["FunctionAssociations"] == [
            {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [function_id, "FunctionARN"]}}
        ]
        # AllViewerExceptHostHeader: every viewer header, those the function wrote included, but Host.
        assert behaviour["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _run_viewer_request(code: str, event: dict) -> dict:
    script = code + "\nprocess.stdout.write(JSON.stringify(handler(" + json.dumps(event) + ")));\n"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(result.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CDK; without it nothing synthesizes")
def test_the_function_writes_the_viewer_address_and_host_over_what_the_viewer_sent(edge_template, edge_names):
    _, address_header = edge_names
    _, function = _viewer_facts_function(edge_template)
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    forged = {
        "host": {"value": "phananh.example.vn"},
        address_header: {"value": "10.0.0.1", "multiValue": [{"value": "10.0.0.1"}, {"value": "10.0.0.2"}]},
        "x-forwarded-host": {"value": "evil.example"},
        "authorization": {"value": "Bearer token"},
    }
    event = {"version": "1.0", "viewer": {"ip": "2001:db8::7"}, "request": {"method": "POST", "uri": "/reports",
                                                                            "headers": forged}}
    headers = _run_viewer_request(function["Properties"]["FunctionCode"], event)["headers"]
    assert headers[address_header] == {"value": "2001:db8::7"}
    assert headers["x-forwarded-host"] == {"value": "phananh.example.vn"}
    assert headers["authorization"] == {"value": "Bearer token"}

    without_host = {"version": "1.0", "viewer": {"ip": "203.0.113.7"},
                    "request": {"method": "GET", "uri": "/", "headers": {"x-forwarded-host": {"value": "evil"}}}}
    headers = _run_viewer_request(function["Properties"]["FunctionCode"], without_host)["headers"]
    assert headers == {address_header: {"value": "203.0.113.7"}}


@pytest.mark.parametrize("acl_name", [f"{PREFIX}-anonymous", f"{PREFIX}-officers"])
def test_waf_blocks_what_did_not_come_through_the_edge_then_rates_each_viewer_address(
    edge_template, edge_names, acl_name
):
    origin_header, address_header = edge_names
    (acl,) = [acl for acl in _of_type(edge_template, "AWS::WAFv2::WebACL").values()
              if acl["Properties"]["Name"] == acl_name]
    assert acl["Properties"]["DefaultAction"] == {"Allow": {}}
    origin_rule, rate_rule = sorted(acl["Properties"]["Rules"], key=lambda rule: rule["Priority"])

    assert origin_rule["Action"] == {"Block": {}}
    match = origin_rule["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": origin_header}}
    assert match["PositionalConstraint"] == "EXACTLY"
    assert match["SearchString"] == _secret_reference(edge_template)
    assert match["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}]

    assert rate_rule["Action"] == {"Block": {}}
    statement = rate_rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "FORWARDED_IP"
    assert statement["ForwardedIPConfig"]["HeaderName"] == address_header
    assert "X-Forwarded-For" not in json.dumps(acl)


def test_every_function_reads_the_address_from_the_header_the_edge_writes(stacks, cloud_assembly, edge_names):
    _, address_header = edge_names
    environments = [
        function["Properties"]["Environment"]["Variables"]
        for stack in stacks.apps.values()
        for function in _of_type(cloud_assembly.get_stack_by_name(stack.stack_name).template,
                                 "AWS::Serverless::Function").values()
    ]
    assert environments
    assert {environment["PHANANH_CLIENT_ADDRESS_HEADER"] for environment in environments} == {address_header}


def test_without_a_domain_every_synth_warns_that_viewers_may_use_old_tls(stacks):
    from aws_cdk.assertions import Annotations, Match

    from phananh_cdk.edge_stack import NO_DOMAIN_TLS_WARNING

    warnings = Annotations.from_stack(stacks.edge).find_warning("*", Match.string_like_regexp("TLS 1.0"))
    assert [warning.entry.data for warning in warnings] == [f"{NO_DOMAIN_TLS_WARNING} [ack: phananh:edge:tls]"]


def test_with_a_domain_viewers_need_tls_1_2_and_no_warning():
    """The edge in front of stand-in APIs (it reads only their RestApi and whether they are anonymous), with
    the data and identity stacks the web apps name."""
    from types import SimpleNamespace

    from aws_cdk import App, CfnResource, Environment, Stack
    from aws_cdk.assertions import Annotations, Match, Template

    from phananh_cdk.config import DeployConfig, file_context
    from phananh_cdk.data_stack import DataStack
    from phananh_cdk.edge_stack import EdgeStack
    from phananh_cdk.identity_stack import IdentityStack

    context = {**file_context(), "resource_prefix": PREFIX, "stage": "test", "domain_name": "phananh.example.vn",
               "certificate_arn": "arn:aws:acm:us-east-1:000000000000:certificate/example"}
    app = App(context=context)
    config = DeployConfig.from_context(app.node)
    env = Environment(account="000000000000", region=config.region)
    apis = Stack(app, "stand-in-apis", env=env)
    apis.add_transform("AWS::Serverless-2016-10-31")
    apps = {
        name: SimpleNamespace(
            api=CfnResource(apis, name, type="AWS::Serverless::Api", properties={"StageName": "api"}),
            anonymous_api=name != "handle",
        )
        for name in ("submit", "handle", "rate")
    }
    data = DataStack(app, "domain-data", config=config, env=env)
    identity = IdentityStack(app, "domain-identity", config=config, env=env)
    edge = EdgeStack(app, "domain-edge", config=config, apps=apps, data=data, identity=identity, env=env)
    certificate = _distribution_config(Template.from_stack(edge).to_json())["ViewerCertificate"]
    assert certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert certificate["SslSupportMethod"] == "sni-only"
    assert Annotations.from_stack(edge).find_warning("*", Match.string_like_regexp("TLS 1.0")) == []
    # Browser uploads to the photos bucket: from the base URL only, once it has a name of its own.
    photos = Template.from_stack(data).find_resources("AWS::S3::Bucket")
    (rule,) = next(iter(photos.values()))["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == ["https://phananh.example.vn"]
