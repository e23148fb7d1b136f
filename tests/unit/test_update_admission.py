"""Admission for one workflow's updates (`workflows.update_admission`): callers past the slots
wait their turn; a refusal for now is sent again within a budget, anything else at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import pytest
from temporalio.service import RPCError, RPCStatusCode

from server.settings import Settings, SettingsError
from workflows import client as journey_client
from workflows.backoff import Backoff
from workflows.client import JourneyUnavailable
from workflows.update_admission import DEFAULT_JOURNEY_IN_FLIGHT, UpdateSlots, retry_while_refused

QUICK = Backoff(first=0.001, ceiling=0.002)


async def test_no_more_than_the_slots_go_at_once_and_every_caller_gets_its_turn() -> None:
    slots = UpdateSlots(in_flight=3)
    going = 0
    most = 0
    release = asyncio.Event()

    async def update(n: int) -> int:
        nonlocal going, most
        async with slots.turn("journey-1"):
            going += 1
            most = max(most, going)
            await release.wait()
            going -= 1
        return n

    callers = [asyncio.create_task(update(n)) for n in range(20)]
    async with asyncio.timeout(5):  # the first three are in; the rest wait at the slots
        while going < 3:
            await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert going == 3
    release.set()
    assert await asyncio.wait_for(asyncio.gather(*callers), 10) == list(range(20))
    assert most == 3


async def test_other_workflows_do_not_wait_and_idle_workflows_are_forgotten() -> None:
    slots = UpdateSlots(in_flight=1)
    async with slots.turn("journey-1"):
        # One journey's full slots do not hold another journey's update back
        async with asyncio.timeout(5):
            async with slots.turn("journey-2"):
                assert slots.workflows == 2
    assert slots.workflows == 0


async def test_a_cancelled_waiter_frees_its_place() -> None:
    slots = UpdateSlots(in_flight=1)
    async with slots.turn("journey-1"):
        waiter = asyncio.create_task(_enter(slots))
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    assert slots.workflows == 0


async def _enter(slots: UpdateSlots) -> None:
    async with slots.turn("journey-1"):
        pass


def _refusing(times: int, status: RPCStatusCode) -> tuple[list[int], Callable[[], Awaitable[str]]]:
    calls: list[int] = []

    async def send() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise RPCError("no room", status, b"")
        return "answered"

    return calls, send


async def test_a_refusal_for_now_is_sent_again_until_answered() -> None:
    calls, send = _refusing(3, RPCStatusCode.RESOURCE_EXHAUSTED)
    answer = await retry_while_refused(send, "journey-1", budget=10, backoff=QUICK)
    assert (answer, len(calls)) == ("answered", 4)


async def test_other_errors_and_a_spent_budget_reach_the_caller() -> None:
    calls, send = _refusing(1, RPCStatusCode.INVALID_ARGUMENT)
    with pytest.raises(RPCError):
        await retry_while_refused(send, "journey-1", budget=10, backoff=QUICK)
    assert len(calls) == 1
    calls, send = _refusing(100_000_000, RPCStatusCode.RESOURCE_EXHAUSTED)
    with pytest.raises(RPCError):
        await retry_while_refused(send, "journey-1", budget=0.5, backoff=QUICK)
    assert len(calls) >= 2  # sent again while the budget lasted, then given up


def test_the_journeys_slots_are_a_setting_from_one_to_eight() -> None:
    variable = "GLOWPATH_JOURNEY_UPDATES_IN_FLIGHT"
    assert Settings.from_env({}).journey_updates_in_flight == DEFAULT_JOURNEY_IN_FLIGHT == 2
    assert Settings.from_env({variable: "1"}).journey_updates_in_flight == 1
    for out_of_range in ("0", "9", "many"):
        with pytest.raises(SettingsError, match=variable):
            Settings.from_env({variable: out_of_range})


async def test_a_step_that_gets_no_turn_in_time_is_unavailable_and_frees_its_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(journey_client, "JOURNEY_ROOM_BUDGET_SECONDS", 0.05)
    slots = UpdateSlots(in_flight=1)
    async with slots.turn("journey-1"):  # another step holds the only turn
        async with contextlib.AsyncExitStack() as turn:
            with pytest.raises(JourneyUnavailable, match="no room for the step in time"):
                await journey_client.wait_for_turn(turn, slots, "journey-1")
    assert slots.workflows == 0
    # And a step that gets its turn holds it until its stack closes
    async with contextlib.AsyncExitStack() as turn:
        waited = await journey_client.wait_for_turn(turn, slots, "journey-1")
        assert 0 <= waited < 0.05 and slots.workflows == 1
    assert slots.workflows == 0
