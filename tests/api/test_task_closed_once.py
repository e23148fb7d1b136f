"""`completeTask` closes a task once: only an attempt of the request that closed it (its key, its
input) is answered the task done; any other closing, the closer's own under a new key with the
same note included, is refused as already done. Attempts of one request sent at once answer the
first result, and the key sent with another note is a `Conflict`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from domain.store.aftercare import TaskClosing
from schema.aftercare import closing
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key
from tests.api.live import WAIT
from tests.api.survey_tasks import low_score_task

Clinic = Callable[[], Awaitable[JourneyDriver]]
Answer = dict[str, Any]
NOTE = "called back, refund of the difference agreed"


async def _close(driver: JourneyDriver, task_id: str, note: str, key: str) -> Answer:
    closing_input = {"taskId": task_id, "note": note, "idempotencyKey": key}
    data = await driver.api.run(
        docs.COMPLETE_TASK, driver.token(Role.SUPERVISOR), input=closing_input
    )
    answer: Answer = data["completeTask"]
    return answer


def _already_done(answer: Answer) -> bool:
    return answer["__typename"] == "TransitionNotAllowed" and "already" in answer["message"]


async def test_the_closer_closing_again_under_a_new_key_is_told_it_is_already_done(
    fresh_clinic: Clinic,
) -> None:
    # Given a low score's task the supervisor closed with a note
    driver = await fresh_clinic()
    task_id = await low_score_task(driver)
    key = new_key()
    first = await _close(driver, task_id, NOTE, key)
    assert first["__typename"] == "TaskCompleted", first
    assert first["task"]["status"] == "DONE", first

    # When she sends the same closing again as a new request (a new key)
    again = await _close(driver, task_id, NOTE, new_key())

    # Then it is refused as already done, as any other second closing is
    assert _already_done(again), again
    # And a retry of her first request still answers its first result
    assert await _close(driver, task_id, NOTE, key) == first
    # And its key sent with another note is a Conflict
    clash = await _close(driver, task_id, "another note", key)
    assert clash["__typename"] == "Conflict", clash
    # And the task was closed once, by her first request
    (record,) = await TaskClosing.filter(task_id=task_id)
    assert (record.closed_by, record.note) == (driver.staff[Role.SUPERVISOR].account_id, NOTE)


async def test_attempts_of_one_closing_sent_at_once_all_answer_it_and_new_keys_are_refused(
    fresh_clinic: Clinic,
) -> None:
    # Given a low score's task, open
    driver = await fresh_clinic()
    task_id = await low_score_task(driver)
    key = new_key()

    # When the supervisor's closing is sent three times at once under one key
    async with asyncio.timeout(WAIT):
        attempts = await asyncio.gather(*(_close(driver, task_id, NOTE, key) for _ in range(3)))

    # Then every attempt answers the task done, with one closing
    assert attempts[0]["__typename"] == "TaskCompleted", attempts
    assert attempts[0]["task"]["status"] == "DONE", attempts
    assert attempts[1:] == [attempts[0]] * 2

    # Given another low score's task, open
    other_id = await low_score_task(driver)

    # When the same closing is sent three times at once, each as a request of its own
    async with asyncio.timeout(WAIT):
        closings = await asyncio.gather(
            *(_close(driver, other_id, NOTE, new_key()) for _ in range(3))
        )

    # Then one of them closed it and the others are told it is already done
    done = [answer for answer in closings if answer["__typename"] == "TaskCompleted"]
    assert len(done) == 1, closings
    assert sum(_already_done(answer) for answer in closings) == 2, closings


async def test_a_closing_written_before_closings_kept_their_request_still_answers_its_retry(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a low score's task closed by a release that kept no request with its closing
    driver = await fresh_clinic()
    task_id = await low_score_task(driver)
    key = new_key()
    with monkeypatch.context() as older_release:
        older_release.setattr(closing, "_closing_request", lambda _ledger: None)
        first = await _close(driver, task_id, NOTE, key)
    assert first["__typename"] == "TaskCompleted", first
    assert (await TaskClosing.get(task_id=task_id)).request_id is None

    # When that request is retried
    retried = await _close(driver, task_id, NOTE, key)

    # Then it answers its first result, its closing matched by closer and note as then
    assert retried == first
    # And a closing with another note is refused as already done
    assert _already_done(await _close(driver, task_id, "another note", new_key()))
