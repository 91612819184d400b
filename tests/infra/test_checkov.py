"""A second opinion on the synthesized templates: checkov, whose every finding is either fixed in the
stacks or acknowledged with its reason in phananh_cdk.checkov_acknowledgements.

checkov pins older boto3, botocore, networkx and packaging than the project does, so it lives in a
virtualenv of its own (`make checkov`, which `make test` runs): .venv-checkov, or PHANANH_CHECKOV.
"""

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.infra

REPO_ROOT = Path(__file__).parents[2]
CHECKOV = Path(os.environ.get("PHANANH_CHECKOV", REPO_ROOT / ".venv-checkov" / "bin" / "checkov"))
# checkov passes some hundred checks on these templates; far fewer means it read nothing.
MIN_PASSED = 100


@pytest.fixture(scope="module")
def checkov_report(cloud_assembly, tmp_path_factory) -> dict:
    if not CHECKOV.is_file():
        pytest.skip(f"checkov is not installed at {CHECKOV}: run `make checkov`")
    # Only the templates: the asset folders hold the layers' packages, which checkov would parse too.
    templates = tmp_path_factory.mktemp("templates")
    for template in Path(cloud_assembly.directory).glob("*.template.json"):
        shutil.copy(template, templates)
    result = subprocess.run(
        [str(CHECKOV), "--directory", str(templates), "--framework", "cloudformation", "--output", "json",
         "--compact", "--quiet", "--skip-download"],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    # checkov exits 1 when a check failed: what counts is whether each failure is acknowledged.
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["check_type"] == "cloudformation"
    return report


@pytest.fixture(scope="module")
def acknowledgements(cdk_app):
    from phananh_cdk.checkov_acknowledgements import checkov_acknowledgements

    app, _ = cdk_app
    return checkov_acknowledgements(custom_domain=bool(app.node.try_get_context("domain_name")))


def _findings(report: dict) -> list[tuple[str, str, str]]:
    return [
        (check["check_id"], check["resource"], check["file_path"]) for check in report["results"]["failed_checks"]
    ]


def test_checkov_read_the_templates(checkov_report):
    summary = checkov_report["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["passed"] >= MIN_PASSED, summary


def test_every_checkov_finding_is_fixed_or_acknowledged(checkov_report, acknowledgements):
    open_findings = [
        finding for finding in _findings(checkov_report)
        if not any(acknowledgement.covers(finding[0], finding[1]) for acknowledgement in acknowledgements)
    ]
    assert open_findings == []


def test_every_acknowledgement_still_covers_a_finding_and_says_why(checkov_report, acknowledgements):
    findings = _findings(checkov_report)
    # Each resource pattern on its own: one that matches nothing any more must go.
    stale = [
        (acknowledgement.check_id, pattern)
        for acknowledgement in acknowledgements
        for pattern in acknowledgement.resources
        if not any(
            dataclasses.replace(acknowledgement, resources=(pattern,)).covers(check_id, resource)
            for check_id, resource, _ in findings
        )
    ]
    assert stale == []
    for acknowledgement in acknowledgements:
        assert len(acknowledgement.reason) >= 80, acknowledgement.check_id


@pytest.mark.parametrize(
    ("check_id", "what"),
    [
        ("CKV_AWS_21", "the photos bucket keeps versions"),
        ("CKV_AWS_76", "every API stage writes access logs"),
        ("CKV_AWS_27", "every queue is encrypted"),
    ],
)
def test_the_gaps_checkov_found_are_fixed_not_acknowledged(checkov_report, acknowledgements, check_id, what):
    assert check_id not in {finding[0] for finding in _findings(checkov_report)}, what
    assert check_id not in {acknowledgement.check_id for acknowledgement in acknowledgements}
