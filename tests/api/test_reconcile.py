"""`glowpath reconcile`: the read model agrees with the workflows, and drift is reported."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment

from domain.store.models import Journey
from schema.ids import decode_id
from server.reconcile import find_drift
from tests.api.flow import JourneyDriver


async def test_drift_is_reported_for_the_journey_that_differs(
    driver: JourneyDriver, temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey moved through a few steps by the API
    journey = await driver.drive_to("EXPERT_REVIEW")
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None

    # Then the read model and the workflow agree about it
    drift = await find_drift(temporal_env.client)
    assert [d for d in drift if d.journey_id == raw_id] == []

    # When its read-model row is changed behind the workflow's back
    await Journey.filter(id=raw_id).update(stage="PAYMENT")
    try:
        # Then exactly that difference is reported
        drift = await find_drift(temporal_env.client)
        assert [d.problem for d in drift if d.journey_id == raw_id] == [
            "stage: read model 'PAYMENT', workflow 'EXPERT_REVIEW'"
        ]
    finally:
        await Journey.filter(id=raw_id).update(stage="EXPERT_REVIEW")
