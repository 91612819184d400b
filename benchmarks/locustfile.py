"""The load that benchmarks/load.py runs with locust: citizens filing reports without photos, each
request from another phone (device id) and from one of its user's loopback addresses in turn.

The local gateway gives the handlers the TCP peer's address as API Gateway's sourceIp (it does not
read X-Forwarded-For, as API Gateway does not trust it either), so each locust user owns
BENCH_ADDRESSES_PER_USER addresses of 127.0.0.0/8 and sends from them in turn, over one kept-alive
connection each: the per-IP token buckets stay the real ones (a burst of 30), and at one report per
second a user's address files 20 reports a minute.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid

from locust import HttpUser, constant_throughput, events, task
from requests.adapters import HTTPAdapter

ADDRESSES_PER_USER = int(os.environ.get("BENCH_ADDRESSES_PER_USER", "3"))
REPORTS_PER_USER_PER_S = float(os.environ.get("BENCH_USER_RATE", "1"))
_users = itertools.count()
_filed: list[str] = []
# Every request as its client saw it: locust's own summary is written before the requests still in
# flight when the time is up have finished, so it undercounts exactly when the stack falls behind.
_requests: list[dict] = []


class _FromAddress(HTTPAdapter):
    """Connections that leave from one given local address."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Citizen(HttpUser):
    wait_time = constant_throughput(REPORTS_PER_USER_PER_S)

    def on_start(self):
        first = next(_users) * ADDRESSES_PER_USER
        self.adapters = itertools.cycle([
            _FromAddress(f"127.0.{2 + n // 250}.{2 + n % 250}") for n in range(first, first + ADDRESSES_PER_USER)
        ])

    @task
    def file_report(self):
        number = len(_filed)
        self.client.mount("http://", next(self.adapters))
        body = {
            "category": ("roads", "lighting", "waste")[number % 3],
            "description": f"Phản ánh thử tải số {number}: ổ gà, đèn hỏng, rác.",
            "location": {"lat": 9.779 + (number % 40) * 0.0002, "lon": 105.47 + (number % 30) * 0.0002},
            "device_id": f"load-phone-{uuid.uuid4()}",
        }
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        sent = time.time()
        with self.client.post("/reports", data=json.dumps(body, ensure_ascii=False).encode(), headers=headers,
                              name="POST /reports", catch_response=True) as response:
            _requests.append({"sent": sent, "ms": (time.time() - sent) * 1000, "status": response.status_code})
            if response.status_code == 201:
                _filed.append(response.json()["report_id"])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.error or response.text[:200]}")


@events.test_stop.add_listener
def _write_filed_reports(**_):
    target = os.environ.get("BENCH_REPORT_IDS")
    if target:
        with open(target, "w", encoding="utf-8") as out:
            json.dump({"filed": _filed, "requests": _requests}, out)
