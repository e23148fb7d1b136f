"""The desk's clock hands a client over once: the consultant the 10-minute rule handed them to
letting them wait too calls the supervisor, and the client does not go round the rotation."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.store.triage_models import TriageEntry
from domain.triage.commands import OverrideCommand, OverrideKind
from tests.support import SUPERVISOR
from tests.workflows.test_triage_desk import (
    TEN_MINUTES_AND_A_BIT,
    let_wait_by_a,
    logged,
    settled,
)
from workflows.triage_client import TriageGateway


async def _log_up_to_date(gateway: TriageGateway, clinic: str) -> list[str]:
    """The log's kinds once it holds every entry the desk has made (it follows by a moment)."""
    seq = (await gateway.desk(clinic)).seq
    await settled(
        lambda: TriageEntry.filter(clinic_id=clinic, seq=seq).exists(),
        bool,
        f"the log of {clinic} never reached entry {seq}",
    )
    rows = await TriageEntry.filter(clinic_id=clinic).order_by("seq")
    return [row.kind for row in rows]


async def test_a_client_handed_over_and_left_waiting_again_calls_the_supervisor_once(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given A let j1 wait ten minutes and the desk handed the client to B
    gateway, clinic = await let_wait_by_a(client, env)
    await logged(clinic, "TIMED_OUT")

    # When B lets the client wait ten minutes too, and the day goes on
    await env.sleep(TEN_MINUTES_AND_A_BIT)
    [alert] = await logged(clinic, "SUPERVISOR_ALERT")
    await env.sleep(3 * TEN_MINUTES_AND_A_BIT)

    # Then the supervisor was called once, and the hand-over's turns and give-back stand
    assert (alert.consultant_id, alert.journey_id) == ("B", "j1")
    kinds = await _log_up_to_date(gateway, clinic)
    assert kinds[-3:] == ["ASSIGNED", "TIMED_OUT", "SUPERVISOR_ALERT"]
    desk = await gateway.desk(clinic)
    assert [a.journey_id for a in desk.alerts] == ["j1"]
    waiting = desk.assignments["j1"]
    assert (waiting.consultant_id, waiting.accept_by) == ("B", None)
    assert {c: s.turns for c, s in desk.seats.items()} == {"A": 0, "B": 1, "C": 0}
    assert [(m.creditor_id, m.from_turn_of) for m in desk.makeups] == [("A", "B")]


async def test_a_leavers_client_goes_past_the_consultant_who_let_them_wait(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given A let j1 wait ten minutes and the desk handed the client to B
    gateway, clinic = await let_wait_by_a(client, env)
    await logged(clinic, "TIMED_OUT")

    # When B leaves the clinic
    left = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "n", consultant_id="B")
    await gateway.override(clinic, left, "b-left")

    # Then the client goes to C, not back to A
    desk = await gateway.desk(clinic)
    assert desk.assignments["j1"].consultant_id == "C"
    handed = await logged(clinic, "TIMED_OUT", 2)
    assert [(e.consultant_id, e.details["from_consultant_id"]) for e in handed] == [
        ("B", "A"),
        ("C", "B"),
    ]
