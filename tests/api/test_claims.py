"""The one-active-journey claim after a start whose answer was lost.

The API under test reaches Temporal through a TCP relay the test can cut, and serves a task
queue of its own, so the test decides when the start's answer is lost and when a worker runs.
A second API on the same queue, connected directly, plays the desk that tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RetryConfig
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.drafts import attached_record, unsettled_drafts
from domain.store.models import ActiveJourneyClaim, ActiveRecheckClaim, Journey, JourneyRecord
from schema.ids import decode_id
from server.settle import MISSING, Outcome, repair_claims, settle_drafts
from tests.api import aftercare_documents, documents
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.harness import Staff, eventually, running_api
from tests.api.outage import TcpRelay
from tests.support import journey_start
from workflows.journey import JourneyWorkflow
from workflows.worker import build_worker

ANSWER_TIMEOUT = timedelta(seconds=30)


@dataclass
class Desks:
    relayed: JourneyDriver  # its Temporal connection is the one the test cuts
    direct: JourneyDriver
    relay: TcpRelay
    task_queue: str


@pytest.fixture
async def desks(
    database: str,
    temporal_address: str,
    temporal_env: WorkflowEnvironment,
    staff: dict[Role, Staff],
) -> AsyncIterator[Desks]:
    host, _, port = temporal_address.rpartition(":")
    relay = TcpRelay(host, int(port))
    await relay.start()
    # Few retries: once the relay is cut the start fails within a second, as a timeout would.
    relayed_temporal = await Client.connect(
        f"127.0.0.1:{relay.port}",
        retry_config=RetryConfig(max_retries=1, max_elapsed_time_millis=1000),
    )
    task_queue = f"claims-{uuid.uuid4().hex[:8]}"
    settings = api_settings(database, temporal_address, task_queue)
    try:
        async with running_api(settings, relayed_temporal) as relayed:
            async with running_api(settings, temporal_env.client) as direct:
                yield Desks(
                    JourneyDriver(relayed, staff), JourneyDriver(direct, staff), relay, task_queue
                )
    finally:
        await relay.stop()


async def _start(driver: JourneyDriver, client_id: str, **extra: Any) -> dict[str, Any]:
    return await driver.act(documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, **extra)


async def _status(client: Client, journey_id: str) -> WorkflowExecutionStatus | None:
    try:
        return (await client.get_workflow_handle(journey_id).describe()).status
    except Exception:
        return None


async def test_a_start_whose_answer_was_lost_keeps_its_claim_while_the_journey_runs(
    desks: Desks, temporal_env: WorkflowEnvironment
) -> None:
    temporal = temporal_env.client
    client_id = await desks.relayed.register_client("Lost Answer")
    raw_client = decode_id(client_id, "Client")
    key = new_key()
    # Given a start that reaches Temporal (no worker yet, so it waits for the journey to open)
    starting = asyncio.create_task(_start(desks.relayed, client_id, idempotencyKey=key))
    claim = await eventually(
        lambda: ActiveJourneyClaim.get_or_none(client_id=raw_client),
        lambda found: found is not None,
        timeout=10,
        what="the start's claim",
    )
    journey_id = claim.journey_id
    await eventually(
        lambda: _status(temporal, journey_id),
        lambda status: status is WorkflowExecutionStatus.RUNNING,
        timeout=10,
        what="the journey's workflow",
    )
    # When the connection drops before the answer comes back
    await desks.relay.stop()
    lost = await starting
    # Then the desk hears it was not answered (typed: send it again with the same key)
    assert (lost["__typename"], lost["code"]) == ("Unavailable", "UNAVAILABLE"), lost

    # And the claim and the start's draft are kept: the journey may well be running
    assert (await ActiveJourneyClaim.get(client_id=raw_client)).journey_id == journey_id
    (draft_id,) = (await unsettled_drafts([journey_id]))[journey_id]
    # And however old the claim, another start for the client is refused
    old = datetime.now(UTC) - timedelta(hours=1)
    await ActiveJourneyClaim.filter(client_id=raw_client).update(claimed_at=old)
    other = await _start(desks.direct, client_id)
    assert other["__typename"] == "ValidationFailed"
    assert other["problems"] == [
        {"field": "clientId", "message": "the client already has an active journey"}
    ]
    # And reconciliation keeps it, since Temporal says the workflow exists
    repairs = await repair_claims(temporal, [raw_client])
    assert [(r.journey_id, r.outcome) for r in repairs] == [(journey_id, Outcome.KEPT)]
    assert await ActiveJourneyClaim.exists(client_id=raw_client, journey_id=journey_id)

    # When the desk retries with the key before the journey has opened, and a worker then
    # takes the journey's task queue
    retrying = asyncio.create_task(_start(desks.direct, client_id, idempotencyKey=key))
    async with build_worker(temporal, desks.task_queue):
        again = await retrying
        # Then the retry answers the one journey, opened with the start's one draft: every
        # attempt of the start names the same record (each wrote a draft of its own, which
        # reconciliation then had to void)
        assert again["__typename"] == "JourneyPayload", again
        assert decode_id(again["journey"]["id"], "Journey") == journey_id
        attached = await attached_record(journey_id, "reception")
        assert attached is not None and attached.id == draft_id
        settled = await settle_drafts(temporal, [journey_id], timeout=ANSWER_TIMEOUT)
        await end_journey(desks.direct, again["journey"]["id"])
    assert settled == []
    assert await JourneyRecord.filter(journey_id=journey_id, kind="reception").count() == 1
    assert await Journey.filter(client_id=raw_client).count() == 1


async def test_a_start_that_never_reached_temporal_is_released_when_temporal_says_so(
    desks: Desks, temporal_env: WorkflowEnvironment
) -> None:
    temporal = temporal_env.client
    client_id = await desks.relayed.register_client("Never Started")
    raw_client = decode_id(client_id, "Client")
    # Given a start made while Temporal cannot be reached
    await desks.relay.stop()
    key = new_key()
    unreached = await _start(desks.relayed, client_id, idempotencyKey=key)
    assert unreached["__typename"] == "Unavailable", unreached
    claim = await ActiveJourneyClaim.get(client_id=raw_client)
    (draft_id,) = (await unsettled_drafts([claim.journey_id]))[claim.journey_id]
    # Then the claim holds until Temporal has been asked
    refused = await _start(desks.direct, client_id)
    assert refused["__typename"] == "ValidationFailed"

    # When reconciliation asks, and Temporal has never heard of that journey
    repairs = await repair_claims(temporal, [raw_client])
    drafts = await settle_drafts(temporal, [claim.journey_id])

    # Then the claim is released and the start's draft voided, both for that reason
    assert [(r.journey_id, r.outcome, r.why) for r in repairs] == [
        (claim.journey_id, Outcome.RELEASED, MISSING)
    ]
    assert not await ActiveJourneyClaim.exists(client_id=raw_client, journey_id=claim.journey_id)
    assert [(d.subject, d.outcome, d.why) for d in drafts] == [
        (f"draft {draft_id}", Outcome.VOID, MISSING)
    ]
    # And the client's journey can start now: the start retried with its key opens the journey
    # it named, with a reception record of its own (the voided one stays void)
    async with build_worker(temporal, desks.task_queue):
        started = await _start(desks.direct, client_id, idempotencyKey=key)
        assert started["__typename"] == "JourneyPayload", started
        await end_journey(desks.direct, started["journey"]["id"])
    assert decode_id(started["journey"]["id"], "Journey") == claim.journey_id
    attached = await attached_record(claim.journey_id, "reception")
    assert attached is not None and attached.id != draft_id


async def test_a_claim_whose_journey_closed_before_it_opened_is_released(
    temporal_env: WorkflowEnvironment,
) -> None:
    temporal = temporal_env.client
    # Given a claim whose journey's workflow was terminated before any worker opened it
    start = journey_start(client_id=f"client-{uuid.uuid4()}")
    handle = await temporal.start_workflow(
        JourneyWorkflow.run, start, id=start.journey_id, task_queue=f"none-{uuid.uuid4().hex}"
    )
    await handle.terminate("opened by mistake")
    await ActiveJourneyClaim.create(
        client_id=start.client_id, journey_id=start.journey_id, claimed_at=datetime.now(UTC)
    )
    # When reconciliation asks Temporal about it
    repairs = await repair_claims(temporal, [start.client_id])
    # Then the claim is released: a closed workflow never runs again
    assert [(r.journey_id, r.outcome, r.why) for r in repairs] == [
        (start.journey_id, Outcome.RELEASED, "the journey's workflow has closed (TERMINATED)")
    ]
    assert not await ActiveJourneyClaim.exists(client_id=start.client_id)


async def test_a_recheck_claim_whose_recheck_never_started_is_released(
    temporal_env: WorkflowEnvironment,
) -> None:
    # Given a client's recheck claim whose recheck Temporal never heard of (its start was lost)
    client_id, journey_id = f"client-{uuid.uuid4()}", f"recheck-{uuid.uuid4()}"
    await ActiveRecheckClaim.create(
        client_id=client_id, journey_id=journey_id, claimed_at=datetime.now(UTC)
    )
    # When reconciliation asks Temporal about it
    repairs = await repair_claims(temporal_env.client, [client_id])
    # Then the claim is released, so the client's next complication or claim opens a recheck
    assert [(r.journey_id, r.outcome) for r in repairs] == [(journey_id, Outcome.RELEASED)]
    assert not await ActiveRecheckClaim.exists(client_id=client_id)


async def test_reception_waits_for_a_recheck_that_has_started_but_not_yet_opened(
    desks: Desks, driver: JourneyDriver, temporal_env: WorkflowEnvironment
) -> None:
    temporal = temporal_env.client
    # Given a treated client making their after-care calls
    client_id = await driver.register_client("Recheck On Its Way")
    raw_client = decode_id(client_id, "Client")
    treated = str((await driver.drive_to("FOLLOW_UP", await driver.start(client_id)))["id"])
    await driver.wait_until_due(treated, 1)
    # And a complication on a call, whose recheck Temporal runs but no worker has opened yet
    # (a worker behind or restarting: the recheck has no read-model row)
    report = {
        "journeyId": treated,
        "followUpId": "fu-1",
        "note": "swelling",
        "idempotencyKey": new_key(),
    }
    reporting = asyncio.create_task(
        desks.direct.api.run(
            aftercare_documents.REPORT_COMPLICATION,
            desks.direct.token(Role.FOLLOW_UP_STAFF),
            input=report,
        )
    )
    claim = await eventually(
        lambda: ActiveRecheckClaim.get_or_none(client_id=raw_client),
        lambda found: found is not None,
        timeout=10,
        what="the recheck's claim",
    )
    await eventually(
        lambda: _status(temporal, claim.journey_id),
        lambda status: status is WorkflowExecutionStatus.RUNNING,
        timeout=10,
        what="the recheck's workflow",
    )
    assert not await Journey.exists(id=claim.journey_id)

    # When the front desk starts another journey for the client meanwhile
    other = await _start(driver, client_id)

    # Then reception refuses it, as it does once the recheck has opened
    assert other["__typename"] == "ValidationFailed", other
    assert [p["field"] for p in other["problems"]] == ["clientId"]
    async with build_worker(temporal, desks.task_queue):
        # (the report's wait for its recheck may have run out first: its retry converges)
        with contextlib.suppress(TransportQueryError):
            await reporting
        token = desks.direct.token(Role.FOLLOW_UP_STAFF)
        again = await desks.direct.api.run(
            aftercare_documents.REPORT_COMPLICATION, token, input=report
        )
        recheck = again["reportComplication"]["recheckJourney"]
        assert decode_id(recheck["id"], "Journey") == claim.journey_id, again
        await end_journey(desks.direct, recheck["id"])
    assert await Journey.filter(client_id=raw_client).count() == 2
