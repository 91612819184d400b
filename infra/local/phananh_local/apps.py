"""Load the Chalice apps of functions/ into one process, for the local stack and the tests.

Chalice expects each app to be *the* module named `app`; several in one process would silently
share the first one. Each app is therefore loaded under its own module name, with its folder
importable while it loads, as Lambda has it, for the app's own `chalicelib` package.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[3]
FUNCTIONS_DIR = REPO_ROOT / "functions"


def app_dir(name: str) -> Path:
    return FUNCTIONS_DIR / name


@cache
def load_chalice_app(name: str) -> ModuleType:
    """The module of functions/<name>/app.py, loaded once per process as `phananh_<name>_app`."""
    module_name = f"phananh_{name}_app"
    spec = importlib.util.spec_from_file_location(module_name, app_dir(name) / "app.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no Chalice app at {app_dir(name)}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    # Every app's package is called chalicelib: the one an earlier app loaded must not stand in for this one's.
    for loaded in [name for name in sys.modules if name == "chalicelib" or name.startswith("chalicelib.")]:
        del sys.modules[loaded]
    sys.path.insert(0, str(app_dir(name)))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(app_dir(name)))
    return module
