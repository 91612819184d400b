"""One way to put a record's keys on its log lines and on no later line; tracing only in Lambda."""

import threading

import pytest
from import_probe import modules_loaded_by
from log_lines import json_log_lines

from phananh.shared.observability import logger, record_keys, traced_invocation


def test_a_key_is_on_the_records_lines_and_not_on_later_ones():
    with json_log_lines() as lines:
        with record_keys(report_id="PA261123AAAAAAAA"):
            logger.warning("routing")
        logger.warning("next message")
    routing, later = lines()
    assert routing["report_id"] == "PA261123AAAAAAAA"
    assert (later["message"], "report_id" in later) == ("next message", False)


def test_a_failing_record_leaves_no_key_behind():
    with json_log_lines() as lines:
        with pytest.raises(RuntimeError), record_keys(report_id="PA261123AAAAAAAA"):
            raise RuntimeError("routing failed")
        logger.warning("next message")
    [later] = lines()
    assert "report_id" not in later


def test_a_key_set_before_gets_its_value_back():
    with json_log_lines() as lines, record_keys(unit_id="so_xay_dung"):
        with record_keys(unit_id="phuong_vi_thanh", report_id="PA261123AAAAAAAA"):
            logger.warning("inside")
        logger.warning("after")
    inside, after = lines()
    assert (inside["unit_id"], after["unit_id"]) == ("phuong_vi_thanh", "so_xay_dung")
    assert "report_id" not in after


def test_records_handled_at_once_leave_no_key_behind():
    """Two threads overlap inside record_keys, the first leaving first: with keys shared by all
    threads, the second would put back the first's report id as it left."""
    first_inside, second_inside, first_done = threading.Event(), threading.Event(), threading.Event()

    def first():
        with record_keys(report_id="PA261123AAAAAAAA"):
            first_inside.set()
            second_inside.wait(5)
        first_done.set()

    def second():
        first_inside.wait(5)
        with record_keys(report_id="PA261123BBBBBBBB"):
            second_inside.set()
            first_done.wait(5)

    with json_log_lines() as lines:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        logger.warning("after both")
    [after] = lines()
    assert "report_id" not in after


@pytest.mark.parametrize("environment", [
    {},
    {"AWS_LAMBDA_FUNCTION_NAME": "phananh-route-handle_intake"},  # in Lambda, but this call is not traced
    {"_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"},
])
def test_outside_a_traced_lambda_invocation_nothing_is_traced(monkeypatch, environment):
    for name in ("AWS_LAMBDA_FUNCTION_NAME", "_X_AMZN_TRACE_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert not traced_invocation()


def test_a_call_outside_lambda_never_loads_the_xray_sdk():
    statement = "from phananh.shared.observability import traced\nwith traced('GET /categories'):\n    pass"
    assert modules_loaded_by(statement, ["aws_xray_sdk"]) == set()
