"""Who files a report, as far as an anonymous API can tell."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """The address the per-IP rate limit counts, and the Idempotency-Key that makes a retry safe.

    The HTTP edge reads both from the request (phananh.adapters.web.caller); a module of its own so
    that the edge, which every app wears, does not load the filing use case with it."""

    source_ip: str | None
    idempotency_key: str | None = None
