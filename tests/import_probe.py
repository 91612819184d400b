"""What a fresh interpreter imports for a given statement: a cold start, seen from outside."""

import json
import os
import subprocess
import sys
from collections.abc import Iterable

from repo_files import REPO_ROOT


def modules_loaded_by(statement: str, watched: Iterable[str]) -> set[str]:
    """The `watched` modules present in sys.modules after running `statement` in a new process."""
    probe = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))\n"
    path = os.pathsep.join(str(REPO_ROOT / part) for part in ("layers/shared/python", "infra/local"))
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )
    return set(watched) & set(json.loads(result.stdout))
