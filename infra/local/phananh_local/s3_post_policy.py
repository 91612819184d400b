"""S3's rules for browser uploads (presigned POST forms), enforced in front of moto's server.

moto stores whatever is posted to a bucket: a file larger than the form's `content-length-range`,
of another content type, after the policy expired, or under a policy someone rewrote. S3 refuses
all of these, so the local stack must too, or tests would see less than the cloud. What S3 checks
(Amazon S3 API Reference, "Browser-based uploads using POST" and "Creating a POST policy"):

* the policy is signed (SigV4: an HMAC of the base64 policy under the credential's signing key);
* it has not expired;
* every condition holds: exact matches, `eq`, `starts-with`, `content-length-range` on the file;
* every form field but policy, x-amz-signature, file and x-ignore-* is covered by a condition.

A refusal is S3's XML error, with S3's status: 400 for a file out of range, 403 otherwise.

A browser's CORS preflight to a bucket without a CORS configuration is refused too, as S3 refuses it
(moto's server would allow any origin everywhere; with a configuration moto applies its rules itself).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server
from werkzeug.wrappers import Request

# Fields a policy need not mention.
_UNCOVERED_FIELDS = frozenset({"policy", "x-amz-signature", "file"})


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    extra: Mapping[str, str] = field(default_factory=dict)  # more XML elements, as S3 adds to EntityTooLarge

    def xml(self) -> bytes:
        elements = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in self.extra.items())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>{elements}"
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
        ).encode()


def _denied(reason: str) -> Refusal:
    return Refusal(403, "AccessDenied", f"Invalid according to Policy: {reason}")


def check_post(
    fields: Mapping[str, str], file_size: int, bucket: str, now: datetime, secret_for: Callable[[str], str | None]
) -> Refusal | None:
    """Why S3 would refuse this upload form (field names as posted, the file's size in bytes, the
    bucket the form was posted to), or None if it would store the file."""
    named = {name.lower(): value for name, value in fields.items()}
    encoded = named.get("policy")
    if encoded is None:
        return Refusal(403, "AccessDenied", "Access Denied")  # an anonymous upload to a private bucket
    signature_problem = _signature_problem(named, encoded, secret_for)
    if signature_problem is not None:
        return signature_problem
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
        expiration = datetime.fromisoformat(policy["expiration"])
        conditions = policy["conditions"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        return Refusal(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
    if now >= expiration:
        return _denied("Policy expired.")
    values = {**named, "bucket": bucket}
    covered: set[str] = set()
    for condition in conditions:
        refusal = _condition_refusal(condition, values, file_size, covered)
        if refusal is not None:
            return refusal
    extra = sorted(name for name in named if name not in _UNCOVERED_FIELDS | covered
                   and not name.startswith("x-ignore-"))
    if extra:
        return _denied(f"Extra input fields: {', '.join(extra)}")
    return None


def _signature_problem(
    named: Mapping[str, str], encoded: str, secret_for: Callable[[str], str | None]
) -> Refusal | None:
    if named.get("x-amz-algorithm") != "AWS4-HMAC-SHA256" or "x-amz-signature" not in named:
        return Refusal(400, "InvalidRequest", "The form must be signed with AWS4-HMAC-SHA256.")
    try:
        access_key, date, region, service, terminal = named.get("x-amz-credential", "").split("/")
    except ValueError:
        return Refusal(400, "AuthorizationQueryParametersError", "Invalid credential in the form.")
    secret = secret_for(access_key)
    if secret is None:
        return Refusal(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, terminal):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, named["x-amz-signature"]):
        return Refusal(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                       "signature you provided. Check your key and signing method.")
    return None


def _condition_refusal(condition: Any, values: Mapping[str, str], file_size: int, covered: set[str]) -> Refusal | None:
    failed = _denied(f"Policy Condition failed: {json.dumps(condition)}")
    if isinstance(condition, dict) and len(condition) == 1:
        [(name, wanted)] = condition.items()
        covered.add(name.lower())
        return None if values.get(name.lower()) == wanted else failed
    if not isinstance(condition, list) or len(condition) != 3:
        return Refusal(400, "InvalidPolicyDocument", f"Invalid Policy: Invalid Condition: {json.dumps(condition)}")
    operator, first, second = condition
    if operator == "content-length-range":
        if file_size > second:
            return Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                           {"ProposedSize": str(file_size), "MaxSizeAllowed": str(second)})
        if file_size < first:
            return Refusal(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                           {"ProposedSize": str(file_size), "MinSizeAllowed": str(first)})
        return None
    name = str(first).removeprefix("$").lower()
    covered.add(name)
    value = values.get(name)
    if operator == "eq":
        return None if value == second else failed
    if operator == "starts-with":
        # Content-Type may list several types; each must start with the prefix.
        parts = value.split(",") if value is not None and name == "content-type" else [value]
        return None if all(part is not None and part.strip().startswith(second) for part in parts) else failed
    return Refusal(400, "InvalidPolicyDocument", f"Invalid Policy: Invalid Condition: {json.dumps(condition)}")


def _environment_secret(access_key: str) -> str | None:
    """The one credential the local stack signs with (its dummy keys, from the environment)."""
    return os.environ.get("AWS_SECRET_ACCESS_KEY") if access_key == os.environ.get("AWS_ACCESS_KEY_ID") else None


class PostPolicyGate:
    """WSGI middleware: a multipart form posted to a bucket passes on to moto only if S3 would take it."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        preflight_refusal = _preflight_refusal(environ)
        if preflight_refusal is not None:
            return _refuse(preflight_refusal, start_response)
        bucket = self._bucket(environ)
        if bucket is None:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        request = Request({**environ, "wsgi.input": io.BytesIO(body)})
        upload = request.files.get("file")
        size = len(upload.read()) if upload is not None else 0
        refusal = check_post(request.form.to_dict(), size, bucket, datetime.now(UTC), _environment_secret)
        environ["wsgi.input"] = io.BytesIO(body)
        if refusal is None:
            return self.app(environ, start_response)
        return _refuse(refusal, start_response)

    @staticmethod
    def _bucket(environ: Mapping[str, Any]) -> str | None:
        """The bucket of a browser upload (a multipart POST to a path-style bucket URL), else None."""
        if environ.get("REQUEST_METHOD") != "POST":
            return None
        if not environ.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
            return None
        segments = environ.get("PATH_INFO", "").strip("/").split("/")
        return segments[0] if len(segments) == 1 and segments[0] else None


def _refuse(refusal: Refusal, start_response: Callable[..., Any]) -> list[bytes]:
    document = refusal.xml()
    start_response(f"{refusal.status} {'Bad Request' if refusal.status == 400 else 'Forbidden'}", [
        ("Content-Type", "application/xml"), ("Content-Length", str(len(document)))])
    return [document]


def _preflight_refusal(environ: Mapping[str, Any]) -> Refusal | None:
    """S3's answer to a CORS preflight (OPTIONS with Origin) at a path-style bucket URL of a bucket with no
    CORS rules; None for anything else."""
    if environ.get("REQUEST_METHOD") != "OPTIONS" or not environ.get("HTTP_ORIGIN"):
        return None
    if "HTTP_ACCESS_CONTROL_REQUEST_METHOD" not in environ:
        return None
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    name = environ.get("PATH_INFO", "").strip("/").split("/", 1)[0]
    bucket = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets.get(name) if name else None
    if bucket is None or bucket.cors:
        return None
    return Refusal(403, "CORSResponse", "CORS is not enabled for this bucket.")


class PolicyCheckingMotoServer(ThreadedMotoServer):
    """moto's threaded server with the gate in front of its application."""

    def _server_entry(self) -> None:
        self._server = make_server(
            self._ip_address, self._port, PostPolicyGate(DomainDispatcherApplication(create_backend_app)), True,
            request_handler=MotoRequestHandler,
        )
        self._server_ready_event.set()
        self._server.serve_forever()
