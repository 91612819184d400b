"""The demo history, replayed once a day and restored from a cache on the other starts.

Replaying 90 days through the use cases (phananh_local.demo_history) takes a minute or more; a
second `make dev` must be up in seconds. So after a replay, what it produced is dumped to
<repo>/.cache/demo-history/<key>/: the items of the tables it writes (reports, audit trail,
idempotency claims, scorecards) and the checked photos in the bucket. A later start with the same
key writes them back with batch writes instead of replaying.

The key is the Vietnam day and a digest of everything the replay's outcome depends on: its size
and seed, the layer, the apps, the template and the state machine (phananh_local.assembly's
inputs digest) and the local stack's own code. The trade-off: a restored history is the one
replayed at the day's first start, so it ends then, not now (steps planned for the hours since
have not happened), and the first start of each day, or after a code change, pays the replay.

Restoring sends nothing and counts nothing twice: no use case runs, so no alert goes out, and the
scorecards come back as they were counted (each with its per-version marks, so a stream record of
a restored report would be refused anyway); the local stack starts the stream pollers after the
restore, from the stream's latest record (phananh_local.dispatch.start_event_sources).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from phananh.shared import clock
from phananh.shared.clock import VIETNAM
from phananh_local import demo_history
from phananh_local.assembly import inputs_digest
from phananh_local.deploy import FunctionSpec

# Elsewhere with PHANANH_DEMO_HISTORY_CACHE (the benchmark measures a first start in an empty one).
CACHE_DIR = Path(os.environ.get("PHANANH_DEMO_HISTORY_CACHE", demo_history.REPO_ROOT / ".cache" / "demo-history"))
CACHE_FORMAT = 1
# The tables the replay writes, by the environment variable that names each (the directory is
# seeded on every start by phananh_local.demo).
TABLE_VARIABLES = (
    "PHANANH_REPORTS_TABLE", "PHANANH_AUDIT_TABLE", "PHANANH_IDEMPOTENCY_TABLE", "PHANANH_SCORECARD_TABLE",
)
_BATCH = 25


@dataclass(frozen=True)
class SeededHistory:
    reports: int
    seconds: float
    restored: bool
    replay_seconds: float

    def describe(self) -> str:
        how = (
            f"restored from the cache in {self.seconds:.1f} s (replayed in {self.replay_seconds:.1f} s today)"
            if self.restored else f"replayed through the use cases in {self.seconds:.1f} s"
        )
        return f"a {demo_history.HISTORY_DAYS}-day history of {self.reports} reports, {how}"


def cache_key(size: int, seed: int) -> str:
    digest = hashlib.sha256(json.dumps({
        "format": CACHE_FORMAT, "size": size, "seed": seed,
        "day": clock.utc_now().astimezone(VIETNAM).date().isoformat(), "stack": inputs_digest(),
    }, sort_keys=True).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


def _encoded(value: Any) -> Any:
    """A DynamoDB item as JSON can hold it: binary values in base64."""
    if isinstance(value, dict):
        return {key: (_b64(inner) if key in ("B", "BS") else _encoded(inner)) for key, inner in value.items()}
    if isinstance(value, list):
        return [_encoded(inner) for inner in value]
    return value


def _b64(value: Any) -> Any:
    if isinstance(value, list):
        return [base64.b64encode(bytes(inner)).decode() for inner in value]
    return base64.b64encode(bytes(value)).decode()


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: ([base64.b64decode(inner) for inner in value[key]] if key == "BS" else base64.b64decode(value[key]))
            if key in ("B", "BS") else _decoded(inner)
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_decoded(inner) for inner in value]
    return value


def dump(folder: Path, summary: dict[str, Any]) -> None:
    """What the replay left in the tables and the bucket, into `folder` (written whole, then moved in)."""
    dynamodb, s3 = boto3.client("dynamodb"), boto3.client("s3")
    staging = Path(tempfile.mkdtemp(prefix="dump-", dir=folder.parent))
    try:
        tables = {}
        for variable in TABLE_VARIABLES:
            items = []
            for page in dynamodb.get_paginator("scan").paginate(TableName=os.environ[variable]):
                items += page["Items"]
            tables[variable] = _encoded(items)
        (staging / "tables.json").write_text(json.dumps(tables), encoding="utf-8")
        bucket = os.environ["PHANANH_PHOTOS_BUCKET"]
        objects = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for entry in page.get("Contents", []):
                got = s3.get_object(Bucket=bucket, Key=entry["Key"])
                name = f"{len(objects):05d}"
                (staging / name).write_bytes(got["Body"].read())
                objects.append({"key": entry["Key"], "file": name, "content_type": got.get("ContentType"),
                                "cache_control": got.get("CacheControl")})
        (staging / "objects.json").write_text(json.dumps(objects), encoding="utf-8")
        (staging / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore(folder: Path) -> dict[str, Any]:
    """The dumped items and objects written back; the replay's summary."""
    dynamodb, s3 = boto3.client("dynamodb"), boto3.client("s3")
    tables = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    for variable, items in tables.items():
        table = os.environ[variable]
        items = _decoded(items)
        for start in range(0, len(items), _BATCH):
            requests = [{"PutRequest": {"Item": item}} for item in items[start:start + _BATCH]]
            while requests:
                answer = dynamodb.batch_write_item(RequestItems={table: requests})
                requests = answer.get("UnprocessedItems", {}).get(table, [])
    bucket = os.environ["PHANANH_PHOTOS_BUCKET"]
    for entry in json.loads((folder / "objects.json").read_text(encoding="utf-8")):
        extra = {name: entry[key] for name, key in (("ContentType", "content_type"), ("CacheControl", "cache_control"))
                 if entry.get(key)}
        s3.put_object(Bucket=bucket, Key=entry["key"], Body=(folder / entry["file"]).read_bytes(), **extra)
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def seed_history(functions: list[FunctionSpec], *, size: int = demo_history.DEFAULT_SIZE,
                 seed: int = demo_history.SEED, cache_dir: Path = CACHE_DIR) -> SeededHistory:
    """Today's demo history in the local stack: restored when today's cache for these inputs exists,
    else replayed and cached."""
    started = time.monotonic()
    folder = cache_dir / cache_key(size, seed)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Two stacks starting at once (a test run beside `make dev`): the second waits, then restores.
    with open(cache_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "summary.json").is_file():
            summary = restore(folder)
            return SeededHistory(summary["reports"], time.monotonic() - started, True, summary["seconds"])
        replay = demo_history.replay_history(functions, size=size, seed=seed)
        seconds = time.monotonic() - started
        for stale in cache_dir.iterdir():
            if stale.is_dir() and stale.name != folder.name:
                shutil.rmtree(stale, ignore_errors=True)
        dump(folder, {"reports": len(replay.filed), "seconds": seconds})
    return SeededHistory(len(replay.filed), seconds, False, seconds)
