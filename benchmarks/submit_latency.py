"""Submit latency in-process: `POST /reports` through the Chalice test client against moto in this
process (the account deployed from the synthesized CDK template, as the integration tests do),
p50/p95 over N submissions, against one bare PutItem of a report-sized item on the same moto,
measured in the same run.

What a submission does: validate, find the ward, take a token from the device and the IP bucket
(one conditional write each, two when the bucket is in use), claim the Idempotency-Key (conditional
put), encrypt the contact (KMS), write report and audit event (one transaction), queue it for
routing (SQS), complete the idempotency record and sign the photo upload forms.

The test client gives every request the same source IP, so the IP bucket is made large enough for
the run (PHANANH_IP_BUCKET_CAPACITY); it is still written on every submission.

    python -m benchmarks.submit_latency [--submissions 300]
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from collections import Counter

from benchmarks.common import AwsCalls, deployed_moto, heading, percentile, verdict

TARGET_P50_RATIO = 3.0


def _body(index: int) -> str:
    return json.dumps({
        "category": "roads",
        "description": f"Ổ gà lớn trước chợ Vị Thanh, xe máy dễ té (bench {index}).",
        "location": {"lat": 9.779 + (index % 50) * 0.0001, "lon": 105.47},
        "address": "Đường 3 Tháng 2, Phường Vị Thanh",
        "photo_count": 1,
        "contact": {"phone": "0912345678", "share_with_officer": True},
        "device_id": f"bench-phone-{index}",
    }, ensure_ascii=False)


def time_submissions(count: int, calls: AwsCalls) -> tuple[list[float], list[dict]]:
    """Seconds per submission after a warm-up, and the AWS calls of the last one."""
    from chalice.test import Client

    from phananh_local.apps import app_dir, load_chalice_app

    timings, last_calls = [], []
    with Client(load_chalice_app("submit").app, project_dir=str(app_dir("submit"))) as client:
        for index in range(count + 5):
            headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
            first_call = len(calls.records)
            started = time.perf_counter()
            response = client.http.post("/reports", headers=headers, body=_body(index).encode())
            elapsed = time.perf_counter() - started
            if response.status_code != 201:
                raise RuntimeError(f"submission {index} answered {response.status_code}: {response.body[:300]!r}")
            if index >= 5:  # the first ones warm caches: the secret, settings, the wards, clients
                timings.append(elapsed)
            last_calls = calls.since(first_call)
    return timings, last_calls


def time_bare_puts(count: int, table: str) -> list[float]:
    """One PutItem of an item the size of a stored report, with boto3's client, nothing else."""
    import boto3

    dynamodb = boto3.client("dynamodb")
    item = {
        "report_id": {"S": ""}, "version": {"N": "1"}, "status": {"S": "RECEIVED"},
        "description": {"S": "Ổ gà lớn trước chợ Vị Thanh, xe máy dễ té."}, "lat": {"N": "9.779"},
        "lon": {"N": "105.47"}, "category_code": {"S": "roads"}, "created_at": {"S": "2026-11-23T09:34:22+00:00"},
        "tracking_token_hash": {"S": "0" * 64}, "photo_count": {"N": "1"},
    }
    timings = []
    for index in range(count + 5):
        item["report_id"] = {"S": f"BENCHPUT{index:08d}"}
        started = time.perf_counter()
        dynamodb.put_item(TableName=table, Item=item)
        elapsed = time.perf_counter() - started
        if index >= 5:
            timings.append(elapsed)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=300)
    arguments = parser.parse_args()
    calls = AwsCalls().install()
    with deployed_moto() as deployment:
        from phananh.shared.settings import get_settings

        os.environ["PHANANH_IP_BUCKET_CAPACITY"] = str(10 * arguments.submissions)
        get_settings.cache_clear()
        heading(f"Submit latency in-process (Chalice test client, moto in-process), {arguments.submissions} "
                "submissions with a contact, a photo slot and an Idempotency-Key")
        submissions, one_submission = time_submissions(arguments.submissions, calls)
        puts = time_bare_puts(arguments.submissions, deployment.environment["PHANANH_REPORTS_TABLE"])
    p50, p95 = percentile(submissions, 0.5) * 1000, percentile(submissions, 0.95) * 1000
    put50, put95 = percentile(puts, 0.5) * 1000, percentile(puts, 0.95) * 1000
    ratio = p50 / put50
    print(f"  POST /reports      p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(f"  bare PutItem       p50 {put50:6.1f} ms  p95 {put95:6.1f} ms")
    made = Counter(f"{call['service']}:{call['operation']}" for call in one_submission)
    in_aws = sum(call["seconds"] for call in one_submission) * 1000
    print(f"  one submission makes {len(one_submission)} AWS calls in sequence ({in_aws:.1f} ms of its time): "
          + ", ".join(f"{name} ×{times}" for name, times in sorted(made.items())))
    print(f"  p50 ratio {ratio:.1f}×  target ≤ {TARGET_P50_RATIO}×: {verdict(ratio <= TARGET_P50_RATIO)}")


if __name__ == "__main__":
    main()
