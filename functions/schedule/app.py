"""Scheduled jobs: the escalation sweeper, the daily digest, closing unrated resolved reports,
routing stranded reports, cleaning up never-checked uploads, erasing personal data past its
retention and writing the daily open-data snapshot (EventBridge schedules)."""

from chalice import Chalice

from phananh import bootstrap
from phananh.adapters import web
from phananh.escalation import jobs, sweeper
from phananh.report.model import utcnow
from phananh.shared.observability import logger
from phananh.shared.settings import get_settings
from phananh.transparency import snapshots

app = Chalice(app_name="phananh-schedule")
web.install(app)

PORTS = bootstrap.ports()


@app.schedule("rate(5 minutes)")
def sweep_deadlines(event):
    """Start an escalation for every missed acknowledge or resolve deadline (the due_watch index)."""
    return {"started": sweeper.sweep(ports=PORTS, now=utcnow())}


# 07:00 in Vietnam (UTC+7, no daylight saving).
@app.schedule("cron(0 0 * * ? *)")
def daily_digest(event):
    sent = jobs.send_daily_digests(ports=PORTS, now=utcnow())
    return {"sent": sent}


@app.schedule("rate(1 hour)")
def close_resolved_reports(event):
    """Remind reporters to rate, then close what stays unrated."""
    now = utcnow()
    closed = jobs.close_unrated(ports=PORTS, now=now)
    reminded = jobs.remind_to_rate(ports=PORTS, now=now)
    return {"closed": closed, "reminded": reminded}


@app.schedule("rate(15 minutes)")
def route_stranded_reports(event):
    stranded = jobs.route_stranded(ports=PORTS, settings=get_settings(), now=utcnow())
    if stranded:
        logger.info("stranded reports sent to routing", extra={"reports": stranded})
    return {"stranded": stranded}


@app.schedule("rate(1 hour)")
def clean_quarantine(event):
    deleted = jobs.clean_quarantine(ports=PORTS, now=utcnow())
    return {"deleted": len(deleted)}


# 02:00 in Vietnam, once a day: the retention is counted in days.
@app.schedule("cron(0 19 * * ? *)")
def erase_expired_personal_data(event):
    erased = jobs.erase_expired_personal_data(ports=PORTS, settings=get_settings(), now=utcnow())
    return {"erased": len(erased)}


# 00:20 in Vietnam: the day just ended is whole (the snapshots are of Vietnam calendar days).
@app.schedule("cron(20 17 * * ? *)")
def write_open_data_snapshot(event):
    written = snapshots.write_last_night(ports=PORTS, settings=get_settings(), now=utcnow())
    return {"days": [snapshot.day.isoformat() for snapshot in written]}
