"""A tenth of the domain's AWS calls fail (throttling and 5xx, from a seeded generator) while reports
are filed and routed, and officers acknowledge, transfer and resolve some of them and their reporters
rate them (tests/resilience/fault_run.py, which benchmarks/faults.py runs at 1,000 submissions).
Clients retry a 5xx; the intake and delivery queues redeliver failed messages up to the template's
maxReceiveCount, then dead-letter them; the outbox forwards each change from the reports stream.
Afterwards, everything drained and the dead letters redriven, a reconciliation accounts for every
accepted report and every message it called for: none lost, none doubled, none unalerted (a unit the
report was transferred away from is owed each channel at most once: fault_run._reconcile), and the
safety nets (the stranded-report job, the photo-cutoff messages) find nothing to do."""

import os
from collections import Counter

from delivery_flows import redeliver_effects
from report_flows import check_uploads, deliver, file_report, queued_bodies, upload, uploaded_bodies
from resilience import fault_run
from resilience.aws_faults import failing_aws_calls
from resilience.fault_run import SEED, small_jpeg
from resilience.harness import emails_sent, texts_sent

from phananh.adapters.dynamo.reports import DynamoReportStore

# `make test` files 100, a fifth of them worked by officers; PHANANH_FAULT_SUBMISSIONS=1000 is
# benchmarks/faults.py's run (see docs/reliability.md).
SUBMISSIONS = int(os.environ.get("PHANANH_FAULT_SUBMISSIONS", "100"))
EVERY_NTH_WORKED = int(os.environ.get("PHANANH_FAULT_EVERY_NTH_WORKED", "5"))


def test_a_tenth_of_aws_calls_failing_loses_and_doubles_nothing(
    aws, submit_api, rate_api, intake, unthrottled, quiet_logs
):
    figures = fault_run.run(aws, submit_api, rate_api, intake, SUBMISSIONS, EVERY_NTH_WORKED)
    print(f"\n{figures.summary()}")
    assert figures.failures > 0 and figures.accepted > 0.9 * SUBMISSIONS
    assert sum(figures.actions.values()) > 0 and figures.actions["rate"] > 0 and figures.actions["transfer"] > 0
    assert figures.actions_given_up == 0
    assert figures.lost == 0
    assert figures.photos_not_checked == 0  # each upload checked and kept, not taken for an event handled
    assert dict(figures.doubled) == dict.fromkeys(figures.doubled, 0)
    assert dict(figures.unalerted) == dict.fromkeys(figures.unalerted, 0)
    assert set(figures.unalerted) == {"route", "officer_email", "unit_sms", "reporter_push"}
    assert figures.never_queued == 0 and figures.stream_batches_set_aside == 0
    assert figures.stranded_found == 0 and figures.cutoff_changes == 0


def test_an_upload_whose_check_is_throttled_is_retried_not_taken_for_handled(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1)
    upload(aws, receipt, 1, small_jpeg(7))
    [notification] = uploaded_bodies(aws)
    with failing_aws_calls(1.0, SEED, frozenset({"s3.HeadObject"})) as injector:
        failed = check_uploads([notification])
    assert injector.total_failures == 1
    assert len(failed["batchItemFailures"]) == 1  # back to the queue, not dropped
    assert check_uploads([notification]) == {"batchItemFailures": []}
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.photos["1"].is_checked and report.status == "ASSIGNED"


def test_an_alert_that_failed_is_sent_by_the_redelivery_and_nothing_twice(aws, submit_api, route_api):
    # What earlier tests pushed to their reporters' devices stays in moto: only the new texts count.
    texts_before = Counter(texts_sent())
    receipt = file_report(submit_api)
    [message] = queued_bodies(aws)
    with failing_aws_calls(1.0, SEED, frozenset({"sns.Publish"})) as injector:
        # Routed; the owner's alert, from the outbox, fails its text and is to be delivered again.
        assert deliver(route_api, [message]) == {"batchItemFailures": []}
    assert injector.total_failures == 1
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.status == "ASSIGNED"  # the routing stands; only the text to the unit failed
    officers_emailed = len(emails_sent())  # one e-mail per officer of the unit
    assert officers_emailed == 2 and not Counter(texts_sent()) - texts_before

    assert redeliver_effects() == 1
    for _ in range(3):
        assert deliver(route_api, [message]) == {"batchItemFailures": []}  # the intake message again: nothing
    assert len(emails_sent()) == officers_emailed  # the e-mails went out the first time: not again
    [(topic, text)] = list((Counter(texts_sent()) - texts_before).elements())
    assert report.report_id in text and topic.endswith(report.owner_unit_id)
