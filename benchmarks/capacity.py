"""Capacity: HCMC's peak day and a flood burst on paper, and the burst's key pattern checked on moto.

The burst is 100 reports/s for 10 minutes (a flood, everyone reporting the same field from a few
wards); the peak day 20,000 reports. A slice of the burst (`--seconds` of it, 2 by default: 200
reports) is replayed through the real code on moto in this process, the account deployed from the
synthesized CDK template as the integration tests deploy it:

- parallel workers (threads) play the phones: each asks GET /public/nearby first (the web app's
  "is it one of these?"), files the report (the real submit use case, with its rate-limit buckets,
  idempotency claim and transaction), has its photo checked (the photo check's result message; the
  decoding itself touches no table) and reads the public feed;
- then the functions' event sources as the local stack plays them (phananh_local.dispatch): the
  reports stream forwarded as effects, routing on the intake queue, the alerts on the delivery
  queue, the scorecards from the stream, until nothing moves;
- then one sweep's read of the due_watch index, with every report of the slice overdue.

Every DynamoDB request moto answers is tapped on the wire (`DynamoTap`) and counted on the
partition it lands on (`PartitionLoad`), by DynamoDB's capacity rules: a write 1 unit per KB of the
item (rounded up), a read 1 unit per 4 KB (half for eventually consistent reads, and a Query's
items summed before rounding), twice in a transaction; a failed conditional write is charged too. The
reports table's indexes are counted from its stream, each record's old and new image: a write
that puts an item in an index writes that index's partition, one that moves its index key writes
the old partition too (a delete). The slice's units divided by its length are the burst's rates,
set against DynamoDB's per-partition limits (1,000 WCU/s, 3,000 RCU/s); what the alerts send gives
the SES/SNS rates and the SMS bill, and the AWS calls per function the Lambda concurrency. The
prices and quotas are assumptions (ASSUMPTIONS), said so in the output.

    python -m benchmarks.capacity [--seconds 5] [--workers 8]
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import random
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from benchmarks.common import AwsCalls, deployed_moto, heading, sms_texts
from benchmarks.lifecycle_cost import item_size

# DynamoDB's per-partition throughput (the same for a table's partitions and an index's).
PARTITION_WCU_PER_S = 1000
PARTITION_RCU_PER_S = 3000
# A key above this share of a limit needs a design change (write sharding, batching, a cache).
HOT_SHARE = 0.5

PEAK_DAY_REPORTS = 20_000
BURST_RATE_PER_S = 100
BURST_SECONDS = 600

# Not measurable here; every figure that rests on one says which.
ASSUMPTIONS = {
    "busiest_hour_share": (0.12, "share of a peak day's reports filed in its busiest hour"),
    "dynamodb_call_s": (0.006, "in-region DynamoDB request (a transaction: twice)"),
    "other_call_s": (0.015, "in-region SQS/KMS/S3/Secrets Manager request"),
    "send_call_s": (0.040, "SES SendEmail / SNS Publish"),
    "invocation_overhead_s": (0.005, "Lambda's own time per invocation, compute included"),
    "ses_rate_per_s": (14, "SES sending quota out of the sandbox, before a raise (account-specific)"),
    "ses_per_day": (50_000, "SES 24-hour quota out of the sandbox, before a raise"),
    "sms_rate_per_s": (20, "SNS/End User Messaging SMS messages per second, before a raise"),
    "sms_monthly_spend_usd": (1, "SNS SMS spending limit of a new account, USD a month"),
    "sms_part_usd": (0.0627, "AWS SMS price per message part to Vietnam (list price as last seen, "
                             "not re-checked offline)"),
    "sms_part_vnd_local": (800, "a Vietnamese brand-name SMS per part, VND (typical carrier price "
                                "for customer-care messages, not a quote)"),
    "vnd_per_usd": (26_000, "exchange rate"),
    "lambda_account_concurrency": (1000, "Lambda concurrent executions per account and region, default"),
    "stream_shards": (4, "shards of the reports stream under this load (about one per table partition)"),
    "sfn_start_per_s": (150, "Step Functions StartExecution refill rate (Standard, smaller regions)"),
    "sfn_call_s": (0.03, "one StartExecution request, as the sweeper makes them one after another"),
}


def assumed(name: str) -> float:
    return ASSUMPTIONS[name][0]


# --- counting ------------------------------------------------------------------------------------

_DYNAMODB_TARGET = "DynamoDB_20120810."


# moto's in-process backends are not safe for concurrent requests (a query iterates a table's items
# while another thread adds one): the tap answers one request at a time, as one server would.
_MOTO_ONE_AT_A_TIME = threading.RLock()


class DynamoTap:
    """Every DynamoDB request moto answers in this process, as it went over the wire: operation,
    parameters, HTTP status and answer. Wire-level, so it sees every client, however early it was made
    (PynamoDB's too); a Streams request has its own target and is not a table's."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict, int, dict]] = []

    @contextmanager
    def recording(self) -> Iterator[DynamoTap]:
        from moto.core.botocore_stubber import BotocoreStubber

        original = BotocoreStubber.process_request
        tap = self

        def process_request(stubber, request):
            with _MOTO_ONE_AT_A_TIME:
                answer = original(stubber, request)
            target = request.headers.get("X-Amz-Target", b"")
            target = target.decode() if isinstance(target, bytes) else target
            if answer is not None and target.startswith(_DYNAMODB_TARGET):
                status, _, body = answer
                call = (target[len(_DYNAMODB_TARGET):], json.loads(request.body or b"{}"), status,
                        json.loads(body or b"{}"))
                tap.calls.append(call)
            return answer

        BotocoreStubber.process_request = process_request
        try:
            yield self
        finally:
            BotocoreStubber.process_request = original


@dataclass(frozen=True)
class TableKeys:
    """A table's partition key and, per global secondary index, its partition and sort keys."""

    partition: str
    indexes: dict[str, tuple[str, str | None]]

    @classmethod
    def of(cls, description: dict) -> TableKeys:
        def keys(schema: list[dict]) -> tuple[str, str | None]:
            by_type = {key["KeyType"]: key["AttributeName"] for key in schema}
            return by_type["HASH"], by_type.get("RANGE")

        return cls(
            partition=keys(description["KeySchema"])[0],
            indexes={index["IndexName"]: keys(index["KeySchema"])
                     for index in description.get("GlobalSecondaryIndexes", [])},
        )


@dataclass
class Load:
    write_units: float = 0.0
    read_units: float = 0.0
    writes: int = 0
    reads: int = 0


# (table, index or "", partition key value)
Partition = tuple[str, str, str]
_KEY_CONDITION = re.compile(r"(#?\w+)\s*=\s*(:\w+)")


def _value(attribute: dict) -> str:
    (_, inner), = attribute.items()
    return str(inner)


def _from_wire(value: dict) -> dict:
    """An attribute value as botocore parses it: the wire carries binary as base64 text."""
    (kind, inner), = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(element) for element in inner]}
    if kind == "M":
        return {"M": {name: _from_wire(element) for name, element in inner.items()}}
    if kind == "L":
        return {"L": [_from_wire(element) for element in inner]}
    return value


def wire_size(item: dict | None) -> float:
    """A wire item's size by DynamoDB's rules (benchmarks.lifecycle_cost.item_size)."""
    return item_size({name: _from_wire(value) for name, value in (item or {}).items()})


def _write_units(size: float) -> int:
    return max(1, math.ceil(size / 1024))


def _read_units(size: float, consistent: bool) -> float:
    return max(1, math.ceil(size / 4096)) * (1 if consistent else 0.5)


class PartitionLoad:
    """Read and write units per partition of every table and index, from tapped requests and the
    reports stream's records. `size_of(table, key)` gives a stored item's size for the writes that
    do not carry their item (updates, deletes): the size it has once the run is over."""

    def __init__(self, tables: dict[str, TableKeys]):
        self.tables = tables
        self.load: dict[Partition, Load] = defaultdict(Load)

    def _write(self, table: str, index: str, key: str, units: float) -> None:
        entry = self.load[(table, index, key)]
        entry.write_units += units
        entry.writes += 1

    def _read(self, table: str, index: str, key: str, units: float) -> None:
        entry = self.load[(table, index, key)]
        entry.read_units += units
        entry.reads += 1

    def _partition_of(self, table: str, key_or_item: dict) -> str:
        return _value(key_or_item[self.tables[table].partition])

    def count_calls(self, calls: Iterable[tuple[str, dict, int, dict]], size_of) -> None:
        for operation, params, _status, answer in calls:
            self.count_call(operation, params, answer, size_of)

    def count_call(self, operation: str, params: dict, answer: dict, size_of) -> None:
        def stored(table: str, key: dict) -> float:
            return size_of(table, key)

        if operation == "PutItem":
            table = params["TableName"]
            self._write(table, "", self._partition_of(table, params["Item"]), _write_units(wire_size(params["Item"])))
        elif operation in ("UpdateItem", "DeleteItem"):
            table = params["TableName"]
            self._write(table, "", self._partition_of(table, params["Key"]), _write_units(stored(table, params["Key"])))
        elif operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                (kind, detail), = entry.items()
                table = detail["TableName"]
                item = detail.get("Item") if kind == "Put" else None
                size = wire_size(item) if item is not None else stored(table, detail["Key"])
                self._write(table, "", self._partition_of(table, item or detail["Key"]), 2 * _write_units(size))
        elif operation == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    if "PutRequest" in request:
                        item = request["PutRequest"]["Item"]
                        self._write(table, "", self._partition_of(table, item), _write_units(wire_size(item)))
                    else:
                        key = request["DeleteRequest"]["Key"]
                        self._write(table, "", self._partition_of(table, key), _write_units(stored(table, key)))
        elif operation == "GetItem":
            table = params["TableName"]
            self._read(table, "", self._partition_of(table, params["Key"]),
                       _read_units(wire_size(answer.get("Item")), bool(params.get("ConsistentRead"))))
        elif operation == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                found = {self._partition_of(table, item): item for item in answer.get("Responses", {}).get(table, [])}
                for key in request["Keys"]:
                    partition = self._partition_of(table, key)
                    self._read(table, "", partition, _read_units(wire_size(found.get(partition)),
                                                                 bool(request.get("ConsistentRead"))))
        elif operation == "Query":
            self._count_query(params, answer)
        elif operation == "Scan":
            size = sum(wire_size(item) for item in answer.get("Items", []))
            self._read(params["TableName"], params.get("IndexName", ""), "(scan)",
                       _read_units(size, bool(params.get("ConsistentRead"))))

    def _count_query(self, params: dict, answer: dict) -> None:
        table, index = params["TableName"], params.get("IndexName", "")
        keys = self.tables[table]
        wanted = keys.indexes[index][0] if index else keys.partition
        names = params.get("ExpressionAttributeNames", {})
        partition = next(
            _value(params["ExpressionAttributeValues"][value])
            for name, value in _KEY_CONDITION.findall(params["KeyConditionExpression"])
            if names.get(name, name) == wanted
        )
        items = answer.get("Items", [])
        size = sum(wire_size(item) for item in items)
        # A filter drops items after they were read (and charged): the dropped ones count at the
        # returned ones' average size (1 KB when none came back).
        scanned = answer.get("ScannedCount", len(items))
        if scanned > len(items):
            size += (scanned - len(items)) * (size / len(items) if items else 1024)
        self._read(table, index, partition, _read_units(size, bool(params.get("ConsistentRead"))))

    def count_stream_records(self, table: str, records: Iterable[dict]) -> None:
        """Each index's writes for one table's stream records (its indexes hold ALL attributes)."""
        for record in records:
            old = record["dynamodb"].get("OldImage")
            new = record["dynamodb"].get("NewImage")
            for index, (partition_key, sort_key) in self.tables[table].indexes.items():
                def entry(image: dict | None, partition_key=partition_key, sort_key=sort_key):
                    if not image or partition_key not in image or (sort_key and sort_key not in image):
                        return None
                    return _value(image[partition_key]), _value(image[sort_key]) if sort_key else None

                before, after = entry(old), entry(new)
                if after is not None:
                    self._write(table, index, after[0], _write_units(item_size(new)))
                if before is not None and before != after:
                    self._write(table, index, before[0], _write_units(item_size(old)))

    def hottest(self, units: str, top: int) -> list[tuple[Partition, Load]]:
        return sorted(self.load.items(), key=lambda pair: -getattr(pair[1], units))[:top]

    def spread(self) -> dict[tuple[str, str], tuple[int, float, float]]:
        """Per table and index: its partitions touched, and all their write and read units."""
        totals: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0.0, 0.0])
        for (table, index, _), entry in self.load.items():
            total = totals[(table, index)]
            total[0] += 1
            total[1] += entry.write_units
            total[2] += entry.read_units
        return {place: tuple(total) for place, total in totals.items()}


def table_keys(table_names: Iterable[str]) -> dict[str, TableKeys]:
    import boto3

    dynamodb = boto3.client("dynamodb")
    return {name: TableKeys.of(dynamodb.describe_table(TableName=name)["Table"]) for name in table_names}


def stored_sizes(tables: dict[str, TableKeys]):
    """size_of(table, key) for PartitionLoad: each item read once, as it is now."""
    import boto3

    dynamodb, sizes = boto3.client("dynamodb"), {}

    def size_of(table: str, key: dict) -> float:
        cache_key = (table, json.dumps(key, sort_keys=True))
        if cache_key not in sizes:
            sizes[cache_key] = item_size(dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item"))
        return sizes[cache_key]

    return size_of


# --- the burst -----------------------------------------------------------------------------------

FLOOD_FIELD = "flooding"
# Duplicate lookups probed once the slice is in.
PROBES = 40
OTHER_FIELDS = ("drainage", "roads", "waste", "lighting", "trees")


@dataclass(frozen=True)
class Burst:
    seconds: float = 2
    rate_per_s: float = BURST_RATE_PER_S
    workers: int = 8
    # Share of the phones behind the one busiest carrier-grade NAT address (the rest: an IPv6 /64 each).
    behind_cgnat: float = 0.1
    cgnat_address: str = "203.0.113.70"
    with_photo: float = 0.7
    with_contact: float = 0.5
    flood_field: float = 0.8
    # The flood's reports come mostly from a few wards.
    hot_wards: int = 3
    from_hot_wards: float = 0.8
    feed_reads_per_report: int = 2
    nearby_reads_per_report: int = 1

    @property
    def reports(self) -> int:
        return round(self.rate_per_s * self.seconds)


@dataclass
class Phone:
    index: int
    device_id: str
    address: str
    category: str
    lat: float
    lon: float
    photo: bool
    contact: bool


def phones(burst: Burst, wards, seed: int = 17) -> list[Phone]:
    chooser = random.Random(seed)
    every = list(wards.all())
    hot = every[: burst.hot_wards]
    made = []
    for index in range(burst.reports):
        ward = chooser.choice(hot if chooser.random() < burst.from_hot_wards else every)
        cgnat = chooser.random() < burst.behind_cgnat
        made.append(Phone(
            index=index, device_id=f"capacity-phone-{index}",
            address=burst.cgnat_address if cgnat else f"2001:db8:{index >> 16:x}:{index & 0xFFFF:x}::1",
            category=FLOOD_FIELD if chooser.random() < burst.flood_field else chooser.choice(OTHER_FIELDS),
            lat=ward.centre[0] + chooser.uniform(-0.004, 0.004), lon=ward.centre[1] + chooser.uniform(-0.004, 0.004),
            photo=chooser.random() < burst.with_photo, contact=chooser.random() < burst.with_contact,
        ))
    return made


@dataclass
class Outcome:
    filed: list[str] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def file_from(phone: Phone, outcome: Outcome, *, ports, settings, burst: Burst) -> None:
    """One phone: the nearby check, the filing, its photo's check result, the public feed."""
    from phananh.intake import filing
    from phananh.intake.caller import Caller
    from phananh.report.model import PHOTO_CHECKED, Photo, utcnow
    from phananh.report.photo_keys import CHECKED_PHOTO_PREFIX, THUMBNAIL_PREFIX
    from phananh.shared.errors import RateLimited
    from phananh.transparency import views

    caller = Caller(source_ip=phone.address, idempotency_key=str(uuid.uuid4()))
    where = {"lat": f"{phone.lat:.6f}", "lon": f"{phone.lon:.6f}", "category": phone.category}
    for _ in range(burst.nearby_reads_per_report):
        try:
            views.public_nearby(where, caller, ports=ports, settings=settings, now=utcnow())
        except RateLimited:
            with outcome.lock:
                outcome.refused["GET /public/nearby"] += 1
    payload = {
        "category": phone.category,
        "description": f"Ngập sâu 40 cm, nước tràn vào nhà dân (phản ánh {phone.index}).",
        "location": {"lat": phone.lat, "lon": phone.lon}, "photo_count": int(phone.photo),
        "device_id": phone.device_id,
        **({"contact": {"phone": "0912345678", "share_with_officer": True}} if phone.contact else {}),
    }
    try:
        receipt = filing.submit_report(payload, caller, ports=ports, settings=settings, now=utcnow())
    except RateLimited:
        with outcome.lock:
            outcome.refused["POST /reports"] += 1
        return
    report_id = receipt["report_id"]
    with outcome.lock:
        outcome.filed.append(report_id)
    if phone.photo:
        # The check's result as functions/photos sends it (routing.photo_check), named by a digest.
        name = f"1-{uuid.uuid4().hex[:16]}.jpg"
        check = Photo(state=PHOTO_CHECKED, image_key=f"{CHECKED_PHOTO_PREFIX}{report_id}/{name}",
                      thumbnail_key=f"{THUMBNAIL_PREFIX}{report_id}/{name}", width=2048, height=1536,
                      perceptual_hash=f"{uuid.uuid4().int >> 64:016x}")
        ports.queues.send_photo_check(report_id, 1, result_photo=False, check=check.as_record(), gps=None)
    for _ in range(burst.feed_reads_per_report):
        views.public_feed({}, ports=ports, settings=settings)


@dataclass
class FunctionWork:
    """What one function did in the replay: invocations, the messages/records/requests they took,
    and the AWS calls made inside them."""

    invocations: int = 0
    items: int = 0
    calls: Counter = field(default_factory=Counter)

    def seconds_per_item(self) -> float:
        """Modelled time in AWS per item (ASSUMPTIONS' latencies), not moto's."""
        if not self.items:
            return 0.0
        seconds = self.invocations * assumed("invocation_overhead_s")
        for (service, operation), times in self.calls.items():
            if service == "dynamodb":
                each = assumed("dynamodb_call_s") * (2 if operation.startswith("Transact") else 1)
            elif (service, operation) in (("email", "SendEmail"), ("sns", "Publish")):
                each = assumed("send_call_s")
            else:
                each = assumed("other_call_s")
            seconds += each * times
        return seconds / self.items


def _calls_made(calls: AwsCalls, first: int) -> Counter:
    return Counter((call["service"], call["operation"]) for call in calls.since(first))


class EventSources:
    """The deliver, route and rate functions' event sources as the local stack plays them, each
    function's work counted (`work`), and a reader of the reports stream that counts its index
    writes (`index_load`). `start()` before the burst, `drain()` after it."""

    def __init__(self, deployment, calls: AwsCalls, reports_table: str, index_load: PartitionLoad):
        from phananh_local.dispatch import SqsPoller, StreamPoller, invoke

        self.work: dict[str, FunctionWork] = defaultdict(FunctionWork)

        def counted(name: str):
            def run(spec, event):
                first = len(calls.records)
                result = invoke(spec, event)
                done = self.work[name]
                done.invocations += 1
                done.items += len(event["Records"])
                done.calls.update(_calls_made(calls, first))
                return result
            return run

        class CountedSqsPoller(SqsPoller):
            def __init__(self, name, spec):
                super().__init__(spec, *spec.sqs_sources[0], stop=None)
                self.run_handler = counted(name)

            def _deliver(self, messages):
                event = {"Records": [self._record(message) for message in messages]}
                failures = (self.run_handler(self.spec, event) or {}).get("batchItemFailures", [])
                return {failure["itemIdentifier"] for failure in failures}

        role = {(spec.app, bool(spec.stream_sources)): spec for spec in deployment.functions
                if spec.stream_sources or spec.sqs_sources}
        forwarding, scoring = role[("deliver", True)], role[("rate", True)]
        self.streams = [
            StreamPoller(forwarding, forwarding.stream_sources[0], None,
                         run_handler=counted("deliver: forward changes (stream)")),
            StreamPoller(scoring, scoring.stream_sources[0], None, run_handler=counted("rate: scorecards (stream)")),
        ]
        self.queues = [CountedSqsPoller("route: intake queue", role[("route", False)]),
                       CountedSqsPoller("deliver: effects queue", role[("deliver", False)])]
        self.index_reader = StreamPoller(
            forwarding, forwarding.stream_sources[0], None,
            run_handler=lambda _, event: index_load.count_stream_records(reports_table, event["Records"]))

    def start(self) -> None:
        for stream in (*self.streams, self.index_reader):
            stream.start_at_latest()

    def drain(self) -> None:
        quiet = 0
        while quiet < 2:
            moved = sum(source.poll_once() for source in (*self.streams, *self.queues))
            quiet = quiet + 1 if moved == 0 else 0
        while self.index_reader.poll_once():
            pass


# What-ifs for the nearby_band index: bands this high instead of latitude_bands.BAND_DEG, and an
# index projecting only what a lookup decides on (the rest read for the few it keeps).
NARROWER_BAND_DEG = 0.003
# …and a bound on the items one lookup query reads.
LOOKUP_LIMIT = 200
LOOKUP_ATTRIBUTES = frozenset({"report_id", "nearby_band", "nearby_lon", "lat", "lon", "status", "publication",
                               "photos", "location_from_photo"})


def in_narrower_bands(items: list[dict], lat: float, radius_m: float) -> list[dict]:
    """Of the items a duplicate lookup read, those that bands of NARROWER_BAND_DEG around the same
    circle would read (the longitude window stays the same)."""
    from phananh.routing.geo import METRES_PER_DEGREE

    d_lat = radius_m / METRES_PER_DEGREE
    lowest, highest = math.floor((lat - d_lat) / NARROWER_BAND_DEG), math.floor((lat + d_lat) / NARROWER_BAND_DEG)
    return [item for item in items
            if lowest <= math.floor(float(item["lat"]["N"]) / NARROWER_BAND_DEG) <= highest]


@dataclass
class Replay:
    """What the slice did: its partition load, one sweep's, the functions' work, the alerts sent."""

    load: PartitionLoad
    sweep: PartitionLoad
    overdue: int
    work: dict[str, FunctionWork]
    outcome: Outcome
    sms: list[str]
    emails: int
    # Partition keys that are pseudonyms, named for what they are.
    labels: dict[str, str]
    # The duplicate lookup's queries once the slice's reports are in: read units per query on each
    # nearby_band partition (they grow with the open reports in the band).
    probe: PartitionLoad
    # The share of those bytes that latitude bands of NARROWER_BAND_DEG would read.
    narrower_share: float
    # … and of those, with the index holding only LOOKUP_ATTRIBUTES.
    lookup_share: float
    # The average size of such a lean index item.
    lean_item_bytes: float
    settings: object
    # Seconds on moto: the phones filing, the event sources drained.
    timings: dict[str, float]


def file_all(everyone: list[Phone], burst: Burst, *, ports, settings) -> Outcome:
    outcome = Outcome()
    with ThreadPoolExecutor(max_workers=burst.workers) as pool:
        list(pool.map(lambda phone: file_from(phone, outcome, ports=ports, settings=settings, burst=burst), everyone))
    return outcome


def replay(burst: Burst) -> Replay:
    calls = AwsCalls().install()
    with deployed_moto(seed_directory=True) as deployment:
        from phananh import bootstrap
        from phananh.intake.ratelimit import address_bucket
        from phananh.report.deadlines import WATCHED
        from phananh.report.model import utcnow
        from phananh.routing.geo import load_wards
        from phananh.routing.pipeline import SHARED_PHOTO_RADIUS_M
        from phananh.shared.settings import get_settings

        settings, ports = get_settings(), bootstrap.ports()
        tables = table_keys(value for name, value in deployment.environment.items() if name.endswith("_TABLE"))
        load, sweep, tap = PartitionLoad(tables), PartitionLoad(tables), DynamoTap()
        sources = EventSources(deployment, calls, settings.reports_table, load)
        everyone = phones(burst, load_wards(settings.wards_geojson_path))
        secret = ports.secret.hmac_key()
        sources.start()
        first = len(calls.records)
        started = time.monotonic()
        with tap.recording():
            outcome = file_all(everyone, burst, ports=ports, settings=settings)
            filed_at = time.monotonic()
            submit = sources.work["submit: nearby, filing, feed (API)"]
            submit.invocations = submit.items = burst.reports * (
                1 + burst.nearby_reads_per_report + burst.feed_reads_per_report)
            submit.calls.update(_calls_made(calls, first))
            sources.drain()
        timings = {"filing": filed_at - started, "event sources": time.monotonic() - filed_at}
        sent = calls.since(first)
        load.count_calls(tap.calls, stored_sizes(tables))
        # One sweep's read of the due_watch index with the whole slice overdue (two days on).
        sweeping = DynamoTap()
        with sweeping.recording():
            overdue = sum(1 for status in WATCHED for _ in ports.reports.due_by(status, utcnow() + timedelta(days=2)))
        sweep.count_calls(sweeping.calls, stored_sizes(tables))
        # The routing's duplicate lookup around flood reports of the hot wards, the slice's reports all in.
        probing, probe = DynamoTap(), PartitionLoad(tables)
        # Bytes the probes read; what bands of NARROWER_BAND_DEG would have read; and those with only
        # LOOKUP_ATTRIBUTES projected.
        narrower = [0.0, 0.0, 0.0, 0]
        with probing.recording():
            for phone in [phone for phone in everyone if phone.category == FLOOD_FIELD][:PROBES]:
                first_call = len(probing.calls)
                ports.reports.nearby(phone.category, phone.lat, phone.lon, SHARED_PHOTO_RADIUS_M)
                read = [item for _, _, _, answer in probing.calls[first_call:] for item in answer.get("Items", [])]
                kept = in_narrower_bands(read, phone.lat, SHARED_PHOTO_RADIUS_M)
                narrower[0] += sum(wire_size(item) for item in read)
                narrower[1] += sum(wire_size(item) for item in kept)
                narrower[2] += sum(wire_size({name: value for name, value in item.items() if name in LOOKUP_ATTRIBUTES})
                                   for item in kept)
                narrower[3] += len(kept)
        probe.count_calls(probing.calls, stored_sizes(tables))
        sms = sms_texts([call for call in sent if call["operation"] == "Publish"], calls)
        emails = sum(len(call["params"].get("Destination", {}).get("ToAddresses", []))
                     for call in sent if call["operation"] == "SendEmail")
        labels = {address_bucket(secret, burst.cgnat_address): "ip bucket: the CGNAT address",
                  address_bucket(secret, burst.cgnat_address, purpose="nearby-ip"): "nearby bucket: the CGNAT address"}
    return Replay(load, sweep, overdue, dict(sources.work), outcome, sms, emails, labels, probe,
                  narrower[1] / max(1.0, narrower[0]), narrower[2] / max(1.0, narrower[0]),
                  narrower[2] / max(1, narrower[3]), settings, timings)


# --- the paper model -----------------------------------------------------------------------------

def _short(table: str) -> str:
    return table.removeprefix("phananh-")


def sms_parts(text: str) -> int:
    """Message parts of one SMS: Vietnamese needs UCS-2 (70 characters, 67 per part when split);
    plain ASCII fits GSM-7 (160, 153)."""
    single, split = (160, 153) if text.isascii() else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / split)


def _function_limits() -> dict[str, tuple[int, int, int | None]]:
    """Per app: memory (MB), timeout (s) and reserved concurrency of its functions, as synthesized."""
    from phananh_local.assembly import ASSEMBLY_DIR

    limits = {}
    for template in ASSEMBLY_DIR.glob("phananh-*.template.json"):
        functions = [resource["Properties"] for resource in json.loads(template.read_text(encoding="utf-8"))[
            "Resources"].values() if resource["Type"] in ("AWS::Lambda::Function", "AWS::Serverless::Function")]
        if functions:
            limits[template.name.removeprefix("phananh-").removesuffix(".template.json")] = (
                max(function.get("MemorySize", 128) for function in functions),
                max(function.get("Timeout", 3) for function in functions),
                next((function["ReservedConcurrentExecutions"] for function in functions
                      if "ReservedConcurrentExecutions" in function), None),
            )
    return limits


def print_model(burst: Burst, run: Replay) -> None:
    load, sweep, work, outcome, sms, emails = run.load, run.sweep, run.work, run.outcome, run.sms, run.emails
    filed = len(outcome.filed)
    scale = 1 / burst.seconds  # the slice's units → units per second of the burst

    heading("Assumptions (not measured here)")
    for name, (value, what) in ASSUMPTIONS.items():
        print(f"  {name:<28} {value:<10} {what}")

    peak_rate = PEAK_DAY_REPORTS * assumed("busiest_hour_share") / 3600
    heading(f"Load: peak day {PEAK_DAY_REPORTS:,} reports (busiest hour {peak_rate:.2f}/s); flood burst "
            f"{BURST_RATE_PER_S}/s × {BURST_SECONDS} s = {BURST_RATE_PER_S * BURST_SECONDS:,} reports")
    print(f"  replayed: a {burst.seconds:g} s slice, {burst.reports} phones on {burst.workers} workers; "
          f"{filed} filed, refused: {dict(outcome.refused) or 'none'}")
    print(f"  phones behind one carrier-grade NAT address: {burst.behind_cgnat:.0%}; with a photo "
          f"{burst.with_photo:.0%}; field '{FLOOD_FIELD}' {burst.flood_field:.0%}; from {burst.hot_wards} wards "
          f"{burst.from_hot_wards:.0%}; per report {burst.nearby_reads_per_report} nearby and "
          f"{burst.feed_reads_per_report} feed reads")

    heading("The edge: API Gateway's stage throttle, WAF's per-address rule, the address token bucket")
    from phananh_cdk.config import file_context

    context, settings = file_context(), run.settings
    requests = BURST_RATE_PER_S * (1 + burst.nearby_reads_per_report + burst.feed_reads_per_report)
    print(f"  the citizen API: {requests:.0f} requests/s (each report: its filing, {burst.nearby_reads_per_report} "
          f"nearby and {burst.feed_reads_per_report} feed reads) against the stage's {context['api_rate_per_s']}/s, "
          f"burst {context['api_burst']} (cdk.json api_rate_per_s, api_burst): "
          f"{requests / context['api_rate_per_s']:.0f}×")
    behind = BURST_RATE_PER_S * burst.behind_cgnat
    waf_per_s = context["anonymous_requests_per_5_min"] / 300
    filings = behind * BURST_SECONDS
    admitted = settings.ip_bucket_capacity + settings.ip_refill_per_hour * BURST_SECONDS / 3600
    print(f"  one CGNAT address ({burst.behind_cgnat:.0%} of the phones): {behind * requests / BURST_RATE_PER_S:.0f} "
          f"requests/s against WAF's {context['anonymous_requests_per_5_min']} per 5 minutes ({waf_per_s:.0f}/s); "
          f"{filings:,.0f} filings in the 10 minutes against the address bucket's {admitted:.0f} "
          f"({settings.ip_bucket_capacity} + {settings.ip_refill_per_hour}/h): {1 - admitted / filings:.0%} refused")

    heading("DynamoDB: the hottest partitions during the burst, against the per-partition limits")
    print(f"  {'table / index':<30} {'partition key':<34} {'WCU/s':>8} {'of 1,000':>8} {'RCU/s':>8} {'of 3,000':>8}")
    shown = {partition for partition, _ in load.hottest("write_units", 12) + load.hottest("read_units", 6)}
    for partition, entry in sorted(((p, load.load[p]) for p in shown),
                                   key=lambda pair: -max(pair[1].write_units / PARTITION_WCU_PER_S,
                                                         pair[1].read_units / PARTITION_RCU_PER_S)):
        table, index, key = partition
        wcu, rcu = entry.write_units * scale, entry.read_units * scale
        hot = max(wcu / PARTITION_WCU_PER_S, rcu / PARTITION_RCU_PER_S) > HOT_SHARE
        name = run.labels.get(key, key if len(key) <= 34 else key[:31] + "…")
        print(f"  {_short(table) + (' / ' + index if index else ''):<30} {name:<34} {wcu:8.1f} "
              f"{wcu / PARTITION_WCU_PER_S:8.2f} {rcu:8.1f} {rcu / PARTITION_RCU_PER_S:8.2f}"
              + ("  ABOVE HALF A LIMIT" if hot else ""))
    print("  every table and index: partitions touched, WCU/s and RCU/s summed over them")
    for (table, index), (partitions, writes, reads) in sorted(load.spread().items()):
        print(f"    {_short(table) + (' / ' + index if index else ''):<30} {partitions:6d} partitions "
              f"{writes * scale:9.1f} WCU/s {reads * scale:9.1f} RCU/s")

    heading("The nearby_band index as the burst goes on: its reads grow with the open reports in a band")
    growth = BURST_RATE_PER_S * BURST_SECONDS / max(1, filed)
    top_at_end = 0.0
    for (table, index, key), probed in sorted(run.probe.load.items(), key=lambda pair: -pair[1].read_units)[:3]:
        per_query = probed.read_units / probed.reads
        queries_per_s = load.load[(table, index, key)].reads * scale
        at_end = queries_per_s * per_query * growth
        top_at_end = max(top_at_end, at_end)
        print(f"  {key:<20} {queries_per_s:6.1f} queries/s; {per_query:.1f} RCU a query with the slice's {filed} "
              f"reports in, ≈ {per_query * growth:,.0f} with the burst's {BURST_RATE_PER_S * BURST_SECONDS:,}: "
              f"{at_end:,.0f} RCU/s at the burst's end = {at_end / PARTITION_RCU_PER_S:.2f} of the limit"
              + ("  ABOVE HALF A LIMIT" if at_end / PARTITION_RCU_PER_S > HOT_SHARE else ""))
    from phananh.routing.latitude_bands import BAND_DEG

    print(f"  bands of {NARROWER_BAND_DEG}° instead of {BAND_DEG}° would read {run.narrower_share:.0%} of those "
          f"bytes (the same longitude window, {BAND_DEG / NARROWER_BAND_DEG:.0f}× less latitude); an index of those "
          f"bands holding only {', '.join(sorted(LOOKUP_ATTRIBUTES))}: {run.lookup_share:.1%}, "
          f"{top_at_end * run.lookup_share:,.0f} RCU/s on the hottest band at the burst's end = "
          f"{top_at_end * run.lookup_share / PARTITION_RCU_PER_S:.2f} of the limit")
    capped = _read_units(LOOKUP_LIMIT * run.lean_item_bytes, consistent=False)
    hottest_queries = max((entry.reads for (_, index, _), entry in load.load.items() if index == "nearby_band"),
                          default=0) * scale
    print(f"  lean items of {run.lean_item_bytes:.0f} bytes, at most {LOOKUP_LIMIT} read a query: "
          f"{capped:.1f} RCU a query, "
          f"{hottest_queries * capped:,.0f} RCU/s on the hottest band whatever the flood = "
          f"{hottest_queries * capped / PARTITION_RCU_PER_S:.2f} of the limit")

    heading("The sweeper's due_watch read, every report of the burst's sweep overdue")
    sweep_units = sum(entry.read_units for entry in sweep.load.values())
    per_sweep = BURST_RATE_PER_S * 300  # the reports filed in one 5-minute sweep period fall due together
    units = sweep_units / max(1, run.overdue) * per_sweep
    print(f"  replayed: {run.overdue} overdue reports read in {sweep_units:.1f} RCU "
          f"({', '.join(f'{index}={key}' for (_, index, key) in sweep.load)})")
    print(f"  a sweep finding the {per_sweep:,} reports of 5 burst minutes overdue reads {units:,.0f} RCU from one "
          f"partition: {units / PARTITION_RCU_PER_S:.1f} s at the partition's 3,000 RCU/s, and starts "
          f"{per_sweep:,} executions: {per_sweep / assumed('sfn_start_per_s'):.0f} s at "
          f"{assumed('sfn_start_per_s'):.0f} StartExecution/s and {per_sweep * assumed('sfn_call_s'):.0f} s one after "
          f"another, against the schedule function's {_function_limits()['schedule'][1]} s timeout")

    heading("Lambda concurrency during the burst (Little's law: items/s × modelled seconds per item)")
    apps = _function_limits()
    total = 0.0
    print(f"  {'function (event source)':<40} {'items/s':>8} {'s/item':>7} {'concurrency':>11}  "
          "memory, timeout, reserved")
    for name, done in sorted(work.items()):
        app = name.split(":")[0]
        items_per_s = done.items * scale
        concurrency = items_per_s * done.seconds_per_item()
        total += concurrency
        memory, timeout, reserved = apps[app]
        limit = ""
        if reserved:
            limit = f"  cap {reserved}: {reserved / done.seconds_per_item():.0f} items/s at most"
        elif "stream" in name:
            limit = (f"  one batch per shard at a time: {assumed('stream_shards'):.0f} shards take "
                     f"{assumed('stream_shards') / done.seconds_per_item():.0f} records/s")
        print(f"  {name:<40} {items_per_s:8.1f} {done.seconds_per_item():7.3f} {concurrency:11.1f}  "
              f"{memory} MB, {timeout} s, {reserved or '-'}{limit}")
    print(f"  in all ≈ {total:.0f} concurrent executions of the account's {assumed('lambda_account_concurrency'):.0f}")

    heading("SES, SNS and the SMS bill")
    email_rate, sms_rate = emails * scale, len(sms) * scale
    parts = sum(sms_parts(text) for text in sms)
    parts_per_report = parts / filed if filed else 0
    print(f"  alerts per report routed: {emails / filed:.2f} e-mails, {len(sms) / filed:.2f} SMS "
          f"({parts_per_report:.2f} parts: Vietnamese text is sent as UCS-2, 67 characters a part)")
    print(f"  burst: {email_rate:.0f} e-mails/s against SES's {assumed('ses_rate_per_s'):.0f}/s "
          f"({email_rate / assumed('ses_rate_per_s'):.1f}×), {emails / filed * BURST_RATE_PER_S * BURST_SECONDS:,.0f} "
          f"in 10 minutes against {assumed('ses_per_day'):,.0f} a day; "
          f"{sms_rate:.0f} SMS/s against {assumed('sms_rate_per_s'):.0f}/s "
          f"({sms_rate / assumed('sms_rate_per_s'):.1f}×)")
    burst_parts = parts_per_report * BURST_RATE_PER_S * BURST_SECONDS
    month_parts = parts_per_report * PEAK_DAY_REPORTS * 30
    local_usd = assumed("sms_part_vnd_local") / assumed("vnd_per_usd")
    print(f"  SMS cost: the burst {burst_parts:,.0f} parts = ${burst_parts * assumed('sms_part_usd'):,.0f} on AWS "
          f"(${burst_parts * local_usd:,.0f} at a local brand-name price); a month of peak days "
          f"{month_parts:,.0f} parts = ${month_parts * assumed('sms_part_usd'):,.0f} "
          f"(${month_parts * local_usd:,.0f}); the new account's SMS spending limit is "
          f"${assumed('sms_monthly_spend_usd'):.0f} a month")
    one_part = len(sms) / filed * BURST_RATE_PER_S * BURST_SECONDS if filed else 0
    print(f"  one part per SMS (Vietnamese only, no diacritics: GSM-7, 160 characters): the burst {one_part:,.0f} "
          "parts "
          f"= ${one_part * assumed('sms_part_usd'):,.0f} (${one_part * local_usd:,.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2, help="the length of the burst slice replayed")
    parser.add_argument("--workers", type=int, default=8, help="threads filing in parallel")
    arguments = parser.parse_args()
    burst = Burst(seconds=arguments.seconds, workers=arguments.workers)
    started = time.monotonic()
    run = replay(burst)
    print_model(burst, run)
    print(f"\n  ({time.monotonic() - started:.0f} s on moto; " + ", ".join(
        f"{phase} {seconds:.0f} s" for phase, seconds in run.timings.items()) + ")")


if __name__ == "__main__":
    main()
