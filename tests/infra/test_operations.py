"""Issue 7: cdk-nag, the edge (one base URL, WAF, throttling), per-function hardening, the layers and
the observability stack, asserted on the synthesized templates."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from repo_files import REPO_ROOT

pytestmark = pytest.mark.infra

PREFIX = "phananh"
OPENAPI = Path(__file__).parents[2] / "functions" / "submit" / "chalicelib" / "openapi.json"
EDGE_ROUTES = Path(__file__).parents[2] / "infra" / "edge-routes.json"


@pytest.fixture(scope="module")
def templates(stacks, cloud_assembly) -> dict[str, dict[str, Any]]:
    return {stack.stack_name: cloud_assembly.get_stack_by_name(stack.stack_name).template for stack in stacks.all}


def _of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def _functions(templates) -> dict[str, tuple[str, dict]]:
    return {
        f"{stack}/{logical_id}": (stack, function)
        for stack, template in templates.items()
        for logical_id, function in _of_type(template, "AWS::Serverless::Function").items()
    }


# -- cdk-nag ---------------------------------------------------------------------------------------


def test_cdk_nag_ran_and_every_finding_is_fixed_or_acknowledged_with_a_reason(cloud_assembly):
    report = json.loads((Path(cloud_assembly.directory) / "validation-report.json").read_text(encoding="utf-8"))
    (nag,) = [plugin for plugin in report["pluginReports"] if plugin["pluginName"] == "AwsSolutions"]
    assert nag["conclusion"] == "success"
    assert nag["violations"] == []
    acknowledged = nag["suppressedViolations"]
    assert acknowledged, "cdk-nag reported nothing at all: did it run?"
    for finding in acknowledged:
        assert len(finding["reason"]) >= 40, finding["acknowledgedId"]
        # Narrow: never on a whole stack or the app.
        assert "/" in finding["acknowledgedAt"], finding["acknowledgedId"]


# -- per-function hardening (cdk-nag does not read AWS::Serverless::*) ------------------------------


def test_every_function_has_both_layers_a_name_and_a_log_group_with_retention(templates):
    functions = _functions(templates)
    assert len(functions) >= 9
    for key, (stack, function) in functions.items():
        template = templates[stack]
        layers = _of_type(template, "AWS::Lambda::LayerVersion")
        assert len(layers) == 2, stack
        assert function["Properties"]["Layers"] == [{"Ref": logical_id} for logical_id in layers], key
        name = function["Properties"]["FunctionName"]
        (group,) = [
            group for group in _of_type(template, "AWS::Logs::LogGroup").values()
            if group["Properties"]["LogGroupName"] == f"/aws/lambda/{name}"
        ]
        assert group["Properties"]["RetentionInDays"] == 365, key
        assert function["Properties"]["Tracing"] == "Active", key


def test_function_roles_have_no_wildcard_actions_and_log_only_to_their_own_groups(templates):
    for stack in (name for name in templates if _of_type(templates[name], "AWS::Serverless::Function")):
        statements = [
            statement
            for policy in _of_type(templates[stack], "AWS::IAM::Policy").values()
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ]
        assert statements, stack
        for statement in statements:
            actions = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
            assert not [action for action in actions if "*" in action], (stack, actions)
            if statement["Resource"] == "*" and actions == ["sns:Publish"]:
                # An SMS to a phone number names no resource: the outbox's relayed questions alone.
                assert stack == f"{PREFIX}-deliver", stack
            elif statement["Resource"] == "*":
                # Only the actions that have no resource type.
                assert set(actions) <= {"xray:PutTelemetryRecords", "xray:PutTraceSegments", "dynamodb:ListStreams"}
            if "logs:PutLogEvents" in actions:
                resources = statement["Resource"] if isinstance(statement["Resource"], list) else [
                    statement["Resource"]]
                assert all("Fn::GetAtt" in resource for resource in resources), stack
        roles = _of_type(templates[stack], "AWS::IAM::Role")
        assert len(roles) == 1 and not any("ManagedPolicyArns" in role["Properties"] for role in roles.values())


def test_every_asynchronous_path_ends_in_a_dead_letter_queue(templates):
    messaging = templates[f"{PREFIX}-messaging"]
    queues = {queue["Properties"]["QueueName"]: (logical_id, queue) for logical_id, queue in
              _of_type(messaging, "AWS::SQS::Queue").items()}
    failed_events_id, _ = queues[f"{PREFIX}-failed-events"]
    failed_events_export = [
        output["Export"]["Name"] for output in messaging["Outputs"].values()
        if output["Value"] == {"Fn::GetAtt": [failed_events_id, "Arn"]}
    ]
    schedule = [function for stack, function in _functions(templates).values() if stack == f"{PREFIX}-schedule"]
    # One function per schedule of the schedule app.
    assert len(schedule) == (REPO_ROOT / "functions" / "schedule" / "app.py").read_text().count("@app.schedule(")
    for function in schedule:
        config = function["Properties"]["EventInvokeConfig"]
        destination = config["DestinationConfig"]["OnFailure"]
        assert destination["Type"] == "SQS"
        assert destination["Destination"] == {"Fn::ImportValue": failed_events_export[0]}
    # The reports stream's readers: the scorecards (rate) and the outbox (deliver).
    stream_events = [
        event for stack, function in _functions(templates).values()
        for event in function["Properties"].get("Events", {}).values() if event["Type"] == "DynamoDB"
    ]
    assert len(stream_events) == 2
    for stream_event in stream_events:
        properties = stream_event["Properties"]
        assert properties["BisectBatchOnFunctionError"] is True
        assert 0 < properties["MaximumRetryAttempts"] <= 10
        assert properties["DestinationConfig"]["OnFailure"]["Destination"] == {
            "Fn::ImportValue": failed_events_export[0]}
    # The SQS path (intake) has its redrive queue; the queues that receive failures are watched below.
    intake = queues[f"{PREFIX}-intake"][1]["Properties"] if f"{PREFIX}-intake" in queues else next(
        queue["Properties"] for _, queue in queues.values() if "RedrivePolicy" in queue["Properties"])
    assert intake["RedrivePolicy"]["maxReceiveCount"] >= 1


def test_reserved_concurrency_where_it_protects(templates):
    reserved = {
        key: function["Properties"].get("ReservedConcurrentExecutions")
        for key, (_, function) in _functions(templates).items()
    }
    assert {value for key, value in reserved.items() if key.startswith(f"{PREFIX}-schedule/")} == {1}
    assert {value for key, value in reserved.items() if key.startswith(f"{PREFIX}-route/")} == {10}
    assert reserved[f"{PREFIX}-submit/APIHandler"] is None


def test_every_api_is_named_throttled_and_traced(templates):
    apis = {stack: _of_type(template, "AWS::Serverless::Api") for stack, template in templates.items()}
    apis = {stack: next(iter(found.values())) for stack, found in apis.items() if found}
    assert set(apis) == {f"{PREFIX}-{app}" for app in ("submit", "handle", "rate")}
    for stack, api in apis.items():
        properties = api["Properties"]
        assert properties["Name"] == stack
        assert properties["StageName"] == "api"
        assert properties["TracingEnabled"] is True
        (setting,) = properties["MethodSettings"]
        assert (setting["ResourcePath"], setting["HttpMethod"]) == ("/*", "*")
        assert setting["ThrottlingRateLimit"] == 50 and setting["ThrottlingBurstLimit"] == 100



def test_what_api_gateway_answers_itself_has_our_error_shape(templates):
    from phananh_local.gateway import _not_found

    apis = [next(iter(found.values())) for found in (_of_type(t, "AWS::Serverless::Api") for t in templates.values())
            if found]
    for api in apis:
        responses = api["Properties"]["GatewayResponses"]
        assert {"MISSING_AUTHENTICATION_TOKEN", "UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "WAF_FILTERED",
                "DEFAULT_4XX", "DEFAULT_5XX"} <= set(responses)
        for response in responses.values():
            body = json.loads(response["ResponseTemplates"]["application/json"])
            assert set(body) == {"code", "message"} and set(body["message"]) == {"vi", "en"}
            assert "$" not in response["ResponseTemplates"]["application/json"]  # no VTL surprises
            assert response["ResponseParameters"]["Headers"]["Cache-Control"] == "'no-store'"
        assert {name: responses[name].get("StatusCode") for name in ("MISSING_AUTHENTICATION_TOKEN", "THROTTLED")} \
            == {"MISSING_AUTHENTICATION_TOKEN": "404", "THROTTLED": "429"}
        # An unknown path answers the same in the cloud as on the local edge.
        status, _, local_body = _not_found()
        cloud = responses["MISSING_AUTHENTICATION_TOKEN"]
        assert (str(status), json.loads(local_body)) == (
            cloud["StatusCode"], json.loads(cloud["ResponseTemplates"]["application/json"])
        )

def test_the_dependencies_layer_holds_lambda_builds_of_the_requirements_but_not_boto(stacks):
    from phananh_cdk.layer import (
        MAX_UNZIPPED_BYTES,
        SHARED_REQUIREMENTS,
        build_dependencies_layer_dir,
        build_layer_dir,
        unzipped_size,
    )

    dependencies = build_dependencies_layer_dir()
    python = dependencies / "python"
    installed = {
        re.sub(r"[-_.]+", "-", info.name.split("-")[0]).lower() for info in python.glob("*.dist-info")
    }
    required = {
        re.sub(r"[-_.]+", "-", re.split(r"[\[=<>]", line)[0]).lower()
        for line in SHARED_REQUIREMENTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert required <= installed
    assert not {"boto3", "botocore", "s3transfer"} & installed
    # Wheels built for Lambda (CPython 3.11, manylinux x86_64), not for whatever machine synthesizes.
    tags = {
        line.removeprefix("Tag: ")
        for wheel in python.glob("*.dist-info/WHEEL")
        for line in wheel.read_text(encoding="utf-8").splitlines()
        if line.startswith("Tag: ")
    }
    binary = {tag for tag in tags if not tag.endswith("-none-any")}
    assert binary and all(
        re.fullmatch(r"cp311-(cp311|abi3)-manylinux\w*_x86_64", tag) for tag in binary
    ), binary
    package = build_layer_dir(_wards_geojson())
    assert unzipped_size([dependencies, package]) < MAX_UNZIPPED_BYTES * 0.8


def _pins(requirements: Path) -> dict[str, str]:
    return {
        re.sub(r"[-_.]+", "-", name.split("[")[0]).lower(): version
        for line in requirements.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
        for name, version in [line.split("#")[0].strip().split("==")]
    }


def test_each_function_with_its_layers_fits_lambdas_unzipped_limit():
    """The photos function has OpenCV's layer instead of the shared packages: each function's
    layers, installed from the real Lambda wheels, and its own code stay under 250 MB unzipped."""
    from phananh_cdk.app_stack import deployable_apps
    from phananh_cdk.layer import (
        MAX_UNZIPPED_BYTES,
        PHOTO_DEPENDENCIES,
        SHARED_DEPENDENCIES,
        build_dependencies_layer_dir,
        build_layer_dir,
        unzipped_size,
    )

    package = build_layer_dir(_wards_geojson())
    shared, photos = (build_dependencies_layer_dir(deps) for deps in (SHARED_DEPENDENCIES, PHOTO_DEPENDENCIES))
    sizes = {}
    for spec in deployable_apps():
        layers = [photos if spec.photo_dependencies else shared, package]
        sizes[spec.name] = unzipped_size([*layers, spec.source_dir])
    assert max(sizes.values()) < MAX_UNZIPPED_BYTES, sizes
    assert [spec.name for spec in deployable_apps() if spec.photo_dependencies] == ["photos"]
    # What the shared set and OpenCV together would weigh: why the photos function has its own.
    assert unzipped_size([shared, photos, package]) > MAX_UNZIPPED_BYTES
    assert (photos / "python" / "cv2" / "data" / "haarcascade_frontalface_default.xml").is_file()
    assert (photos / "python" / "cv2" / "data" / "haarcascade_russian_plate_number.xml").is_file()


def test_the_photo_layer_pins_what_the_shared_one_pins_at_the_same_versions():
    from phananh_cdk.layer import PHOTO_REQUIREMENTS, SHARED_REQUIREMENTS

    shared, photos = _pins(SHARED_REQUIREMENTS), _pins(PHOTO_REQUIREMENTS)
    assert {name: photos[name] for name in photos.keys() & shared.keys()} == {
        name: shared[name] for name in photos.keys() & shared.keys()
    }
    assert {"pillow", "pillow-heif", "aws-lambda-powertools", "opencv-python-headless"} <= photos.keys()


def _wards_geojson() -> Path:
    from phananh_cdk.config import file_context, repo_path

    return repo_path(file_context()["wards_geojson"])


# -- the edge ----------------------------------------------------------------------------------------


def _matches(pattern: str, path: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path) is not None


def test_every_edge_route_has_its_behaviour_in_the_same_order_the_gateway_picks(templates):
    edge = templates[f"{PREFIX}-edge"]
    (distribution,) = _of_type(edge, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    origin_of = {origin["Id"]: origin for origin in config["Origins"]}
    routes = [route for route in json.loads(EDGE_ROUTES.read_text(encoding="utf-8"))["routes"] if "app" in route]
    api_origin_ids = {origin["Id"] for origin in config["Origins"] if "CustomOriginConfig" in origin}

    def app_of(origin_id: str) -> str:
        (imported,) = re.findall(r"phananh-(\w+):", json.dumps(origin_of[origin_id]["DomainName"]))
        return imported

    # The web apps' and the open data's behaviours (tests/infra/test_web.py) come first; the site is the default.
    behaviours = [behaviour for behaviour in config["CacheBehaviors"] if behaviour["TargetOriginId"] in api_origin_ids]
    assert config["CacheBehaviors"][-len(behaviours):] == behaviours
    assert config["DefaultCacheBehavior"]["TargetOriginId"] not in api_origin_ids
    assert len(behaviours) == len(routes)

    def first_api(path: str) -> str | None:
        matching = [behaviour for behaviour in config["CacheBehaviors"] if _matches(behaviour["PathPattern"], path)]
        return app_of(matching[0]["TargetOriginId"]) if matching and matching[0] in behaviours else None

    for route in routes:
        # A sample path of the route, which the first matching behaviour must send to the route's app.
        path = route["path_prefix"] + ("x1" + route.get("path_suffix", "") if route["path_prefix"].endswith("/")
                                       else route.get("path_suffix", ""))
        assert first_api(path) == route["app"], (route, path)
    # Every documented API path reaches an API, never the site's 404.
    for documented in json.loads(OPENAPI.read_text(encoding="utf-8"))["paths"]:
        path = re.sub(r"\{[^}]+\}", "x1", documented)
        assert first_api(path) is not None, documented
    for behaviour in behaviours:
        # Managed policies: CachingDisabled, AllViewerExceptHostHeader (forwards Authorization).
        assert behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
        assert behaviour["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert "POST" in behaviour["AllowedMethods"]
    for origin in (origin for origin in config["Origins"] if origin["Id"] in api_origin_ids):
        assert origin["OriginPath"] == "/api"
        assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def _web_acls(edge: dict) -> dict[str, tuple[str, dict]]:
    return {acl["Properties"]["Name"]: (acl_id, acl) for acl_id, acl in _of_type(edge, "AWS::WAFv2::WebACL").items()}


def _rate_rule(acl: dict) -> dict:
    (rule,) = [rule for rule in acl["Properties"]["Rules"] if "RateBasedStatement" in rule["Statement"]]
    return rule


@pytest.mark.parametrize(("acl_name", "limit", "apps"), [
    (f"{PREFIX}-anonymous", 300, ["rate", "submit"]),
    # The officers' API too: on its execute-api name, junk would drain its throttle before the authorizer ran.
    (f"{PREFIX}-officers", 1500, ["handle"]),
])
def test_every_api_stage_carries_a_rate_based_web_acl(templates, acl_name, limit, apps):
    edge = templates[f"{PREFIX}-edge"]
    acl_id, acl = _web_acls(edge)[acl_name]
    assert acl["Properties"]["Scope"] == "REGIONAL"
    rule = _rate_rule(acl)
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["Limit"] == limit and statement["AggregateKeyType"] == "FORWARDED_IP"
    assert rule["Action"] == {"Block": {}}
    associations = [
        association for association in _of_type(edge, "AWS::WAFv2::WebACLAssociation").values()
        if association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    ]
    associated = sorted(
        re.findall(r"phananh-(\w+):", json.dumps(association["Properties"]["ResourceArn"]))[0]
        for association in associations
    )
    assert associated == apps
    for association in associations:
        assert "/stages/api" in json.dumps(association["Properties"]["ResourceArn"])


def test_no_api_stage_is_left_without_a_web_acl(templates):
    edge = templates[f"{PREFIX}-edge"]
    apis = {stack for stack, template in templates.items() if _of_type(template, "AWS::Serverless::Api")}
    associated = {
        f"{PREFIX}-" + re.findall(r"phananh-(\w+):", json.dumps(association["Properties"]["ResourceArn"]))[0]
        for association in _of_type(edge, "AWS::WAFv2::WebACLAssociation").values()
    }
    assert associated == apis


def test_every_api_stage_writes_access_logs_to_a_group_with_retention(templates):
    apis = {stack: _of_type(template, "AWS::Serverless::Api") for stack, template in templates.items()}
    apis = {stack: next(iter(found.values())) for stack, found in apis.items() if found}
    assert apis
    for stack, api in apis.items():
        setting = api["Properties"]["AccessLogSetting"]
        (group_id,) = setting["DestinationArn"]["Fn::GetAtt"][:1]
        group = templates[stack]["Resources"][group_id]
        assert group["Type"] == "AWS::Logs::LogGroup"
        assert group["Properties"]["LogGroupName"] == f"/aws/apigateway/{stack}"
        assert group["Properties"]["RetentionInDays"] == 365
        fields = json.loads(setting["Format"])
        # Who was refused before the function ran, and why.
        assert {"$context.requestId", "$context.status", "$context.error.responseType", "$context.waf.status",
                "$context.authorizer.status"} <= set(fields.values())
        # Nothing that names a person: no source address, no query string, no token.
        assert not re.search(r"identity|querystring|authorization|header", setting["Format"], re.IGNORECASE)


def test_the_account_names_api_gateways_logs_role_before_any_stage_exists(templates, stacks):
    account = templates[f"{PREFIX}-account"]
    (setting,) = _of_type(account, "AWS::ApiGateway::Account").values()
    (role_id, role), = _of_type(account, "AWS::IAM::Role").items()
    assert setting["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "apigateway.amazonaws.com"
    }
    assert "AmazonAPIGatewayPushToCloudWatchLogs" in json.dumps(role["Properties"]["ManagedPolicyArns"])
    for app in stacks.apps.values():
        if app.api is not None:
            assert stacks.account in app.dependencies, app.stack_name


# -- observability -------------------------------------------------------------------------------------


def test_ops_topic_is_encrypted_and_ssl_only(templates):
    observability = templates[f"{PREFIX}-observability"]
    (topic,) = _of_type(observability, "AWS::SNS::Topic").values()
    assert "Fn::GetAtt" in json.dumps(topic["Properties"]["KmsMasterKeyId"])
    (policy,) = _of_type(observability, "AWS::SNS::TopicPolicy").values()
    assert any(statement["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(statement)
               for statement in policy["Properties"]["PolicyDocument"]["Statement"])


def test_alarms_cover_what_the_issue_names_and_all_page_the_ops_topic(templates):
    observability = templates[f"{PREFIX}-observability"]
    (topic_id,) = _of_type(observability, "AWS::SNS::Topic")
    alarms = _of_type(observability, "AWS::CloudWatch::Alarm")
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic_id}]
    names = " ".join(alarms)
    for expected in ("DeadLetters", "ServerErrors", "Throttles", "EscalationFailures", "OverdueRising",
                     "NoSubmissions"):
        assert expected in names, expected
    expressions = json.dumps([alarm["Properties"].get("Metrics") for alarm in alarms.values()])
    assert "100 * errors / requests" in expressions
    assert "HOUR(TIME_SERIES(0))" in expressions and "DIFF(overdue)" in expressions
    dead_letter = [alarm for key, alarm in alarms.items() if key.startswith("DeadLetters")]
    # The intake's, the uploads' (the photo check) and the failed events'.
    assert len(dead_letter) == 4  # intake, uploads and delivery dead letters, failed events
    assert all(alarm["Properties"]["Threshold"] == 1 for alarm in dead_letter)


def test_dashboard_reads_the_metrics_the_code_emits(templates, capsys):
    """The dashboard's Phananh metrics carry exactly the dimensions of the code's EMF lines."""
    from phananh.shared import observability

    # Whatever other tests added with metrics disabled is still buffered.
    observability.metrics.clear_metrics()
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
        observability.count("ReportSubmitted")
        observability.flush()
        observability.count_by("Escalated", "level", "2")
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    emitted_dimensions = {
        metric["Name"]: sorted(dimension_set)
        for line in emitted
        for directive in line["_aws"]["CloudWatchMetrics"]
        for dimension_set in directive["Dimensions"]
        for metric in directive["Metrics"]
    }
    assert emitted_dimensions == {"ReportSubmitted": ["service"], "Escalated": ["level", "service"]}

    observability_template = templates[f"{PREFIX}-observability"]
    (dashboard,) = _of_type(observability_template, "AWS::CloudWatch::Dashboard").values()
    body = json.loads("".join(
        part if isinstance(part, str) else "0" for part in dashboard["Properties"]["DashboardBody"]["Fn::Join"][1]
    ))
    phananh_metrics = [
        metric for widget in body["widgets"] if widget["type"] == "metric"
        for metric in widget["properties"]["metrics"] if metric[0] == "Phananh"
    ]
    names = {metric[1] for metric in phananh_metrics}
    assert {"ReportSubmitted", "RoutingLatency", "PhotoRejected", "Escalated", "SatisfactionScore",
            "OverdueReports"} <= names
    for metric in phananh_metrics:
        dimensions = dict(zip(metric[2:-1:2], metric[3:-1:2], strict=False))
        assert dimensions.get("service") == "phananh", metric
        if metric[1] == "Escalated":
            assert set(dimensions) == {"service", "level"}
        else:
            assert set(dimensions) == {"service"}


# -- configuration (no synthesis) ---------------------------------------------------------------------


class _Context:
    def __init__(self, **overrides):
        from phananh_cdk.config import file_context

        self.values = {**file_context(), **overrides}

    def try_get_context(self, key):
        return self.values.get(key)


def test_configuration_comes_from_the_context_with_checked_values():
    from phananh_cdk.config import DeployConfig

    config = DeployConfig.from_context(_Context(ops_emails="ops@tinh.gov.vn, it@tinh.gov.vn", province="Cần Thơ"))
    assert config.ops_emails == ("ops@tinh.gov.vn", "it@tinh.gov.vn")
    assert config.province == "Cần Thơ"
    assert config.domain_name is None and config.reserved_concurrency == {"route": 10, "schedule": 1}
    with pytest.raises(ValueError, match="certificate_arn"):
        DeployConfig.from_context(_Context(domain_name="phananh.tinh.gov.vn"))
    with pytest.raises(ValueError, match="daytime_hours"):
        DeployConfig.from_context(_Context(daytime_hours=[9, 12]))
    with pytest.raises(ValueError, match="province"):
        DeployConfig.from_context(_Context(province=""))


def test_the_no_submissions_alarm_watches_local_daytime_in_utc_hours():
    from phananh_cdk.config import DeployConfig
    from phananh_cdk.observability_stack import daytime_condition

    ict = DeployConfig.from_context(_Context())
    assert daytime_condition(ict, "HOUR(m)") == "(HOUR(m) >= 0 AND HOUR(m) < 14)"
    # 06:00–22:00 at UTC+7 spans midnight UTC.
    early = DeployConfig.from_context(_Context(daytime_hours=[6, 22]))
    assert daytime_condition(early, "HOUR(m)") == "(HOUR(m) >= 23 OR HOUR(m) < 15)"
