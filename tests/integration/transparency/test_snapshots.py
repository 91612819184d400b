"""The daily open-data snapshots on moto: the files and the index in the open-data bucket the
deployment created, with the headers the edge passes on, and the schedule app's nightly job."""

import csv
import io
import json
from datetime import timedelta

import boto3
from chalice.test import Client
from report_flows import routed_report

from phananh import bootstrap
from phananh.report.model import utcnow
from phananh.shared.settings import get_settings
from phananh.transparency import open_data, snapshots
from phananh_local.apps import app_dir, load_chalice_app


def _object(aws, key: str) -> dict:
    return boto3.client("s3").get_object(Bucket=aws.environment["PHANANH_OPEN_DATA_BUCKET"], Key=key)


def test_todays_reports_are_written_to_the_open_data_bucket_and_indexed(aws, submit_api, route_api):
    report_ids = {routed_report(aws, submit_api, route_api, location={"lat": lat, "lon": 105.47})["report_id"]
                  for lat in (9.779, 9.785)}
    now = utcnow()
    today = snapshots.vietnam_day(now)
    for _ in range(2):
        written = snapshots.write_daily_snapshot(today, ports=bootstrap.ports(), settings=get_settings(), now=now)
    assert written == snapshots.Snapshot(today, rows=2, truncated=False)

    stored_csv = _object(aws, f"open-data/daily/{today.isoformat()}.csv")
    assert (stored_csv["ContentType"], stored_csv["CacheControl"]) == (open_data.CSV_MEDIA_TYPE,
                                                                       "public, max-age=86400")
    rows = list(csv.DictReader(io.StringIO(stored_csv["Body"].read().decode("utf-8-sig"), newline="")))
    assert {row["report_id"] for row in rows} == report_ids
    stored_geojson = _object(aws, f"open-data/daily/{today.isoformat()}.geojson")
    assert stored_geojson["ContentType"] == open_data.GEOJSON_MEDIA_TYPE
    features = json.loads(stored_geojson["Body"].read())["features"]
    assert [feature["id"] for feature in features] == [row["report_id"] for row in rows]

    stored_index = _object(aws, "open-data/index.json")
    assert (stored_index["ContentType"], stored_index["CacheControl"]) == ("application/json", "public, max-age=600")
    index = json.loads(stored_index["Body"].read())
    assert (index["schema_version"], index["updated_at"]) == (open_data.SCHEMA_VERSION, now.isoformat())
    assert index["days"] == [snapshots.Snapshot(today, 2, False).entry()]


def test_the_schedule_apps_nightly_job_writes_last_night_and_the_week_before(aws):
    with Client(load_chalice_app("schedule").app, project_dir=str(app_dir("schedule"))) as client:
        event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=[])
        answer = client.lambda_.invoke("write_open_data_snapshot", event).payload
    yesterday = snapshots.vietnam_day(utcnow()) - timedelta(days=1)
    assert answer["days"] == [(yesterday - timedelta(days=back)).isoformat() for back in range(7, -1, -1)]
    index = json.loads(_object(aws, "open-data/index.json")["Body"].read())
    assert [entry["day"] for entry in index["days"]] == answer["days"][::-1]
    assert {entry["rows"] for entry in index["days"]} == {0}
