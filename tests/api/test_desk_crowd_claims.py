"""An `autoAssign` refused because its desk has too many arrivals waiting at this process
(`workflows.arrival_rounds`) answers `Unavailable` having claimed no key and told the desk
nothing; its retry with the same key, once the desk has room, is decided once, as a first
attempt is.

Before, it claimed its key and only then met the bound, when its arrival was queued: the key
stood claimed and never settled, though the answer said nothing was done."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from temporalio.client import Client as TemporalClient
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.models import Clinic, IdempotencyKey
from domain.store.triage_models import TriageEntry
from schema.ids import decode_id
from tests.api.conftest import TASK_QUEUE
from tests.api.flow import new_key
from tests.api.harness import Api
from tests.api.test_bounded_claims import DESK_REPLAY
from tests.api.test_triage_api import _client_at_triage
from tests.api.test_unanswered_desk import AUTO_ASSIGN
from workflows.arrival_rounds import MAX_WAITING
from workflows.triage_client import TriageGateway


@contextmanager
def desk_crowded(temporal: TemporalClient, clinic_id: str, timezone: str) -> Iterator[None]:
    """As many places among the arrivals waiting for the clinic's desk as this process holds,
    held until the block ends (the API under test runs in this process, on this client)."""
    gateway = TriageGateway(temporal, TASK_QUEUE, timezone)
    with ExitStack() as held:
        for _ in range(MAX_WAITING):
            assert held.enter_context(gateway.arrival_place(clinic_id)) is not None
        yield


async def test_auto_assign_at_a_crowded_desk_claims_nothing_and_its_retry_is_decided_once(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    # Given a client at triage, and as many arrivals waiting for the clinic's desk as it takes
    clinic_id, staff, _, journey_id = await _client_at_triage(api)
    clinic = await Clinic.get(id=clinic_id)
    desk = staff[Role.FRONT_DESK].token
    key = new_key()
    input = {"journeyId": journey_id, "idempotencyKey": key}
    with desk_crowded(temporal_env.client, clinic_id, clinic.timezone):
        # When the front desk asks the desk to assign the client
        refused = (await api.run(AUTO_ASSIGN, desk, input=input))["autoAssign"]
    # Then it is told to come back, its key unclaimed, the desk told nothing of the client
    assert refused["__typename"] == "Unavailable", refused
    assert not await IdempotencyKey.exists(key=key)
    assert "nothing was done" in refused["message"], refused
    raw_journey = decode_id(journey_id, "Journey")
    assert not await TriageEntry.exists(clinic_id=clinic_id, journey_id=raw_journey)
    # And the same request, once the desk has room, is decided by the desk as a first one,
    # and the journey is assigned once
    again = (await api.run(AUTO_ASSIGN, desk, input=input))["autoAssign"]
    assert again["__typename"] == "AutoAssignPayload", again
    assert again["decision"]["reason"] != DESK_REPLAY, again
    history = [entry["action"] for entry in again["journey"]["history"]]
    assert history.count("assign_consultant") == 1
    assert await IdempotencyKey.filter(key=key).count() == 1
