"""What the public site's browser tests share: reports filed and worked through the API (the citizen's
and the officer's routes, as the apps call them), and the public routes read directly to compare the
pages against."""

from __future__ import annotations

from typing import Any

import requests
from browser.harness import file_report
from local_stack_runner import banner_tokens, wait_until

# The demo officer the banner names works `roads` at Vị Thanh (harness.file_report's default).
OFFICER = "officer"


def officer_api(stack, method: str, path: str, **kwargs) -> requests.Response:
    _, token = banner_tokens(stack)[OFFICER]
    return requests.request(method, f"{stack.base_url}{path}", headers={"Authorization": f"Bearer {token}"},
                            timeout=10, **kwargs)


def officer_acts(stack, report_id: str, action: str, **body: Any) -> None:
    """One step of the officer's work on a report, at the version it is now."""
    current = officer_api(stack, "GET", f"/officer/reports/{report_id}")
    assert current.status_code == 200, current.text
    done = officer_api(stack, "POST", f"/officer/reports/{report_id}/{action}",
                       json={"version": current.json()["version"], **body})
    assert done.status_code == 200, done.text


def public(stack, path: str, **params: Any) -> Any:
    response = requests.get(f"{stack.base_url}{path}", params=params, timeout=20)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response.json()


def published_report(stack, **fields: Any) -> dict[str, Any]:
    """A citizen's report, filed and routed, once the public can see it (its receipt)."""
    receipt = file_report(stack.base_url, **fields)
    wait_until(lambda: requests.get(f"{stack.base_url}/public/reports/{receipt['report_id']}", timeout=10).ok)
    return receipt
