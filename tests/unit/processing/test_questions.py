"""Asking the reporter (processing.commands.ask_reporter) and the clock's honest pause
(report.deadlines): who may ask, one question at a time and every one kept (at most MAX_QUESTIONS),
the pause from question to answer within the report's allowance, never a pause that hides lateness."""

from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed

from phananh.intake import answers
from phananh.processing import commands
from phananh.processing.sign_in import Forbidden
from phananh.report.deadlines import clock_paused, current_deadline, pause_allowance_end, resolve_deadline
from phananh.report.lifecycle import Action, Status
from phananh.shared.errors import InvalidInput, NotFound, StateConflict
from phananh.transparency import views

# Monday 2 March 2026, 10:01 in Vietnam: the allowance of 3 working days ends on Thursday at 17:00.
ASKED = ROUTED_AT + timedelta(hours=1)
DAYS = 3


@pytest.fixture
def scene(ports, settings, directory, officer):
    report, token = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, ports=ports, now=ROUTED_AT + timedelta(minutes=30))
    return report.report_id, token


def ask(officer, report_id, ports, now=ASKED, **fields):
    return commands.ask_reporter(officer, report_id, fields.pop("text", "Ổ gà nằm bên trái hay bên phải chợ?"),
                                 pause_working_days=DAYS, ports=ports, now=now, **fields)


def answer(ports, report_id, token, now, **body):
    return answers.answer_question(report_id, token, {"text": "Bên trái, cạnh cột điện", **body}, ports=ports, now=now)


def test_the_owner_unit_asks_the_question_waits_and_the_trail_says_so(ports, settings, scene, officer):
    report_id, _ = scene
    before = ports.reports.get(report_id)
    assert "ask" in commands.allowed_actions(officer, before)
    asked = ask(officer, report_id, ports, photo_requested=True)
    (question,) = asked.questions
    assert (question.text, question.photo_requested, question.asked_by, question.waiting) == (
        "Ổ gà nằm bên trái hay bên phải chợ?", True, officer.officer_id, True)
    assert asked.status is Status.ACKNOWLEDGED and asked.version == before.version + 1
    event = ports.reports.events(report_id)[-1]
    assert (event.action, event.actor, event.reason, event.public) == (
        Action.ASK, officer.actor, question.text, True)
    assert "ask" not in commands.allowed_actions(officer, asked)
    with pytest.raises(StateConflict) as refused:
        ask(officer, report_id, ports, now=ASKED + timedelta(minutes=5))
    assert refused.value.code == "question_waiting"


def test_the_public_reads_that_information_was_asked_for_never_what(ports, settings, scene, officer):
    report_id, token = scene
    ask(officer, report_id, ports)
    page = views.public_view(report_id, ports=ports, settings=settings, now=ASKED)
    assert page["timeline"][-1] == {"at": ASKED.isoformat(), "status": "ACKNOWLEDGED",
                                    "label": {"vi": "Đơn vị đề nghị bổ sung thông tin",
                                              "en": "The unit asked for more information"}}
    assert page["awaiting_information"] == {
        "since": ASKED.isoformat(), "clock_paused_until": pause_allowance_end(ASKED, DAYS).isoformat()}
    assert "Ổ gà nằm" not in str(page)
    own = views.reporter_view(report_id, token, ports=ports, settings=settings)
    (question,) = own["questions"]
    assert question["text"] == "Ổ gà nằm bên trái hay bên phải chợ?" and question["waiting"]
    # Which officer asked is the unit's business.
    assert "asked_by" not in question


def test_the_resolve_clock_pauses_from_question_to_answer(ports, settings, scene, officer):
    report_id, token = scene
    stored_due = ports.reports.get(report_id).resolve_due_at
    asked = ask(officer, report_id, ports)
    allowance_end = pause_allowance_end(ASKED, DAYS)
    # Weekdays only: Monday's question may pause the clock until Thursday at 17:00 Vietnam time.
    assert allowance_end.isoformat() == "2026-03-05T10:00:00+00:00"
    # While it waits, the deadline is the one that holds if no answer comes: the sweeper finds nothing earlier.
    assert current_deadline(asked) == resolve_deadline(asked) == stored_due + (allowance_end - ASKED)
    assert clock_paused(asked, ASKED + timedelta(days=1))
    answer(ports, report_id, token, now=ASKED + timedelta(hours=26))
    answered = ports.reports.get(report_id)
    assert not clock_paused(answered, ASKED + timedelta(hours=27))
    assert current_deadline(answered) == stored_due + timedelta(hours=26)


def test_an_unanswered_question_pauses_the_clock_no_longer_than_the_allowance(ports, settings, scene, officer):
    report_id, token = scene
    stored_due = ports.reports.get(report_id).resolve_due_at
    ask(officer, report_id, ports)
    allowance_end = pause_allowance_end(ASKED, DAYS)
    assert not clock_paused(ports.reports.get(report_id), allowance_end)
    # Answered long after: the clock ran again from the allowance's end.
    answer(ports, report_id, token, now=allowance_end + timedelta(days=2))
    assert resolve_deadline(ports.reports.get(report_id)) == stored_due + (allowance_end - ASKED)
    # A second question, once the allowance is used up, pauses nothing more.
    second = ask(officer, report_id, ports, now=allowance_end + timedelta(days=3), text="Còn nước đọng không?")
    assert second.latest_question.pause_until is None
    assert resolve_deadline(second) == stored_due + (allowance_end - ASKED)


def test_questions_share_one_allowance(ports, settings, scene, officer):
    report_id, token = scene
    stored_due = ports.reports.get(report_id).resolve_due_at
    ask(officer, report_id, ports)
    answer(ports, report_id, token, now=ASKED + timedelta(hours=2))
    second_asked = ASKED + timedelta(hours=3)
    second = ask(officer, report_id, ports, now=second_asked, text="Ảnh chụp lúc mấy giờ?")
    assert second.latest_question.pause_until == pause_allowance_end(ASKED, DAYS)
    answer(ports, report_id, token, now=second_asked + timedelta(hours=5))
    assert resolve_deadline(ports.reports.get(report_id)) == stored_due + timedelta(hours=2 + 5)


def test_a_question_asked_once_the_deadline_passed_hides_no_lateness(ports, settings, scene, officer):
    report_id, _ = scene
    due = ports.reports.get(report_id).resolve_due_at
    late = ask(officer, report_id, ports, now=due + timedelta(hours=1))
    assert late.latest_question.pause_until is None
    assert resolve_deadline(late) == due
    assert views.public_view(report_id, ports=ports, settings=settings, now=due + timedelta(hours=2))[
        "awaiting_information"]["clock_paused_until"] is None


def test_resolving_while_a_question_waits_ends_its_pause(ports, settings, scene, officer):
    report_id, token = scene
    stored_due = ports.reports.get(report_id).resolve_due_at
    ask(officer, report_id, ports)
    resolved, _ = commands.resolve(officer, report_id, "Đã vá", photo_count=1, ports=ports,
                                   now=ASKED + timedelta(hours=4))
    assert resolved.waiting_question is None and not resolved.questions[0].waiting
    assert resolve_deadline(resolved) == stored_due + timedelta(hours=4)
    with pytest.raises(StateConflict) as refused:
        answer(ports, report_id, token, now=ASKED + timedelta(hours=5))
    assert refused.value.code == "no_open_question"


def test_only_the_owner_unit_asks_and_only_while_it_works_the_report(ports, settings, scene, directory, coordinator):
    report_id, _ = scene
    with pytest.raises(NotFound):
        ask(directory.principal(directory.other_officer), report_id, ports)
    # A coordinator sees every report; the owner unit asks its reporter.
    with pytest.raises(Forbidden):
        ask(coordinator, report_id, ports)
    assert "ask" not in commands.allowed_actions(coordinator, ports.reports.get(report_id))
    commands.reject(coordinator, report_id, "spam", "Quảng cáo", ports=ports, now=ASKED)
    with pytest.raises(StateConflict) as refused:
        ask(directory.principal(directory.officer), report_id, ports, now=ASKED + timedelta(minutes=1))
    assert refused.value.code == "not_open"
    assert ports.reports.get(report_id).questions == ()


@pytest.mark.parametrize(("fields", "code"), [
    ({"text": ""}, "missing_field"),
    ({"text": "x" * 2001}, "too_long"),
    ({"photo_requested": "yes"}, "invalid_photo_requested"),
])
def test_a_bad_question_is_refused_and_nothing_is_written(ports, settings, scene, officer, fields, code):
    report_id, _ = scene
    version = ports.reports.get(report_id).version
    with pytest.raises(InvalidInput) as refused:
        ask(officer, report_id, ports, **fields)
    assert refused.value.code == code
    assert ports.reports.get(report_id).version == version


def test_the_consoles_queue_says_the_clock_is_paused_and_counts_down_to_the_moved_deadline(
        ports, settings, scene, officer):
    from phananh.processing import worklists

    report_id, token = scene
    asked = ask(officer, report_id, ports)
    (item,) = worklists.unit_open_queue(officer, ports=ports, now=ASKED + timedelta(hours=1))["reports"]
    assert item["clock_paused_until"] == asked.waiting_question.pause_until.isoformat()
    assert item["due_at"] == resolve_deadline(asked).isoformat()
    answer(ports, report_id, token, now=ASKED + timedelta(hours=2))
    (item,) = worklists.unit_open_queue(officer, ports=ports, now=ASKED + timedelta(hours=3))["reports"]
    assert item["clock_paused_until"] is None


def test_a_reopened_report_gets_a_fresh_clock_without_the_old_pauses(ports, settings, scene, officer):
    from phananh.transparency import rating

    report_id, token = scene
    ask(officer, report_id, ports)
    answer(ports, report_id, token, now=ASKED + timedelta(days=1))
    commands.resolve(officer, report_id, "Đã vá", photo_count=1, ports=ports, now=ASKED + timedelta(days=2))
    reopened_at = ASKED + timedelta(days=3)
    rating.rate(report_id, token, {"score": 1, "fixed": False}, ports=ports, now=reopened_at)
    reopened = ports.reports.get(report_id)
    # The question and its answer stay; their pause belonged to the clock that ran then.
    assert reopened.status is Status.IN_PROGRESS and reopened.questions[0].answer == "Bên trái, cạnh cột điện"
    assert resolve_deadline(reopened) == reopened.resolve_due_at
    # The new clock has its own allowance, opened by its first question.
    again = ask(officer, report_id, ports, now=reopened_at + timedelta(hours=1), text="Chỗ nào còn hỏng?")
    assert again.pause_allowance_ends_at == pause_allowance_end(reopened_at + timedelta(hours=1), DAYS)
    assert [question.text for question in again.questions] == ["Ổ gà nằm bên trái hay bên phải chợ?",
                                                                "Chỗ nào còn hỏng?"]


def test_every_question_is_kept_with_its_answer_and_its_own_photos_up_to_the_cap(ports, settings, scene, officer):
    report_id, token = scene
    keys = []
    for number in range(1, commands.MAX_QUESTIONS + 1):
        asked_at = ASKED + timedelta(hours=2 * number)
        ask(officer, report_id, ports, now=asked_at, text=f"Câu hỏi {number}?")
        receipt = answer(ports, report_id, token, now=asked_at + timedelta(hours=1), text=f"Trả lời {number}",
                         photo_count=1)
        keys += [form["key"] for form in receipt["uploads"]]
    # Each answer's photos under its question's own keys: a later answer never overwrites an earlier one's.
    assert keys == [f"quarantine/{report_id}/q{number}a1" for number in range(1, commands.MAX_QUESTIONS + 1)]
    report = ports.reports.get(report_id)
    assert [(question.text, question.answer) for question in report.questions] == [
        (f"Câu hỏi {number}?", f"Trả lời {number}") for number in range(1, commands.MAX_QUESTIONS + 1)]
    assert "ask" not in commands.allowed_actions(officer, report)
    with pytest.raises(StateConflict) as refused:
        ask(officer, report_id, ports, now=ASKED + timedelta(days=1), text="Thêm một câu?")
    assert refused.value.code == "too_many_questions" and refused.value.message["en"]
    assert len(ports.reports.get(report_id).questions) == commands.MAX_QUESTIONS
    seen = commands.officer_view(report, officer, ports=ports, settings=settings)
    assert [question["number"] for question in seen["questions"]] == list(range(1, commands.MAX_QUESTIONS + 1))
    assert seen["questions"][0]["asked_by"] == officer.officer_id and not seen["questions"][-1]["waiting"]
