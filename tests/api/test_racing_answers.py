"""A retry racing its first attempt (a client retrying before the first answer came) that reads
its rows before the first attempt's change and claims its key after the first was answered:
it is answered with the change the first attempt made, never with the rows as it read them
before (`amendClientIdentity`, `autoAssign`, `completeTask`).

The interleaving is forced: the first attempt's claim of its key waits until the second attempt
has read its rows and come to its own claim, which waits until the first has answered."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from strawberry.types import Info

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from schema import idempotency
from schema.context import Context
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, write
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api, eventually
from tests.api.live import WAIT
from tests.api.survey_tasks import low_score_task
from tests.api.test_triage_api import AUTO_ASSIGN, LOG_TIMEOUT, _client_at_triage

Clinic = Callable[[], Awaitable[JourneyDriver]]
Answer = dict[str, Any]


@dataclass
class _Race:
    """The claims of two attempts of one mutation, held in turn (`_claims_held`)."""

    first_at_claim: asyncio.Event = field(default_factory=asyncio.Event)
    second_at_claim: asyncio.Event = field(default_factory=asyncio.Event)
    first_answered: asyncio.Event = field(default_factory=asyncio.Event)
    claims: int = 0


def _claims_held(monkeypatch: pytest.MonkeyPatch, mutation: str) -> _Race:
    """From now on, the first claim of `mutation`'s key waits until a second attempt has read
    its rows and comes to its claim; the second claim waits until the first attempt answered.
    Bounded: a wait that outlasts `WAIT` fails the attempt."""
    race, claim = _Race(), idempotency.claim

    async def held(info: Info[Context, None], *args: Any, **kwargs: Any) -> Any:
        if info.field_name == mutation:
            race.claims += 1
            async with asyncio.timeout(WAIT):
                if race.claims == 1:
                    race.first_at_claim.set()
                    await race.second_at_claim.wait()
                elif race.claims == 2:
                    race.second_at_claim.set()
                    await race.first_answered.wait()
        return await claim(info, *args, **kwargs)

    monkeypatch.setattr(idempotency, "claim", held)
    return race


async def _raced(
    race: _Race,
    send: Callable[[], Awaitable[Answer]],
    settled: Callable[[], Awaitable[object]] | None = None,
) -> list[Answer]:
    """The first attempt's answer and the second's, sent at once: the second once the first is
    at its claim, let on once the first answered (and `settled` returned, when given)."""

    async def first() -> Answer:
        answer = await send()
        if settled is not None:
            await settled()
        race.first_answered.set()
        return answer

    async def second() -> Answer:
        await race.first_at_claim.wait()
        return await send()

    async with asyncio.timeout(WAIT + LOG_TIMEOUT):
        answers = await asyncio.gather(first(), second())
    assert race.claims == 2, "both attempts claimed the key"
    return list(answers)


async def test_a_racing_retry_of_an_identity_correction_answers_the_new_name(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client registered as Anna Nowak
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    race = _claims_held(monkeypatch, "amendClientIdentity")
    corrected = {
        "clientId": client,
        "fullName": "Anna Kowalska",
        "reason": "married",
        "idempotencyKey": new_key(),
    }

    async def send() -> Answer:
        return await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **corrected)

    # When her name is corrected, and a retry of the correction reads her page before the
    # first attempt writes it and claims its key after the first answered
    first, second = await _raced(race, send)
    # Then both answer her new name
    assert first["__typename"] == "ClientPayload", first
    assert first["client"]["fullName"] == "Anna Kowalska", first
    assert second == first


async def test_a_racing_retry_of_an_assignment_answers_the_journey_assigned(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client waiting at triage in a clinic with a desk of its own
    clinic, staff, _consultants, journey = await _client_at_triage(api)
    desk = staff[Role.FRONT_DESK].token
    race = _claims_held(monkeypatch, "autoAssign")
    asked = {"journeyId": journey, "idempotencyKey": new_key()}

    async def send() -> Answer:
        answer: Answer = (await api.run(AUTO_ASSIGN, desk, input=asked))["autoAssign"]
        return answer

    async def logged() -> object:
        # The desk's log holds the assignment (written just after the answer): the retry is
        # answered from it, not by the desk
        raw = decode_id(journey, "Journey")
        return await eventually(
            lambda: TriageEntry.filter(clinic_id=clinic, journey_id=raw, kind="ASSIGNED").count(),
            lambda count: count == 1,
            timeout=LOG_TIMEOUT,
            what="the assignment in the desk's log",
        )

    # When the desk places her, and a retry of the placing reads her journey at triage before
    # the first attempt assigns her and claims its key after the first answered
    first, second = await _raced(race, send, logged)
    # Then both answer her journey at the consultation, with the consultant the desk chose
    assert first["__typename"] == "AutoAssignPayload", first
    assert first["journey"]["stage"] == "CONSULTATION", first
    assert first["journey"]["consultant"]["id"] == first["decision"]["consultantId"], first
    assert second == first


async def test_a_racing_retry_of_a_task_closing_answers_the_task_done(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a supervisor's task raised by a low survey score
    driver = await fresh_clinic()
    task_id = await low_score_task(driver)
    race = _claims_held(monkeypatch, "completeTask")
    closing = {"taskId": task_id, "note": "called back, all well", "idempotencyKey": new_key()}

    async def send() -> Answer:
        token = driver.token(Role.SUPERVISOR)
        data = await driver.api.run(docs.COMPLETE_TASK, token, input=closing)
        answer: Answer = data["completeTask"]
        return answer

    # When the supervisor closes it, and a retry of the closing reads the task open before the
    # first attempt closes it and claims its key after the first answered
    first, second = await _raced(race, send)
    # Then both answer the task done
    assert first["__typename"] == "TaskCompleted", first
    assert first["task"]["status"] == "DONE", first
    assert second == first
