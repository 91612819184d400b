"""The reporter's answer to the owner unit's question (intake.answers): with the tracking token, a text
and up to three photos through the photo check; the trail keeps it, the public reads only that
information was received."""

from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed
from photo_samples import jpeg_with_gps

from phananh.escalation import jobs
from phananh.intake import answers, reporter_rights
from phananh.processing import commands
from phananh.report.lifecycle import Action
from phananh.routing import photo_check, pipeline
from phananh.routing.intake_item import IntakeItem
from phananh.shared.errors import InvalidInput, NotFound, StateConflict
from phananh.transparency import views

ASKED = ROUTED_AT + timedelta(hours=1)
ANSWERED = ASKED + timedelta(hours=3)


@pytest.fixture
def asked(ports, settings, directory, officer):
    report, token = routed(ports, settings)
    commands.ask_reporter(officer, report.report_id, "Ổ gà sâu bao nhiêu?", photo_requested=True,
                          pause_working_days=3, ports=ports, now=ASKED)
    return report.report_id, token


def test_the_reporter_answers_with_the_token_and_gets_forms_for_the_photos(ports, settings, asked):
    report_id, token = asked
    receipt = answers.answer_question(report_id, token, {"text": "Khoảng 20 cm", "photo_count": 2},
                                      ports=ports, now=ANSWERED)
    assert receipt["answered_at"] == ANSWERED.isoformat()
    assert [form["key"] for form in receipt["uploads"]] == [f"quarantine/{report_id}/q1a{n}" for n in (1, 2)]
    (question,) = ports.reports.get(report_id).questions
    assert (question.answer, question.answered_at, question.answer_photo_count, question.waiting) == (
        "Khoảng 20 cm", ANSWERED, 2, False)
    event = ports.reports.events(report_id)[-1]
    assert (event.action, event.actor, event.reason, event.public) == (Action.ANSWER, "reporter", "Khoảng 20 cm", True)
    page = views.public_view(report_id, ports=ports, settings=settings, now=ANSWERED)
    assert page["timeline"][-1]["label"]["en"] == "The reporter sent the information"
    assert page["awaiting_information"] is None and "20 cm" not in str(page)


def test_the_answers_photos_go_through_the_photo_check_onto_the_answer(ports, settings, asked):
    report_id, token = asked
    answers.answer_question(report_id, token, {"text": "Ảnh đây", "photo_count": 1}, ports=ports, now=ANSWERED)
    upload = IntakeItem("photo", report_id, photo_index=1, photo_kind="q1a")
    assert upload.upload_key == f"quarantine/{report_id}/q1a1"
    ports.photos.upload(upload.upload_key, jpeg_with_gps(size=(400, 300)))
    assert photo_check.check_upload(upload, ports=ports, settings=settings)
    sent = ports.queues.photo_checks[-1]
    assert sent.photo_kind == "q1a" and sent.check["image_key"].startswith(f"public/{report_id}/q1a1-")
    recorded = pipeline.record_photo_check(
        IntakeItem("photo_checked", report_id, 1, photo_kind="q1a", check=sent.check, gps=sent.gps),
        ports=ports, settings=settings, now=ANSWERED)
    assert recorded.questions[0].answer_photos["1"].is_checked and recorded.photos == {}
    own = views.reporter_view(report_id, token, ports=ports, settings=settings)
    assert len(own["questions"][0]["answer_photos"]) == 1


def test_a_photo_for_a_question_not_answered_or_not_asked_is_refused(ports, settings, asked, officer):
    report_id, token = asked
    answers.answer_question(report_id, token, {"text": "Ảnh đây", "photo_count": 1}, ports=ports, now=ANSWERED)
    commands.ask_reporter(officer, report_id, "Còn gì nữa không?", pause_working_days=3, ports=ports,
                          now=ANSWERED + timedelta(hours=1))
    for kind in ("q2a", "q3a"):  # the second waits for its answer; there is no third
        upload = IntakeItem("photo", report_id, photo_index=1, photo_kind=kind)
        ports.photos.upload(upload.upload_key, jpeg_with_gps(size=(400, 300)))
        photo_check.check_upload(upload, ports=ports, settings=settings)
        sent = ports.queues.photo_checks[-1]
        assert pipeline.record_photo_check(
            IntakeItem("photo_checked", report_id, 1, photo_kind=kind, check=sent.check, gps=sent.gps),
            ports=ports, settings=settings, now=ANSWERED) is None
    # The first answer's photo still arrives onto the first question.
    upload = IntakeItem("photo", report_id, photo_index=1, photo_kind="q1a")
    ports.photos.upload(upload.upload_key, jpeg_with_gps(size=(400, 300)))
    photo_check.check_upload(upload, ports=ports, settings=settings)
    sent = ports.queues.photo_checks[-1]
    recorded = pipeline.record_photo_check(
        IntakeItem("photo_checked", report_id, 1, photo_kind="q1a", check=sent.check, gps=sent.gps),
        ports=ports, settings=settings, now=ANSWERED)
    assert set(recorded.questions[0].answer_photos) == {"1"} and recorded.questions[1].answer_photos == {}


def test_a_wrong_token_looks_like_no_report_and_changes_nothing(ports, settings, asked):
    report_id, _ = asked
    with pytest.raises(NotFound):
        answers.answer_question(report_id, "not-the-token", {"text": "x"}, ports=ports, now=ANSWERED)
    with pytest.raises(NotFound):
        answers.answer_question(report_id, None, {"text": "x"}, ports=ports, now=ANSWERED)
    assert ports.reports.get(report_id).waiting_question


def test_an_answer_with_no_question_waiting_is_a_conflict(ports, settings, asked, directory):
    report_id, token = asked
    answers.answer_question(report_id, token, {"text": "Khoảng 20 cm"}, ports=ports, now=ANSWERED)
    with pytest.raises(StateConflict) as refused:
        answers.answer_question(report_id, token, {"text": "Lần nữa"}, ports=ports, now=ANSWERED)
    assert refused.value.code == "no_open_question"
    other, other_token = routed(ports, settings)
    with pytest.raises(StateConflict):
        answers.answer_question(other.report_id, other_token, {"text": "?"}, ports=ports, now=ANSWERED)


@pytest.mark.parametrize(("body", "code"), [
    ({}, "missing_field"),
    ({"text": "ok", "photo_count": 4}, "invalid_photo_count"),
    ({"text": "ok", "photo_count": True}, "invalid_photo_count"),
    ({"text": "ok", "photo_count": "2"}, "invalid_photo_count"),
])
def test_a_bad_answer_is_refused(ports, settings, asked, body, code):
    report_id, token = asked
    with pytest.raises(InvalidInput) as refused:
        answers.answer_question(report_id, token, body, ports=ports, now=ANSWERED)
    assert refused.value.code == code
    assert ports.reports.get(report_id).waiting_question


def _answered_with_a_photo(ports, settings, report_id, token):
    answers.answer_question(report_id, token, {"text": "Nhà tôi số 12, ảnh đây", "photo_count": 1},
                            ports=ports, now=ANSWERED)
    upload = IntakeItem("photo", report_id, photo_index=1, photo_kind="q1a")
    ports.photos.upload(upload.upload_key, jpeg_with_gps(size=(400, 300)))
    photo_check.check_upload(upload, ports=ports, settings=settings)
    sent = ports.queues.photo_checks[-1]
    return pipeline.record_photo_check(
        IntakeItem("photo_checked", report_id, 1, photo_kind="q1a", check=sent.check, gps=sent.gps),
        ports=ports, settings=settings, now=ANSWERED)


def test_the_retention_erases_the_answers_text_photos_and_trail_text_once_the_report_ended(
    ports, settings, asked, directory
):
    report_id, token = asked
    recorded = _answered_with_a_photo(ports, settings, report_id, token)
    keys = recorded.answer_photo_keys()
    assert keys and all(key in ports.photos.checked for key in keys)
    assert "answers" in recorded.personal_data_held()
    rejected = commands.reject(directory.principal(directory.coordinator), report_id, "spam", "Quảng cáo",
                               ports=ports, now=ANSWERED + timedelta(hours=1))
    over = rejected.ended_at + timedelta(days=settings.personal_data_retention_days)
    # Not before the retention is over: the answer stays, in the report and its trail.
    assert jobs.erase_expired_personal_data(ports=ports, settings=settings, now=over - timedelta(minutes=1)) == []
    assert ports.reports.get(report_id).questions[0].answer == "Nhà tôi số 12, ảnh đây"

    assert jobs.erase_expired_personal_data(ports=ports, settings=settings, now=over) == [report_id]
    (erased,) = ports.reports.get(report_id).questions
    assert erased.answer is None and erased.answer_erased and erased.answer_photos == {}
    assert erased.text == "Ổ gà sâu bao nhiêu?" and ports.reports.get(report_id).personal_data_held() == ()
    assert not any(key in ports.photos.checked for key in keys)
    trail = ports.reports.events(report_id)
    answer_event = next(event for event in trail if event.action is Action.ANSWER)
    # The event stays (information was received, and when); its text does not.
    assert answer_event.reason == jobs.ERASED_ANSWER and answer_event.at == ANSWERED
    assert "số 12" not in str(trail) and "answers" in trail[-1].reason
    assert jobs.erase_expired_personal_data(ports=ports, settings=settings, now=over + timedelta(days=1)) == []


def test_the_reporters_erase_my_contact_keeps_the_answers_for_the_unit(ports, settings, asked):
    report_id, token = asked
    answers.answer_question(report_id, token, {"text": "Khoảng 20 cm"}, ports=ports, now=ANSWERED)
    reporter_rights.erase_contact(report_id, token, ports=ports, now=ANSWERED + timedelta(minutes=5))
    assert ports.reports.get(report_id).questions[0].answer == "Khoảng 20 cm"
