"""Live views that tell the truth: `journeyChanged` pushes the journey as of each event, once
each, in order, from the moment of subscribing; a subscription with nothing to watch ends with
an error; the desk's board is pushed from the shared change feed."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from schema.ids import encode_id
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.live import LIVE_JOURNEY, WAIT, assert_self_consistent, reading
from tests.sql_statements import statements_logged

NUDGE = documents.action("nudgeJourney", "SupervisorNoteInput")
# Happy-path steps that set no timer (a handover would start the follow-ups' clocks).
STEPS = (
    "assign",
    "consult",
    "request_review",
    "approve",
    "sign_consent",
    "pay",
    "start_treatment",
    "complete_treatment",
)
BURST = 20


async def nudge(driver: JourneyDriver, journey_id: str, n: int) -> dict[str, Any]:
    return await driver.ok(NUDGE, Role.SUPERVISOR, journeyId=journey_id, note=f"nudge {n}")


async def burst(driver: JourneyDriver, journey_id: str) -> list[str]:
    """Twenty steps back to back: eight that move the journey, then nudges. Their actions."""
    actions = []
    for step in STEPS:
        journey = await getattr(driver, step)(journey_id)
        actions.append(journey["history"][-1]["action"])
    for n in range(BURST - len(STEPS)):
        journey = await nudge(driver, journey_id, n)
        actions.append(journey["history"][-1]["action"])
    return actions


async def test_a_burst_of_twenty_steps_is_pushed_once_each_in_order(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a journey at triage and someone watching it
    journey = await driver.start()
    subscription = api.subscription(LIVE_JOURNEY, driver.token(Role.NURSE), id=journey["id"])
    async with reading(subscription, "journeyChanged") as pushes:
        first = await pushes.next()
        # When twenty steps are taken back to back
        actions = await burst(driver, journey["id"])
        later = [await pushes.next() for _ in range(BURST)]
        # and one more after them
        await nudge(driver, journey["id"], BURST)
        last = await pushes.next()

    # Then the first push is the journey as it was, and each later event came once, in order
    assert first["history"] == [
        {k: e[k] for k in ("seq", "action", "fromStage", "toStage")} for e in journey["history"]
    ]
    seqs = [push["lastEventSeq"] for push in [first, *later, last]]
    assert seqs == list(range(first["lastEventSeq"], first["lastEventSeq"] + BURST + 2))
    assert [push["history"][-1]["action"] for push in later] == actions
    for push in [first, *later, last]:
        assert_self_consistent(push)
    stages = [push["stage"] for push in later[: len(STEPS)]]
    assert stages == [
        "CONSULTATION",
        "CONSULTATION",
        "EXPERT_REVIEW",
        "CONSENT",
        "PAYMENT",
        "TREATMENT",
        "TREATMENT",
        "HANDOVER",
    ]


async def test_a_new_subscriber_hears_nothing_from_before_it_subscribed(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a journey that moved while nobody was watching anything (the feed idle)
    journey = await driver.start()
    moved = await driver.assign(journey["id"])
    moved = await driver.consult(journey["id"])
    # When someone subscribes, and one more step is taken
    subscription = api.subscription(LIVE_JOURNEY, driver.token(Role.NURSE), id=journey["id"])
    async with reading(subscription, "journeyChanged") as pushes:
        first = await pushes.next()
        await nudge(driver, journey["id"], 1)
        second = await pushes.next()
        # (one more step, so that anything stale in between would have arrived by now)
        await nudge(driver, journey["id"], 2)
        third = await pushes.next()
    # Then they hear the journey as it is, then that step: nothing older
    assert first["lastEventSeq"] == len(moved["history"])
    assert first["stage"] == "CONSULTATION"
    assert [second["lastEventSeq"], third["lastEventSeq"]] == [
        len(moved["history"]) + 1,
        len(moved["history"]) + 2,
    ]
    for push in (first, second, third):
        assert_self_consistent(push)


async def test_a_journey_read_by_a_query_is_self_consistent(
    api: Api, driver: JourneyDriver
) -> None:
    journey = await driver.start()
    moved = await driver.assign(journey["id"])
    answer = await api.run(
        "query J($id: ID!) { journey(id: $id) { ... on Journey {"
        " id stage lastEventSeq history { seq action fromStage toStage } } } }",
        driver.token(Role.NURSE),
        id=journey["id"],
    )
    assert answer["journey"]["lastEventSeq"] == len(moved["history"])
    assert_self_consistent(answer["journey"])


async def _refusal(api: Api, document: str, token: str, **variables: Any) -> dict[str, Any]:
    """The one error a subscription ended with (it must push nothing first)."""
    async with api.subscription(document, token, **variables) as stream:
        with pytest.raises(TransportQueryError) as refused:
            pushed = [result async for result in _bounded(stream)]
            raise AssertionError(f"ended without an error after {pushed}")
    assert refused.value.errors is not None and len(refused.value.errors) == 1
    return refused.value.errors[0]  # type: ignore[no-any-return]


async def _bounded(stream: Any) -> Any:
    deadline = time.monotonic() + WAIT
    while True:
        remaining = deadline - time.monotonic()
        try:
            yield await asyncio.wait_for(anext(aiter(stream)), timeout=remaining)
        except StopAsyncIteration:
            return


async def test_an_unknown_or_hidden_journey_ends_with_an_error(
    api: Api, driver: JourneyDriver, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    elsewhere = await fresh_clinic()
    theirs = await elsewhere.start()
    token = driver.token(Role.NURSE)
    for journey_id in (
        "garbage",
        encode_id("Journey", f"no-such-{uuid.uuid4().hex}"),
        theirs["id"],  # another clinic's: not found, as a query answers
    ):
        error = await _refusal(api, documents.JOURNEY_CHANGED, token, id=journey_id)
        assert error["message"] == "no such journey in your clinic", journey_id
        assert error["extensions"] == {"code": "NOT_FOUND"}, journey_id


BOARD = """
subscription Board($clinicId: ID!) {
  supervisorBoard(clinicId: $clinicId) { change journey { id } stats { stage active } }
}"""
DESK = """
subscription Desk($clinicId: ID!) { triageBoardChanged(clinicId: $clinicId) { clinicId version } }
"""


@pytest.mark.parametrize("document", [BOARD, DESK], ids=["supervisorBoard", "triageBoardChanged"])
async def test_a_board_of_another_clinic_ends_with_an_error(
    api: Api, driver: JourneyDriver, document: str
) -> None:
    token = driver.token(Role.SUPERVISOR)
    for clinic_id in ("another-clinic", ""):
        error = await _refusal(api, document, token, clinicId=clinic_id)
        assert error["message"] == "not your clinic", clinic_id
        assert error["extensions"] == {"code": "NOT_FOUND"}


def _board_reads(texts: list[str]) -> int:
    """How many of these statements read the triage board table."""
    return sum("triage_board" in t and t.lstrip().upper().startswith("SELECT") for t in texts)


SEAT = """
mutation Seat($input: SeatInput!) {
  updateTriageSeat(input: $input) { __typename ... on TriageBoardPayload { board { version } } }
}"""
WATCHERS = 8
FEED_INTERVAL = 0.2  # seconds between two reads of the shared feed (schema.feed)


async def test_desk_boards_are_pushed_from_one_shared_feed(
    api: Api,
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given eight staff of a clinic watching its desk
    clinic = await fresh_clinic()
    token = clinic.token(Role.SUPERVISOR)
    me = await api.run("query { me { ... on StaffMember { clinicId } } }", token)
    clinic_id = me["me"]["clinicId"]
    async with contextlib.AsyncExitStack() as stack:
        statements = stack.enter_context(statements_logged())
        watchers = [
            await stack.enter_async_context(
                reading(api.subscription(DESK, token, clinicId=clinic_id), "triageBoardChanged")
            )
            for _ in range(WATCHERS)
        ]
        firsts = [await watcher.next() for watcher in watchers]
        # When nothing happens for a while
        read_before, started = len(statements.texts), time.monotonic()
        await asyncio.sleep(1.0)  # an observation window, not synchronisation
        idle_reads = _board_reads(statements.texts[read_before:])
        elapsed = time.monotonic() - started
        # and then the desk changes
        seat = {"consultantId": clinic.staff[Role.CONSULTANT].global_id, "reason": "roster"}
        changed = await api.run(SEAT, clinic.token(Role.FRONT_DESK), input=seat | {"onDuty": True})
        assert changed["updateTriageSeat"]["__typename"] == "TriageBoardPayload", changed
        version = changed["updateTriageSeat"]["board"]["version"]
        pushed = [await watcher.next() for watcher in watchers]
    # Then the board is read by the shared feed, at most once a tick, not once per watcher
    assert idle_reads <= elapsed / FEED_INTERVAL + 1, (idle_reads, elapsed)
    # and the change reached every watcher
    assert len({first["version"] for first in firsts}) == 1
    assert firsts[0]["version"] < version
    assert [push["version"] for push in pushed] == [version] * WATCHERS
