"""The apps stay apart: none imports another app's code, and none imports the infrastructure code.

(The layer's own shape is checked by import-linter's contracts in pyproject.toml, run by `make lint`.)
"""

import ast

import pytest
from repo_files import REPO_ROOT

FUNCTIONS = REPO_ROOT / "functions"
APPS = sorted(path.name for path in FUNCTIONS.iterdir() if (path / "app.py").exists())
INFRASTRUCTURE = ("phananh_local", "phananh_cdk", "aws_cdk", "infra")


def imported_modules(app: str) -> set[str]:
    modules = set()
    for source in (FUNCTIONS / app).rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)
    return modules


def test_every_app_is_found():
    assert {"submit", "handle", "rate", "route", "photos", "schedule"} <= set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_no_other_app(app):
    others = {"functions", *(name for name in APPS if name != app)}
    assert {module for module in imported_modules(app) if module.split(".")[0] in others} == set()


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_no_infrastructure_code(app):
    assert {module for module in imported_modules(app) if module.split(".")[0] in INFRASTRUCTURE} == set()
