"""The triage desk workflow on the time-skipping test server: the 10-minute rule as a durable
timer, validators that refuse without a trace, and the read model written with each answer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.errors import NotAuthorized
from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.store.triage_models import OwnershipTransfer, RevenueCredit, TriageEntry
from domain.store.triage_projection import current_owner
from domain.triage.commands import (
    AcceptCommand,
    ArriveCommand,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
)
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from domain.triage.revenue import CreditRule
from tests.support import DESK, SUPERVISOR
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.desk_recorder import to_midnight
from workflows.triage_client import TriageGateway

TEN_MINUTES_AND_A_BIT = 10 * 60 + 30
Read = TypeVar("Read")


async def settled(
    read: Callable[[], Awaitable[Read]],
    done: Callable[[Read], bool],
    failing: str,
    tries: int = 100,
) -> Read:
    """What `read` answers once `done` says so: the read model follows the desk's answers by a
    moment (a regular activity writes it). Fails with `failing` after `tries` reads."""
    for _ in range(tries):
        answer = await read()
        if done(answer):
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(failing)


async def logged(clinic: str, kind: str, count: int = 1) -> list[TriageEntry]:
    """The desk's log entries of `kind`, once it holds `count` of them."""
    return await settled(
        lambda: TriageEntry.filter(clinic_id=clinic, kind=kind).order_by("seq"),
        lambda rows: len(rows) >= count,
        f"no {kind} entry in the log of {clinic}",
    )


# What a desk scenario needs before the desk's next midnight (skipped to free of charge).
CLEAR_OF_MIDNIGHT = timedelta(hours=2)


async def clear_of_midnight(env: WorkflowEnvironment) -> None:
    """The test server's clock is shared by the whole session and has been skipped ahead by
    other tests; a desk opens a new day at local midnight (statuses reset), so a scenario must
    not straddle it. The longest waits about an hour (a client left waiting by two consultants,
    then the day going on): with 30 minutes clear, it failed when its clock started late at
    night."""
    left = await to_midnight(env)
    if left < CLEAR_OF_MIDNIGHT:
        await env.sleep(left + timedelta(minutes=1))


async def open_desk(client: Client, *specs: str) -> tuple[TriageGateway, str]:
    gateway = TriageGateway(client, TASK_QUEUE)
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    for spec in specs:
        name, _, status = spec.partition(":")
        command = SeatCommand(DESK, name, "note-roster", on_duty=True)
        await gateway.change_seat(clinic, command, str(uuid.uuid4()))
        if status:
            busy = SeatCommand(DESK, name, "note-busy", status=SeatStatus(status.upper()))
            await gateway.change_seat(clinic, busy, str(uuid.uuid4()))
    return gateway, clinic


async def arrive(gateway: TriageGateway, clinic: str, journey_id: str) -> str | None:
    arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
    reply = await gateway.arrive(clinic, ArriveCommand(DESK, arrival), str(uuid.uuid4()))
    return reply.consultant_id


async def let_wait_by_a(client: Client, env: WorkflowEnvironment) -> tuple[TriageGateway, str]:
    """A desk with A, B and C on duty, clear of midnight, whose first client j1 went to A and
    waited ten minutes and a bit since: the 10-minute rule has run."""
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B", "C")
    assert await arrive(gateway, clinic, "j1") == "A"
    await env.sleep(TEN_MINUTES_AND_A_BIT)
    return gateway, clinic


async def test_not_accepted_in_ten_minutes_goes_to_the_next_free_and_the_turn_comes_back(
    client: Client, env: WorkflowEnvironment
) -> None:
    gateway, clinic = await let_wait_by_a(client, env)

    desk = await gateway.desk(clinic)
    assert desk.assignments["j1"].consultant_id == "B"
    assert {c: s.turns for c, s in desk.seats.items()} == {"A": 0, "B": 1, "C": 0}
    assert [(m.creditor_id, m.from_turn_of) for m in desk.makeups] == [("A", "B")]
    [timed_out] = await logged(clinic, "TIMED_OUT")
    assert (timed_out.consultant_id, timed_out.journey_id) == ("B", "j1")
    assert await current_owner("client-j1") == "B"
    # B is next in the rotation, and B's turn goes back to A; then C.
    assert await arrive(gateway, clinic, "j2") == "A"
    assert await arrive(gateway, clinic, "j3") == "C"
    desk = await gateway.desk(clinic)
    assert {c: s.turns for c, s in desk.seats.items()} == {"A": 1, "B": 1, "C": 1}
    assert desk.makeups == []


async def test_accepted_in_time_stays(client: Client, env: WorkflowEnvironment) -> None:
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B")
    await arrive(gateway, clinic, "k1")
    await env.sleep(5 * 60)
    await gateway.accept(clinic, AcceptCommand(Actor("A", Role.CONSULTANT), "k1"), "accept-k1")

    await env.sleep(TEN_MINUTES_AND_A_BIT)

    desk = await gateway.desk(clinic)
    assert desk.assignments["k1"].consultant_id == "A"
    assert desk.assignments["k1"].accepted
    kinds = (
        await TriageEntry.filter(clinic_id=clinic).order_by("seq").values_list("kind", flat=True)
    )
    assert kinds[-2:] == ["ASSIGNED", "ACCEPTED"]


async def test_nobody_free_after_ten_minutes_alerts_the_supervisor(
    client: Client, env: WorkflowEnvironment
) -> None:
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B:busy")
    await arrive(gateway, clinic, "m1")

    await env.sleep(TEN_MINUTES_AND_A_BIT)

    desk = await gateway.desk(clinic)
    assert desk.assignments["m1"].consultant_id == "A"
    assert [a.journey_id for a in desk.alerts] == ["m1"]
    [alert] = await logged(clinic, "SUPERVISOR_ALERT")
    assert "supervisor called" in alert.reason


async def test_another_consultant_cannot_accept_and_nothing_is_written(client: Client) -> None:
    gateway, clinic = await open_desk(client, "A", "B")
    await arrive(gateway, clinic, "n1")
    await logged(clinic, "ASSIGNED")
    before = await TriageEntry.filter(clinic_id=clinic).count()

    with pytest.raises(NotAuthorized):
        await gateway.accept(clinic, AcceptCommand(Actor("B", Role.CONSULTANT), "n1"), "x")

    assert await TriageEntry.filter(clinic_id=clinic).count() == before
    assert not (await gateway.desk(clinic)).assignments["n1"].accepted


async def test_client_asks_to_change_revenue_and_ownership_follow(client: Client) -> None:
    gateway, clinic = await open_desk(client, "A", "B")
    await arrive(gateway, clinic, "p1")
    command = OverrideCommand(
        SUPERVISOR,
        OverrideKind.REASSIGN,
        "note-client-asked",
        journey_id="p1",
        consultant_id="B",
        rule=CreditRule.CLIENT_REQUEST,
    )

    await gateway.override(clinic, command, "reassign-p1")
    await logged(clinic, "REASSIGNED")

    credits = await RevenueCredit.filter(journey_id="p1").order_by("id")
    assert [(c.consultant_id, c.percent, c.rule) for c in credits] == [
        ("A", 100, "ASSIGNED"),
        ("B", 100, "CLIENT_REQUEST"),
    ]
    transfers = await OwnershipTransfer.filter(client_id="client-p1").order_by("id")
    assert [(t.from_consultant_id, t.consultant_id) for t in transfers] == [(None, "A"), ("A", "B")]
