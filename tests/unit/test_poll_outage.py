"""The worker's filter on the Temporal SDK core's lines: one poll failure warning per outage, a
count once a minute, one line when Temporal answers again; every other line untouched. Records
are made as the SDK's log forwarding makes them, and the filter's clock is the test's."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from workflows.connect import CORE_LOGGER
from workflows.poll_outage import PollOutage

TARGET = "temporalio_client::retry"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def core_record(
    words: str, level: int = logging.WARNING, target: str = TARGET
) -> logging.LogRecord:
    """A record as `temporalio.runtime.LogForwardingConfig` forwards a core line."""
    fields = {"error": 'Status { code: Unavailable, message: "tcp connect error" }'}
    return logging.getLogger(CORE_LOGGER).makeRecord(
        f"{CORE_LOGGER}-sdk_core::{target}",
        level,
        "(sdk-core)",
        0,
        f"[sdk_core::{target}] {words} {fields}",
        (),
        None,
        "(sdk-core)",
        {"temporal_log": SimpleNamespace(message=words, target=target, fields=fields)},
    )


def retried(poll: str, times: int, level: int = logging.WARNING) -> logging.LogRecord:
    return core_record(f"gRPC call poll_{poll}_task_queue retried {times} times", level)


@pytest.fixture
def said(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="workflows.poll_outage")
    return caplog


def our_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "workflows.poll_outage"]


def test_an_outage_is_said_once_then_counted_and_ended_in_one_line(
    said: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    outage = PollOutage(clock=clock)
    # Given the first poll failure: it passes, saying the rest are counted
    first = retried("workflow", 6)
    assert outage.filter(first) is True
    assert first.getMessage().startswith("[sdk_core::temporalio_client::retry] gRPC call")
    assert "further such warnings are counted" in first.getMessage()
    assert outage.ongoing
    # When every poller goes on failing for 50 s, past the fifteenth retry (an error) too
    passed = []
    for second in range(50):
        clock.now += 1
        for poll in ("workflow", "activity"):
            passed.append(outage.filter(retried(poll, 7 + second, logging.ERROR)))
        passed.append(outage.filter(core_record("Error while polling for activity tasks")))
    # Then none passes, and nothing is said yet
    assert passed == [False] * 150
    assert our_lines(said) == []
    # When Temporal answers again
    clock.now += 4.0
    outage.answered_again()
    # Then one line says how long it failed and how many were held back
    assert our_lines(said) == [
        "Temporal answers again: polling failed for 54 s; 150 poll failure warning(s) were held "
        "back"
    ]
    assert not outage.ongoing
    # and a second answer says nothing more
    outage.answered_again()
    assert len(our_lines(said)) == 1


def test_a_long_outage_says_its_count_once_a_minute(said: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    outage = PollOutage(clock=clock)
    assert outage.filter(retried("workflow", 6)) is True
    # When polls fail every 10 s for two and a half minutes
    for _ in range(15):
        clock.now += 10
        assert outage.filter(retried("workflow", 7)) is False
        assert outage.filter(retried("activity", 7)) is False
    # Then it said the count with the first held at 60 s and at 120 s (those held since the
    # last line said, itself included), nothing more
    assert our_lines(said) == [
        "Temporal polling still fails after 60 s: 11 more poll failure warning(s) held back",
        "Temporal polling still fails after 120 s: 12 more poll failure warning(s) held back",
    ]
    outage.answered_again()
    assert our_lines(said)[-1].endswith(
        "failed for 150 s; 30 poll failure warning(s) were held back"
    )


def test_the_next_outage_is_said_again(said: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    outage = PollOutage(clock=clock)
    assert outage.filter(retried("workflow", 6)) is True
    assert outage.filter(retried("workflow", 7)) is False
    outage.answered_again()
    clock.now += 600
    # Then the first failure of another outage passes, and its count starts afresh
    assert outage.filter(retried("activity", 6)) is True
    assert outage.filter(retried("activity", 7)) is False
    clock.now += 3
    outage.answered_again()
    assert our_lines(said)[-1] == (
        "Temporal answers again: polling failed for 3 s; 1 poll failure warning(s) were held back"
    )


def test_every_other_line_passes_untouched(said: pytest.LogCaptureFixture) -> None:
    outage = PollOutage(clock=Clock())
    others = [
        core_record("gRPC call respond_workflow_task_completed retried 6 times"),
        core_record("Received invalid workflow task (bad): ..."),
        # a poll's retry under the warning level is no outage
        core_record("gRPC call poll_workflow_task_queue retried 2 times", logging.INFO),
    ]
    before = [record.getMessage() for record in others]
    assert [outage.filter(record) for record in others] == [True, True, True]
    assert [record.getMessage() for record in others] == before
    assert not outage.ongoing
    # nor does a Python line of the SDK's (no core entry) that mentions nothing of polls
    plain = logging.getLogger("temporalio.worker").makeRecord(
        "temporalio.worker", logging.WARNING, "x", 0, "Worker cancelled", (), None
    )
    assert outage.filter(plain) is True
    assert our_lines(said) == []


def test_held_back_failures_are_each_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="workflows.poll_outage")
    outage = PollOutage(clock=Clock())
    outage.filter(retried("workflow", 6))
    outage.filter(retried("activity", 7))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "DEBUG",
            "poll failure held back (1 in this outage): "
            "gRPC call poll_activity_task_queue retried 7 times",
        )
    ]
