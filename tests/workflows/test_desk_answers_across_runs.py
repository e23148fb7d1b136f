"""A staff change sent again after the desk continued as new is answered as the first time and
changes nothing (`workflows.desk_answers`).

An API process whose answer was lost sends the change again with the same update id when the
caller retries with the same key. Temporal answers a repeated id only within the run that took it,
and a desk continues as new every midnight: before, the next run judged the change afresh, so a
correction moved the turns twice and an acceptance was refused as already made.
"""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.errors import DomainError
from domain.journey.facts import Actor
from domain.roles import Role
from domain.triage.commands import AcceptCommand, OverrideCommand, OverrideKind
from tests.support import SUPERVISOR
from tests.workflows.desk_recorder import past_midnight
from tests.workflows.test_triage_desk import arrive, open_desk
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway


async def _past_midnight(env: WorkflowEnvironment, gateway: TriageGateway, clinic: str) -> None:
    """Skips the clock past the desk's next midnight and waits for its next run to answer."""
    handle = gateway.client.get_workflow_handle(desk_workflow_id(clinic))
    first_run = (await handle.describe()).run_id
    await past_midnight(env)
    await gateway.desk(clinic)  # a query waits for the run that answers it
    assert (await handle.describe()).run_id != first_run


async def test_a_correction_sent_again_in_the_next_run_is_answered_once(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a correction of A's turns, answered, and the desk continued as new at midnight
    gateway, clinic = await open_desk(client, "A", "B")
    correction = OverrideCommand(
        SUPERVISOR, OverrideKind.CORRECT, "note-fix", consultant_id="A", amends_seq=1, turns_delta=1
    )
    update_id = f"supervisor:{uuid.uuid4()}"
    first = await gateway.override(clinic, correction, update_id)
    await _past_midnight(env, gateway, clinic)
    before = await gateway.desk(clinic)

    # When the API asks whether the desk took it (a retry whose answer was lost), then sends it
    # again with the same id
    took, took_another = (
        await gateway.update_ran(clinic, update_id),
        await gateway.update_ran(clinic, f"supervisor:{uuid.uuid4()}"),
    )
    again = await gateway.override(clinic, correction, update_id)

    # Then the new run says the run before took it (and no other id), the first answer comes
    # with the desk as it now stands, and nothing moved
    assert (took, took_another) == (True, False)
    assert (again.version, again.entries) == (first.version, first.entries)
    assert again.state is not None and again.state.day == before.day
    after = await gateway.desk(clinic)
    assert after.seq == before.seq
    assert after.seats["A"].turns == before.seats["A"].turns == 0


async def test_an_acceptance_sent_again_in_the_next_run_is_not_refused(
    client: Client, env: WorkflowEnvironment
) -> None:
    gateway, clinic = await open_desk(client, "A", "B")
    journey_id = f"j-{uuid.uuid4().hex[:8]}"
    assert await arrive(gateway, clinic, journey_id) == "A"
    update_id = f"consultant-a:{uuid.uuid4()}"
    acceptance = AcceptCommand(Actor("A", Role.CONSULTANT), journey_id)
    first = await gateway.accept(clinic, acceptance, update_id)
    await _past_midnight(env, gateway, clinic)

    # When the acceptance is sent again with the same id, it hears its first answer
    again = await gateway.accept(clinic, acceptance, update_id)

    assert (again.version, again.entries) == (first.version, first.entries)
    # While a new acceptance (another id) is judged by the desk as it stands
    with pytest.raises(DomainError):
        await gateway.accept(clinic, acceptance, str(uuid.uuid4()))
