"""How the local edge serves the console, seen from Chromium: the built files with the cloud's security
headers, the single-page fallback, the config.json of the deployment, and what the console's origin
may reach (moto's Cognito, the photos bucket's presigned POSTs) under its Content-Security-Policy."""

import base64
import re

import requests
from browser.harness import check_accessibility, file_report, page_record, reporter_view, screenshot
from local_stack_runner import banner_tokens, wait_until
from photo_samples import jpeg_with_gps

from phananh_local.identities import DEMO_PASSWORD, local_totp_secret

SECURITY_HEADERS = (
    "content-security-policy", "strict-transport-security", "x-content-type-options", "referrer-policy",
    "x-frame-options",
)


def _pool_and_client(stack) -> tuple[str, str]:
    cognito = stack.aws("cognito-idp")
    [pool] = [pool for pool in cognito.list_user_pools(MaxResults=10)["UserPools"] if pool["Name"].endswith("officers")]
    [client] = cognito.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=10)["UserPoolClients"]
    return pool["Id"], client["ClientId"]


def test_the_banner_says_where_the_console_is_and_how_to_sign_in(stack):
    banner = "".join(stack.output)
    assert f"{stack.base_url}/console/" in banner
    assert DEMO_PASSWORD in banner
    for role, officer_id in (("officer", "so_xay_dung.officer"), ("unit_head", "so_xay_dung.head"),
                             ("coordinator", "ban_dieu_phoi.coordinator1")):
        assert re.search(rf"^\s+{role}\s+{re.escape(officer_id)}", banner, re.MULTILINE), role
    assert "make totp" in banner and local_totp_secret() in banner


def test_the_console_loads_with_the_security_headers_and_no_csp_violation(page, stack):
    response = page.goto("/console/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    headers = response.headers
    for name in SECURITY_HEADERS:
        assert name in headers, f"{name} missing from {headers}"
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert f"connect-src 'self' {stack.moto_url}" in csp
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    page.wait_for_load_state("networkidle")
    screenshot(page, "console-index")
    check_accessibility(page, "console-index")
    assert not [line for line in page_record(page).console if "Content Security Policy" in line]
    assert page_record(page).csp_violations == []


def test_the_csp_refuses_an_inline_script_and_the_harness_sees_it(page, stack):
    page.goto("/console/")
    page.wait_for_load_state("networkidle")
    # What an injected script would try: the policy refuses it, the page reports the violation.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.hit = 1';"
                  " document.head.append(s); }")
    # Playwright delivers the page's report while it waits on the page, not while Python sleeps.
    for _ in range(50):
        if page_record(page).csp_violations:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.hit") is None
    assert page_record(page).csp_violations[0]["directive"] == "script-src-elem"
    page_record(page).csp_violations.clear()  # seen and checked: the fixture's teardown must not fail on it


def test_config_json_names_the_local_pool_and_moto(stack):
    response = requests.get(f"{stack.base_url}/console/config.json", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    pool_id, client_id = _pool_and_client(stack)
    assert response.json() == {
        "region": "ap-southeast-1", "userPoolId": pool_id, "clientId": client_id,
        "cognitoEndpoint": stack.moto_url, "authFlow": "USER_PASSWORD_AUTH", "tileUrl": None, "tileAttribution": None,
    }


def test_deep_links_fall_back_to_the_index_and_missing_files_are_404(stack):
    index = requests.get(f"{stack.base_url}/console/", timeout=10)
    for deep in ("/console/reports/r-123", "/console/map", "/console/sign-in?next=%2Fconsole%2Fteam"):
        response = requests.get(f"{stack.base_url}{deep}", timeout=10)
        assert (response.status_code, response.text) == (200, index.text), deep
        assert "content-security-policy" in response.headers
    bare = requests.get(f"{stack.base_url}/console", allow_redirects=False, timeout=10)
    assert (bare.status_code, bare.headers["Location"]) == (301, "/console/")
    missing = requests.get(f"{stack.base_url}/console/assets/none-such.js", timeout=10)
    assert missing.status_code == 404
    assert "content-security-policy" in missing.headers
    outside = requests.get(f"{stack.base_url}/console/..%2F..%2Fpackage.json", timeout=10)
    assert outside.status_code == 404
    assert requests.post(f"{stack.base_url}/console/", timeout=10).status_code == 405
    # The APIs are untouched beside it.
    assert requests.get(f"{stack.base_url}/officer/reports", timeout=10).status_code == 401


def test_the_console_origin_signs_in_at_moto_with_the_password_flow(page, stack):
    """What amazon-cognito-identity-js sends with USER_PASSWORD_AUTH: a cross-origin JSON POST to
    Cognito, allowed by moto's CORS and the console's connect-src."""
    page.goto("/console/")
    _, client_id = _pool_and_client(stack)
    result = page.evaluate(
        """async ([endpoint, clientId, username, password]) => {
            const response = await fetch(endpoint + '/', {method: 'POST', headers: {
                'Content-Type': 'application/x-amz-json-1.1',
                'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth'},
              body: JSON.stringify({AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
                                    AuthParameters: {USERNAME: username, PASSWORD: password}})});
            return {status: response.status, body: await response.json()};
        }""",
        [stack.moto_url, client_id, "so_xay_dung.officer", DEMO_PASSWORD],
    )
    assert result["status"] == 200, result
    assert result["body"]["AuthenticationResult"]["IdToken"].startswith("eyJ")
    # A unit head has TOTP enrolled: the pool asks for the code.
    head = page.evaluate(
        """async ([endpoint, clientId, username, password]) => (await (await fetch(endpoint + '/', {method: 'POST',
            headers: {'Content-Type': 'application/x-amz-json-1.1',
                      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth'},
            body: JSON.stringify({AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
                                  AuthParameters: {USERNAME: username, PASSWORD: password}})})).json())""",
        [stack.moto_url, client_id, "so_xay_dung.head", DEMO_PASSWORD],
    )
    assert head["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_an_after_photo_uploads_from_the_console_origin_with_progress(page, stack):
    """The resolve action's presigned POST, sent as the console sends it (XMLHttpRequest with an upload
    progress listener, which makes Chromium ask S3 first with a CORS preflight)."""
    receipt = file_report(stack.base_url, description="Đèn đường hỏng trước chợ")
    _, token = banner_tokens(stack)["officer"]
    officer = {"Authorization": f"Bearer {token}"}
    base = f"{stack.base_url}/officer/reports/{receipt['report_id']}"
    assert requests.post(f"{base}/acknowledge", json={}, headers=officer, timeout=10).status_code == 200
    resolved = requests.post(f"{base}/resolve", json={"note": "Đã thay bóng đèn.", "photo_count": 1},
                             headers=officer, timeout=10)
    assert resolved.status_code == 200, resolved.text
    [upload] = resolved.json()["uploads"]

    page.goto("/console/")
    posted = page.evaluate(
        """([url, fields, photo]) => new Promise((resolve) => {
            const form = new FormData();
            for (const [name, value] of Object.entries(fields)) form.append(name, value);
            form.append('Content-Type', 'image/jpeg');
            const bytes = Uint8Array.from(atob(photo), (c) => c.charCodeAt(0));
            form.append('file', new Blob([bytes], {type: 'image/jpeg'}), 'after.jpg');
            const request = new XMLHttpRequest();
            let progressed = 0;
            request.upload.addEventListener('progress', (event) => { progressed = event.loaded; });
            request.onload = () => resolve({status: request.status, progressed});
            request.onerror = () => resolve({status: 0, progressed});
            request.open('POST', url);
            request.send(form);
        })""",
        [upload["url"], upload["fields"], base64.b64encode(jpeg_with_gps(colour=(240, 200, 40))).decode()],
    )
    assert posted["status"] in (200, 201, 204), posted
    assert posted["progressed"] > 0
    view = wait_until(lambda: (view := reporter_view(stack.base_url, receipt)).get("result", {}).get("photos") and view)
    assert view["status"] == "RESOLVED"
    assert page_record(page).csp_violations == []
