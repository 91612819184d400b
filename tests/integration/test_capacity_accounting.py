"""The capacity simulation's accounting (benchmarks/capacity.py) on a tiny slice: four phones behind one
carrier-grade NAT address file a report each through the real submit use case, and every write is
counted, by DynamoDB's rules, on the partition the code wrote: the shared address bucket four times,
each report's own partitions once, and the partitions every report shares (the filed index's month,
the due_watch index's state) once per report."""

import math
from collections import Counter
from datetime import UTC, datetime

import boto3

from benchmarks.capacity import Burst, DynamoTap, PartitionLoad, file_all, phones, stored_sizes, table_keys
from benchmarks.lifecycle_cost import item_size
from phananh.intake.ratelimit import address_bucket
from phananh.intake.tokens import pseudonym
from phananh.routing import latitude_bands
from phananh.routing.geo import load_wards
from phananh.shared.settings import get_settings
from phananh_local.dispatch import StreamPoller

# One worker: the address bucket is then written once per filing (concurrent first takers may
# each try to start it, and one of them writes twice).
SLICE = Burst(seconds=0.04, workers=1, behind_cgnat=1.0, cgnat_address="198.51.100.77", with_photo=0,
              feed_reads_per_report=0, nearby_reads_per_report=0)


def _replayed(deployment, ports):
    settings = get_settings()
    tables = table_keys(value for name, value in deployment.environment.items() if name.endswith("_TABLE"))
    load = PartitionLoad(tables)
    forwarding = next(spec for spec in deployment.functions if spec.app == "deliver" and spec.stream_sources)
    index_reader = StreamPoller(forwarding, forwarding.stream_sources[0], None, run_handler=lambda _, event:
                                load.count_stream_records(settings.reports_table, event["Records"]))
    index_reader.start_at_latest()
    tap = DynamoTap()
    with tap.recording():
        outcome = file_all(phones(SLICE, load_wards(settings.wards_geojson_path)), SLICE, ports=ports,
                           settings=settings)
    load.count_calls(tap.calls, stored_sizes(tables))
    while index_reader.poll_once():
        pass
    return settings, load, outcome


def _stored(table, key, value):
    return boto3.client("dynamodb").get_item(TableName=table, Key={key: {"S": value}}, ConsistentRead=True)["Item"]


def test_four_filings_behind_one_address_share_its_bucket_and_write_their_own_partitions(seeded, ports):
    settings, load, outcome = _replayed(seeded, ports)
    assert len(outcome.filed) == 4 and not outcome.refused

    written = {partition: entry for partition, entry in load.load.items() if entry.writes}
    secret = ports.secret.hmac_key()
    cgnat = written.pop((settings.rate_limit_table, "", address_bucket(secret, SLICE.cgnat_address)))
    assert (cgnat.writes, cgnat.write_units) == (4, 4)
    month = datetime.now(UTC).strftime("%Y-%m")
    # Two indexes with one partition for every new report: the month it was filed, and the state
    # (a report waits RECEIVED for its routing under a deadline of its own).
    assert written.pop((settings.reports_table, "filed", month)).writes == 4
    assert written.pop((settings.reports_table, "due_watch", "RECEIVED")).writes == 4
    everyone = phones(SLICE, load_wards(settings.wards_geojson_path))
    for phone in everyone:
        device = written.pop((settings.rate_limit_table, "", "device#" + pseudonym(secret, "device", phone.device_id)))
        assert (device.writes, device.write_units) == (1, 1)
    for report_id in outcome.filed:
        report = written.pop((settings.reports_table, "", report_id))
        # Written in a transaction: twice the units of the item's size.
        size_units = math.ceil(item_size(_stored(settings.reports_table, "report_id", report_id)) / 1024)
        assert (report.writes, report.write_units) == (1, 2 * size_units)
        audit = written.pop((settings.audit_table, "", report_id))
        assert (audit.writes, audit.write_units) == (1, 2)
    claims = {key: written.pop((table, index, key)) for table, index, key in list(written)
              if table == settings.idempotency_table}
    assert len(claims) == 4 and all(key.startswith("reports:") and entry.writes == 1 for key, entry in claims.items())
    # What is left: each filed report in the nearby_band index's partition of its field and band.
    bands = Counter(latitude_bands.band_key(phone.category, phone.lat) for phone in everyone)
    assert {partition: entry.writes for partition, entry in written.items()} == {
        (settings.reports_table, "nearby_band", band): times for band, times in bands.items()
    }
