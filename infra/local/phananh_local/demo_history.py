"""The demo history: the last 90 days of a province's reports, replayed through the real use cases so
that `make dev` opens on a full map, league tables, dashboard and scorecards.

A seeded `random.Random` plans every report's life (`plan_history`): where and when it is filed
(points inside real wards), its field and description, and what its owner unit and reporter do and
when: acknowledge, a progress note, a transfer, the resolution (on time or late, some with an
after-photo), the rating (some low, a few "not fixed", which reopens the report), or nothing at all
(it escalates). `replay_history` then plays all of it in time order, at each step's own moment
(phananh.shared.clock.set_to), through the code the cloud runs:

- filing: `intake.filing.submit_report`; a photo is posted to the real presigned upload form, S3
  announces it on the uploads queue, and the photos, route and deliver functions take their queues'
  messages as Lambda's event sources would (phananh_local.dispatch.SqsPoller) – photo check, then
  routing, then the alerts – after the deliver app's stream source (phananh_local.dispatch.StreamPoller)
  forwarded each change's effects (the outbox);
- the owner unit: `processing.commands` (acknowledge, add_progress, resolve with its upload forms
  for after-photos, transfer), as the unit's officer;
- the reporter: `transparency.rating.rate` with the report's tracking token;
- the schedule app's jobs: the escalation sweeper just after each deadline a report is still
  waiting on (`SWEEP_AFTER_DEADLINE`), and daily the reminders to rate and closing the unrated.
  The sweeper's escalations are not left to Step Functions, whose Wait states sleep in real time:
  `ReplayedEscalations` does at each level's time what the state machine
  (infra/statemachines/escalation.asl.json) does – its conditional UpdateItem, read from the
  definition itself, the audit event, the e-mail and the text – so `escalation_level` and
  `escalated_at` are what a real chain would have written.

Steps whose time is still to come are not played: the reports of the last days are still open, some
past their deadline. Finally the reports stream is delivered to the scorecards (the rate app's
handler, which counts each change on the day of its `updated_at`).
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import json
import os
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import requests

from phananh import bootstrap
from phananh.escalation import jobs, sweeper
from phananh.intake import filing
from phananh.intake.caller import Caller
from phananh.ports import Ports
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.categories import Category, get_category
from phananh.report.deadlines import DEADLINE_SCALE_VARIABLE, WATCHED, current_deadline, deadlines_for
from phananh.report.lifecycle import Status
from phananh.routing.geo import Ward, WardDirectory, load_wards
from phananh.shared import clock, observability
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import StateConflict
from phananh.shared.settings import get_settings
from phananh_local import demo_texts
from phananh_local.demo_directory import ward_committee_id
from phananh_local.deploy import FunctionSpec
from phananh_local.dispatch import SqsPoller, StreamPoller

HISTORY_DAYS = 90
DEFAULT_SIZE = 300
SEED = 15
REPO_ROOT = Path(__file__).resolve().parents[3]
ESCALATION_DEFINITION = REPO_ROOT / "infra" / "statemachines" / "escalation.asl.json"
# The sweeper runs every 5 minutes in the cloud: a breach is seen that long after its deadline.
# Replayed, it runs once that long after each deadline the history sets, if the report is still
# waiting then (a sweep at any other time would find nothing new); the levels then fire at their times.
SWEEP_AFTER_DEADLINE = timedelta(minutes=5)
PHOTO_SHARE = 0.2

# Fields and how often residents report them (weights).
_FIELD_WEIGHTS = {
    "roads": 17, "waste": 13, "lighting": 9, "drainage": 8, "electricity": 8, "water_supply": 7,
    "urban_order": 7, "trees": 5, "traffic_violation": 5, "noise": 5, "flooding": 4, "construction": 3,
    "pollution": 2, "hazard": 2, "security": 1, "food_safety": 1, "health": 1, "transport": 1, "trade": 1,
}  # fmt: skip
# How punctual an owner unit is (the share of its resolutions on time); others: DEFAULT_PUNCTUALITY.
_PUNCTUALITY = {"dien_luc": 0.92, "cap_thoat_nuoc": 0.6, "cong_an_thanh_pho": 0.85, "so_xay_dung": 0.78}
DEFAULT_PUNCTUALITY = 0.72
_SCORES_ON_TIME = {5: 45, 4: 33, 3: 12, 2: 6, 1: 4}
_SCORES_LATE = {5: 12, 4: 28, 3: 25, 2: 17, 1: 18}
# Vietnam hours at which people report, by weight.
_FILING_HOURS = {6: 2, 7: 5, 8: 7, 9: 7, 10: 6, 11: 5, 12: 3, 13: 3, 14: 5, 15: 5, 16: 5, 17: 6, 18: 6, 19: 6,
                 20: 5, 21: 3, 22: 1}


@dataclass(frozen=True)
class Step:
    """Something done to a story's report, `after` its filing."""

    after: timedelta
    action: str  # acknowledge | progress | resolve | rate | transfer
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """One report's planned life."""

    number: int
    category: str
    ward_code: str
    point: tuple[float, float]
    description: str
    address: str | None
    filed_at: datetime
    photo: bool
    steps: tuple[Step, ...]


def _weighted(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _point_in(ward: Ward, wards: WardDirectory, rng: random.Random) -> tuple[float, float]:
    """A point within a few hundred metres of the ward's centre, inside the ward."""
    for _ in range(30):
        lat = round(ward.centre[0] + rng.uniform(-0.006, 0.006), 6)
        lon = round(ward.centre[1] + rng.uniform(-0.006, 0.006), 6)
        found = wards.locate(lat, lon)
        if found is not None and found.code == ward.code:
            return lat, lon
    return ward.centre


def _ward_weights(wards: WardDirectory, rng: random.Random) -> dict[str, float]:
    """Most reports come from the town wards (phường), a few from the communes; one ward far more than the rest."""
    towns = [ward.code for ward in wards.all() if ward.ward_type == "phường"]
    communes = rng.sample([ward.code for ward in wards.all() if ward.ward_type != "phường"], k=5)
    weights = {code: 10 / (rank + 1) for rank, code in enumerate(towns)}
    weights.update({code: 1.0 for code in communes})
    return weights


def owner_of(category: Category, ward_code: str) -> str:
    """The demo rules' owner (phananh_local.demo_directory.demo_rules)."""
    return ward_committee_id(ward_code) if category.ward_level else category.default_owner


def _story(number: int, rng: random.Random, *, wards: WardDirectory, ward_weights: dict[str, float], end: datetime,
           role: str) -> Story:
    category = get_category(_weighted(rng, _FIELD_WEIGHTS))
    ward = wards.get(_weighted(rng, ward_weights))
    days_ago = {"neglected": rng.uniform(1.2, 6), "stalled": rng.uniform(8, 20), "reopened": rng.uniform(25, 60)}.get(
        role, HISTORY_DAYS * (1 - rng.random() ** 0.8)
    )
    day = (end - timedelta(days=days_ago)).astimezone(VIETNAM)
    filed_at = day.replace(hour=_weighted(rng, _FILING_HOURS), minute=rng.randrange(60), second=rng.randrange(60))
    filed_at = min(filed_at, end - timedelta(hours=2)).astimezone(UTC)
    description = rng.choice(demo_texts.DESCRIPTIONS[category.code]).format(place=rng.choice(demo_texts.PLACES))
    return Story(
        number=number, category=category.code, ward_code=ward.code, point=_point_in(ward, wards, rng),
        description=description,
        address=rng.choice(demo_texts.ADDRESSES) if rng.random() < 0.5 else None,
        filed_at=filed_at, photo=rng.random() < PHOTO_SHARE,
        steps=tuple(_steps(category, ward.code, filed_at, rng, role)),
    )


def _steps(category: Category, ward_code: str, filed_at: datetime, rng: random.Random, role: str) -> Iterator[Step]:
    ack_allowance = timedelta(hours=category.acknowledge_hours)
    resolve_allowance = deadlines_for(category, filed_at).resolve_due - filed_at
    owner = owner_of(category, ward_code)
    if role == "neglected":
        return  # nobody acknowledges it: the deadline passes and the escalation climbs
    late_ack = rng.random() < 0.1
    acknowledged = ack_allowance * (rng.uniform(1.2, 3) if late_ack else rng.uniform(0.05, 0.8))
    if category.ward_level and rng.random() < 0.07:
        # The ward hands it to the field's department, which acknowledges afresh.
        owner = category.default_owner
        yield Step(acknowledged * 0.5, "transfer", {"to": owner, "reason": rng.choice(demo_texts.TRANSFER_REASONS)})
        acknowledged += ack_allowance * rng.uniform(0.1, 0.6)
    yield Step(acknowledged, "acknowledge", {"note": rng.choice(demo_texts.ACKNOWLEDGE_NOTES)})
    if role == "stalled":
        yield Step(acknowledged + resolve_allowance * 0.2, "progress", {"note": rng.choice(demo_texts.PROGRESS_NOTES)})
        return  # work started and stopped: past its resolve deadline
    on_time = rng.random() < _PUNCTUALITY.get(owner, DEFAULT_PUNCTUALITY)
    resolved = max(acknowledged + timedelta(minutes=20),
                   resolve_allowance * (rng.uniform(0.15, 0.9) if on_time else rng.uniform(1.05, 2.2)))
    if rng.random() < 0.6:
        progress = acknowledged + (resolved - acknowledged) * rng.uniform(0.2, 0.6)
        yield Step(progress, "progress", {"note": rng.choice(demo_texts.PROGRESS_NOTES)})
    # Fields that are not exempt are resolved with an after-photo (processing.commands._require_after_photo);
    # the note is drawn first, as it always was, so that the history stays the same one.
    note = rng.choice(demo_texts.RESOLVE_NOTES)
    yield Step(resolved, "resolve", {"note": note, "photo": rng.random() < 0.3 or category.after_photo_required})
    if role != "reopened" and rng.random() > 0.72:
        return  # never rated: the schedule closes it after a week
    rated = resolved + timedelta(hours=rng.uniform(1, 96))
    score = _weighted(rng, _SCORES_ON_TIME if on_time else _SCORES_LATE)
    fixed = score >= 3 or rng.random() < 0.5
    if role == "reopened":
        score, fixed = 1, False
    comment = rng.choice(demo_texts.RATING_COMMENTS[score])
    yield Step(rated, "rate", {"score": score, "fixed": fixed, "comment": comment})
    if score <= 2 and not fixed:
        again = rated + timedelta(days=rng.uniform(1, 4))
        yield Step(again, "resolve",
                   {"note": rng.choice(demo_texts.RESOLVE_AGAIN_NOTES), "photo": category.after_photo_required})
        if rng.random() < 0.7:
            yield Step(again + timedelta(hours=rng.uniform(2, 60)), "rate",
                       {"score": rng.choice((3, 4, 4, 5)), "fixed": True, "comment": None})


def plan_history(size: int, end: datetime, wards: WardDirectory, *, seed: int = SEED) -> list[Story]:
    """`size` stories over the `HISTORY_DAYS` before `end`; the same for the same arguments.

    The first ones are scripted so that even a small history shows each thing once: a report
    nobody acknowledged (escalated to the top), one acknowledged and stalled (overdue), one reopened.
    """
    rng = random.Random(seed)
    ward_weights = _ward_weights(wards, rng)
    roles = ["neglected", "stalled", "reopened"] + ["neglected"] * (size // 60) + ["stalled"] * (size // 50)
    stories = [
        _story(number, rng, wards=wards, ward_weights=ward_weights, end=end,
               role=roles[number] if number < len(roles) else "ordinary")
        for number in range(size)
    ]
    return sorted(stories, key=lambda story: (story.filed_at, story.number))


# -- photos ------------------------------------------------------------------------------------


def demo_photo(rng: random.Random, *, after: bool, gps: tuple[float, float] | None = None) -> bytes:
    """A small real JPEG (640×480): a street-coloured scene with blotches; after a fix, fewer; with
    `gps` (north and east) the position a phone writes into its EXIF."""
    from PIL import Image, ImageDraw

    ground = (rng.randrange(90, 140),) * 3
    image = Image.new("RGB", (640, 480), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 200, 640, 480), fill=ground)
    for _ in range(2 if after else 9):
        x, y = rng.randrange(20, 600), rng.randrange(220, 460)
        radius = rng.randrange(10, 60)
        colour = tuple(rng.randrange(30, 90) for _ in range(3)) if not after else (ground[0] + 20,) * 3
        draw.ellipse((x - radius, y - radius // 2, x + radius, y + radius // 2), fill=colour)
    exif = Image.Exif()
    if gps is not None:
        exif.get_ifd(_GPS_IFD).update({1: "N", 2: _degrees_minutes_seconds(gps[0]),
                                       3: "E", 4: _degrees_minutes_seconds(gps[1])})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, exif=exif)
    return out.getvalue()


_GPS_IFD = 0x8825


def _degrees_minutes_seconds(value: float) -> tuple[float, float, float]:
    degrees, rest = divmod(value * 3600, 3600)
    minutes, seconds = divmod(rest, 60)
    return degrees, minutes, round(seconds, 2)


def _post_upload(form: dict[str, Any], data: bytes) -> None:
    """The upload as a phone makes it: a multipart POST to the presigned form."""
    response = requests.post(
        form["url"], data={**form["fields"], "Content-Type": "image/jpeg"},
        files={"file": ("photo.jpg", data, "image/jpeg")}, timeout=30,
    )
    response.raise_for_status()


# -- escalation --------------------------------------------------------------------------------


def _record_level_parameters() -> dict[str, Any]:
    return json.loads(ESCALATION_DEFINITION.read_text(encoding="utf-8"))["States"]["RecordLevel"]["Parameters"]


def entered_time(moment: datetime) -> str:
    """A moment as Step Functions writes `$$.State.EnteredTime`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class ReplayedEscalations:
    """The EscalationStarter the replayed sweeper starts chains with: each level at its own time in
    the replay, done as the state machine's states do it."""

    def __init__(self, replay: Replay):
        self.replay = replay
        self.started: set[str] = set()
        self.levels_fired = 0
        self._record_level = _record_level_parameters()
        self._dynamodb = boto3.client("dynamodb")
        machine = os.environ.get("PHANANH_ESCALATION_STATE_MACHINE_ARN", "arn:aws:states:::stateMachine:escalation")
        self._execution_prefix = machine.replace(":stateMachine:", ":execution:")

    def start_escalation(self, name: str, payload: dict[str, Any]) -> bool:
        if name in self.started:
            return False
        self.started.add(name)
        self._level(f"{self._execution_prefix}:{name}", payload, 0)
        return True

    def _level(self, execution: str, payload: dict[str, Any], index: int) -> None:
        """CurrentLevel → RecordLevel → AuditLevel, then WaitForNextLevel."""
        settings, now = get_settings(), clock.utc_now()
        if index > 0 and not self._still_breached(payload, settings.reports_table):
            return  # CheckReport / StillBreached: acknowledged, resolved or transferred meanwhile
        current = payload["levels"][index]
        parameters = self._record_level
        try:
            answer = self._dynamodb.update_item(
                TableName=settings.reports_table, Key={"report_id": {"S": payload["report_id"]}},
                ConditionExpression=parameters["ConditionExpression"],
                UpdateExpression=parameters["UpdateExpression"],
                ExpressionAttributeNames=parameters["ExpressionAttributeNames"],
                ExpressionAttributeValues={
                    ":status": {"S": payload["status"]}, ":due": {"S": payload["due"]},
                    ":level": {"N": current["level"]}, ":now": {"S": entered_time(now)},
                    ":execution": {"S": execution}, ":one": {"N": "1"},
                },
                ReturnValues="UPDATED_NEW",
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return  # Settled
        version = int(answer["Attributes"]["version"]["N"])
        self._dynamodb.put_item(TableName=settings.audit_table, Item={
            "report_id": {"S": payload["report_id"]}, "event_key": {"S": f"v{100_000_000 + version}"},
            "at": {"S": entered_time(now)}, "actor": {"S": "system:escalation"}, "action": {"S": "escalate"},
            "from_status": {"S": payload["status"]}, "to_status": {"S": payload["status"]}, "public": {"BOOL": False},
            "reason": {"S": f"level {current['level']} ({payload['kind']})"},
        })
        self.levels_fired += 1  # its messages follow from the reports stream (the outbox), as in the cloud
        if not current["last"]:
            next_at = datetime.strptime(current["next_at"], sweeper.STEP_FUNCTIONS_TIME).replace(tzinfo=UTC)
            self.replay.at(next_at, lambda: self._level(execution, payload, index + 1))

    def _still_breached(self, payload: dict[str, Any], table: str) -> bool:
        item = self._dynamodb.get_item(
            TableName=table, Key={"report_id": {"S": payload["report_id"]}}, ConsistentRead=True,
        ).get("Item", {})
        stored = (item.get("status", {}).get("S"), item.get("due_at", {}).get("S"))
        return stored == (payload["status"], payload["due"])


# -- the replay --------------------------------------------------------------------------------


@dataclass
class Filed:
    report_id: str
    tracking_token: str


class Replay:
    """Plays the stories' steps and the schedule's jobs in time order, each at its moment."""

    def __init__(self, stories: list[Story], *, end: datetime, functions: list[FunctionSpec], seed: int):
        self.stories, self.end = stories, end
        self.ports: Ports = bootstrap.ports()
        self.escalations = ReplayedEscalations(self)
        self.sweeping_ports = replace(self.ports, escalations=self.escalations)
        self.settings = get_settings()
        self.wards = load_wards(self.settings.wards_geojson_path)
        self.photos_rng = random.Random(seed + 1)
        self.filed: dict[int, Filed] = {}
        self.skipped: list[str] = []
        self._awaiting_routing: list[str] = []
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()
        by_app = {spec.app: spec for spec in functions if spec.sqs_sources}
        self._pollers = [
            SqsPoller(by_app[app], *by_app[app].sqs_sources[0], stop=None) for app in ("photos", "route", "deliver")
        ]
        # The outbox: each change's effects (the routing message, the alerts and pushes) from the
        # reports stream, as the deliver app's stream source forwards them.
        forwarding = next(spec for spec in functions if spec.app == "deliver" and spec.stream_sources)
        self._outbox = StreamPoller(forwarding, forwarding.stream_sources[0], stop=None)
        self._outbox.start_at_latest()
        counting = next(spec for spec in functions if spec.app == "rate" and spec.stream_sources)
        # The replay's own changes, from its first one on.
        self._stream = StreamPoller(counting, counting.stream_sources[0], stop=None)
        self._stream.start_at_latest()

    def at(self, moment: datetime, action: Callable[[], None]) -> None:
        if moment <= self.end:
            heapq.heappush(self._queue, (moment, next(self._order), action))

    def run(self) -> None:
        start = min(story.filed_at for story in self.stories) - timedelta(hours=1)
        for story in self.stories:
            self.at(story.filed_at, lambda story=story: self._file(story))
        day = start.astimezone(VIETNAM).replace(hour=1, minute=0, second=0)
        while day <= self.end:
            self.at(day.astimezone(UTC), self._daily_jobs)
            day += timedelta(days=1)
        while self._queue:
            moment, _, action = heapq.heappop(self._queue)
            with clock.set_to(moment):
                try:
                    action()
                except StateConflict as conflict:
                    self.skipped.append(f"{moment:%Y-%m-%d %H:%M}: {conflict.code}")
            # The history's metrics are not today's: dropped, as a handler's flush would send them.
            observability.metrics.clear_metrics()
        self._drain()
        self._deliver_stream()

    def _sweep_after_deadline(self, report_id: str) -> None:
        """The sweeper's first run after the report's current deadline, should it still be waiting then."""
        report = self.ports.reports.get(report_id)
        due = current_deadline(report) if report.status in WATCHED else None
        if due is None:
            return

        def sweep() -> None:
            now_report = self.ports.reports.get(report_id)
            if now_report.status is report.status and current_deadline(now_report) == due:
                sweeper.sweep(ports=self.sweeping_ports, now=clock.utc_now())

        self.at(due + SWEEP_AFTER_DEADLINE, sweep)

    def _daily_jobs(self) -> None:
        now = clock.utc_now()
        jobs.remind_to_rate(ports=self.ports, now=now)
        jobs.close_unrated(ports=self.ports, now=now)

    def _drain(self) -> None:
        """What the outbox's stream source and the photos, route and deliver functions' queues would
        deliver now, until nothing is left."""
        while self._outbox.poll_once() + sum(poller.poll_once() for poller in self._pollers):
            pass

    def _deliver_queues(self) -> None:
        """What the event sources would deliver now; then the sweeps after the new reports' deadlines."""
        self._drain()
        for filed in self._awaiting_routing:
            self._sweep_after_deadline(filed)
        self._awaiting_routing.clear()

    def _deliver_stream(self) -> None:
        """Every change so far to the scorecards, as the rate app's stream source delivers it.

        The handler writes some metrics as EMF lines at once (observability.count_by): the
        history's are not today's, and would flood the terminal, so they are not printed."""
        with contextlib.redirect_stdout(io.StringIO()):
            while self._stream.poll_once():
                pass

    def _file(self, story: Story) -> None:
        now = clock.utc_now()
        payload = {
            "category": story.category, "description": story.description,
            "location": {"lat": story.point[0], "lon": story.point[1]}, "photo_count": 1 if story.photo else 0,
        }
        if story.address:
            payload["address"] = story.address
        key = str(uuid.UUID(int=random.Random(story.number * 7919 + SEED).getrandbits(128), version=4))
        receipt = filing.submit_report(payload, Caller(None, key), ports=self.ports, settings=self.settings, now=now)
        self.filed[story.number] = Filed(receipt["report_id"], receipt["tracking_token"])
        self._awaiting_routing.append(receipt["report_id"])
        if story.photo:
            self.at(now + timedelta(seconds=40), lambda: self._upload(receipt["uploads"][0], after=False))
        else:
            self.at(now + timedelta(seconds=20), self._deliver_queues)
        for step in story.steps:
            self.at(story.filed_at + step.after, lambda step=step: self._step(story, step))

    def _upload(self, form: dict[str, Any], *, after: bool, gps: tuple[float, float] | None = None) -> None:
        _post_upload(form, demo_photo(self.photos_rng, after=after, gps=gps))
        self._deliver_queues()

    def _officer(self, report_id: str) -> Principal:
        report = self.ports.reports.get(report_id)
        return Principal(f"{report.owner_unit_id}.officer", report.owner_unit_id, frozenset({"officer"}))

    def _step(self, story: Story, step: Step) -> None:
        filed, now, detail = self.filed[story.number], clock.utc_now(), step.detail
        report = self.ports.reports.get(filed.report_id)
        if report.status in (Status.RECEIVED, Status.CLOSED):
            self.skipped.append(f"{story.number} {step.action}: {report.status}")
            return
        context = {"ports": self.ports, "now": now}
        officer = self._officer(filed.report_id)
        if step.action == "acknowledge":
            commands.acknowledge(officer, filed.report_id, note=detail["note"], **context)
        elif step.action == "progress":
            commands.add_progress(officer, filed.report_id, detail["note"], **context)
        elif step.action == "transfer":
            commands.transfer(officer, filed.report_id, detail["reason"], to_unit_id=detail["to"], **context)
        elif step.action == "resolve":
            _, forms = commands.resolve(officer, filed.report_id, detail["note"],
                                        photo_count=1 if detail["photo"] else 0, **context)
            # Most after-photos are taken on the spot ("location verified"); every fourth story's
            # phone wrote no position, so the demo shows "location not verified" too.
            gps = story.point if story.number % 4 else None
            if forms:
                self.at(now + timedelta(minutes=2), lambda: self._upload(forms[0].to_dict(), after=True, gps=gps))
        elif step.action == "rate":
            from phananh.transparency import rating

            body = {"score": detail["score"], "fixed": detail["fixed"]}
            if detail["comment"]:
                body["comment"] = detail["comment"]
            rating.rate(filed.report_id, filed.tracking_token, body, **context)
        self._sweep_after_deadline(filed.report_id)


@contextlib.contextmanager
def _deadlines_as_in_the_cloud() -> Iterator[None]:
    """The history is 90 real days: `make dev DEADLINE_SCALE=…` speeds up only what comes after it."""
    saved = os.environ.get(DEADLINE_SCALE_VARIABLE)
    os.environ[DEADLINE_SCALE_VARIABLE] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ[DEADLINE_SCALE_VARIABLE]
        else:
            os.environ[DEADLINE_SCALE_VARIABLE] = saved


def replay_history(functions: list[FunctionSpec], *, size: int = DEFAULT_SIZE, end: datetime | None = None,
                   seed: int = SEED) -> Replay:
    """Plan and play the history ending at `end` (now); the replay, with what it filed."""
    end = end or clock.utc_now()
    stories = plan_history(size, end, load_wards(get_settings().wards_geojson_path), seed=seed)
    replay = Replay(stories, end=end, functions=functions, seed=seed)
    with _deadlines_as_in_the_cloud():
        replay.run()
    return replay
