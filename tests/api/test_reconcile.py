"""`glowpath reconcile`: the read model agrees with the workflows, and drift is reported."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from temporalio.testing import WorkflowEnvironment
from tortoise.expressions import F

from domain.store.models import Journey, JourneyStageCount
from domain.store.stage_counts import check_counters
from schema.ids import decode_id
from server.reconcile import find_drift, reconcile_with
from tests.api.flow import JourneyDriver


async def test_drift_is_reported_for_the_journey_that_differs(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey moved through a few steps by the API, in a clinic of its own (checked
    # alone: the suite's other tests leave many journeys running in theirs)
    driver = await fresh_clinic()
    journey = await driver.drive_to("EXPERT_REVIEW")
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None
    clinic_id = (await Journey.get(id=raw_id)).clinic_id

    # Then the read model and the workflow agree about it
    assert await find_drift(temporal_env.client, clinic_id) == []

    # When its read-model row is changed behind the workflow's back
    await Journey.filter(id=raw_id).update(stage="PAYMENT")
    try:
        # Then exactly that difference is reported
        drift = await find_drift(temporal_env.client, clinic_id)
        assert [(d.journey_id, d.problem) for d in drift] == [
            (raw_id, "stage: read model 'PAYMENT', workflow 'EXPERT_REVIEW'")
        ]
    finally:
        await Journey.filter(id=raw_id).update(stage="EXPERT_REVIEW")


async def test_a_tampered_stage_counter_is_reported_and_repaired(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey waiting for expert review in a clinic of its own, and that clinic's
    # counter of the stage moved by hand
    driver = await fresh_clinic()
    journey = await driver.drive_to("EXPERT_REVIEW")
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None
    row = await Journey.get(id=raw_id)
    counter = JourneyStageCount.filter(clinic_id=row.clinic_id, stage="EXPERT_REVIEW")
    await counter.update(active=F("active") + 5)

    # When reconcile runs on that clinic
    found = await reconcile_with(temporal_env.client, row.clinic_id)

    # Then it names that counter, five over, as drift, and puts it back to the rows' count
    mine = [c for c in found.counters if c.clinic_id == row.clinic_id]
    assert [(c.stage, c.kept[0] - c.counted[0], c.kept[1] - c.counted[1]) for c in mine] == [
        ("EXPERT_REVIEW", 5, 0)
    ]
    assert [
        d.problem.split(" ")[0] for d in found.drift if d.journey_id.endswith(row.clinic_id)
    ] == ["EXPERT_REVIEW"]
    assert await check_counters(row.clinic_id, repair=False) == []
