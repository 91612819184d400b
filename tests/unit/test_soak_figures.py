"""The soak's figures (benchmarks/soak.py): memory growth after the warm-up, the queue-age bound,
the verdicts, and the alerts read from moto's record of what was sent."""

from dataclasses import replace

import pytest

from benchmarks.soak import (
    Outcome,
    Sample,
    new_report_alerts,
    oldest_age_bound,
    owners_alerted,
    routing_waits_s,
    rss_growth,
    verdicts,
    warm_up_for,
)


def _sample(at_s: float, rss_kib: int) -> Sample:
    return Sample(at_s=at_s, rss_kib=rss_kib, queue_age_s={}, answers=0, errors=0)


def test_growth_is_measured_from_the_first_sample_after_the_warm_up_to_the_last():
    samples = [_sample(12, 300_000), _sample(290, 390_000), _sample(302, 400_000), _sample(1800, 430_000)]
    base, last, growth = rss_growth(samples, warm_up_s=300)
    assert (base.at_s, last.at_s) == (302, 1800)
    assert growth == pytest.approx(0.075)


def test_a_run_shorter_than_its_warm_up_compares_its_last_sample_with_itself():
    samples = [_sample(12, 300_000), _sample(24, 330_000)]
    base, last, growth = rss_growth(samples, warm_up_s=300)
    assert base is last and growth == 0


def test_no_samples_is_an_error_not_a_figure():
    with pytest.raises(ValueError):
        rss_growth([], warm_up_s=300)


def test_the_warm_up_is_five_minutes_or_the_first_third_of_a_short_run():
    assert warm_up_for(1800) == 300
    assert warm_up_for(180) == 60


def test_a_queue_never_seen_empty_is_as_old_as_the_watch():
    assert oldest_age_bound(None, first_seen_at=100.0, now=190.0) == 90
    assert oldest_age_bound(185.0, first_seen_at=100.0, now=190.0) == 5


CLEAN = Outcome(errors=0, filed=3600, routed=3600, alerted=3600, transfers=300, transfers_alerted=300,
                rss_growth=0.04, max_queue_age_s=12, max_routing_wait_s=9, dead_letters=0)


def test_a_clean_run_meets_every_target():
    assert all(verdicts(CLEAN).values())


@pytest.mark.parametrize(("change", "missed"), [
    ({"errors": 1}, "0 errors"),
    ({"routed": 3599}, "every report routed"),
    ({"alerted": 3599}, "every report's unit alerted"),
    ({"transfers_alerted": 299}, "every transfer's new owner alerted"),
    ({"rss_growth": 0.10}, "memory growth after warm-up < 10 %"),
    ({"max_queue_age_s": 61}, "no queue age above 60 s (bound)"),
    ({"max_routing_wait_s": 61}, "every report routed within 60 s"),
    ({"dead_letters": 1}, "no dead letters"),
])
def test_each_miss_fails_its_own_target_only(change, missed):
    results = verdicts(replace(CLEAN, **change))
    assert [name for name, met in results.items() if not met] == [missed]


def test_nothing_filed_is_not_every_report_routed():
    results = verdicts(replace(CLEAN, filed=0, routed=0, alerted=0))
    assert not results["every report routed"] and not results["every report's unit alerted"]


def test_new_report_alerts_are_read_from_what_moto_recorded_as_sent():
    sent = {
        "ses": {"Message": [
            {"subject": "[Phản ánh PA26120211AAAA] Giao thông – Phường 1 / New report: Roads",
             "destinations": {"ToAddresses": ["b@unit.vn", "a@unit.vn"]}},
            {"subject": "[Phản ánh PA26120211AAAA] Giao thông – Phường 1 / New report: Roads",
             "destinations": {"ToAddresses": ["c@other.vn"]}},
            {"subject": "[Phản ánh PA26120211BBBB] Giao cho bạn xử lý / Assigned to you: Roads",
             "destinations": {"ToAddresses": ["a@unit.vn"]}},
        ]},
        "sns": {"Topic": [{"arn": "arn:aws:sns:ap-southeast-1:1:unit-x", "sent_notifications": [
            ["m-1", "Phản ánh PA26120211CCCC: Giao thông. / New report PA26120211CCCC, acknowledge by 10:00.", None],
        ]}]},
    }
    alerted = new_report_alerts(sent)
    assert alerted == {
        "PA26120211AAAA": {("email", "a@unit.vn", "b@unit.vn"), ("email", "c@other.vn")},
        "PA26120211CCCC": {("sns", "arn:aws:sns:ap-southeast-1:1:unit-x")},
    }


def test_owners_alerted_counts_the_owners_one_channel_reached_not_the_channels():
    one_owner_two_channels = {("email", "a@unit.vn"), ("sns", "arn:unit-x")}
    assert owners_alerted(one_owner_two_channels) == 1
    assert owners_alerted(one_owner_two_channels | {("email", "c@other.vn")}) == 2
    assert owners_alerted(set()) == 0


def test_routing_waits_run_from_filing_to_the_first_routing():
    events = [
        ("PA1", "submit", "2026-12-02T15:54:46+00:00"), ("PA1", "route", "2026-12-02T15:54:51+00:00"),
        ("PA1", "route", "2026-12-02T15:56:00+00:00"),  # routed again after a transfer to the coordinators
        ("PA2", "route", "2026-12-02T15:55:10+00:00"), ("PA2", "submit", "2026-12-02T15:55:00+00:00"),
        ("PA3", "submit", "2026-12-02T15:55:00+00:00"),  # not routed: no wait to give
    ]
    assert routing_waits_s(events) == {"PA1": 5, "PA2": 10}
