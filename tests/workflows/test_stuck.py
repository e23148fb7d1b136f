"""Stage SLAs on the time-skipping server: a journey left in consent becomes stuck, then not."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import ConsentKind, ExpertDecision, Stage
from domain.journey.table import Action
from domain.store.models import Journey, JourneyEvent
from tests.support import CONSULTANT, DESK, EXPERT, NURSE, journey_start, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import begin
from workflows import search_attributes
from workflows.journey import JourneyWorkflow


async def _journey_at_consent(client: Client, overrides: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    start = journey_start()
    start.sla_overrides = overrides or {}
    # Acting before the opening (the check-in) is through would race it: wait, as the API does.
    handle = await begin(client, start, TASK_QUEUE)
    steps = [
        request(Action.ASSIGN_CONSULTANT, DESK, consultant_id=CONSULTANT.user_id),
        request(Action.RECORD_CONSULTATION, CONSULTANT),
        request(Action.REQUEST_EXPERT_REVIEW, CONSULTANT, expert_id=EXPERT.user_id),
        request(
            Action.APPROVE_PLAN,
            EXPERT,
            decision=ExpertDecision.APPROVE,
            plan_total_minor=100_000,
            currency="EUR",
        ),
    ]
    for step in steps:
        await handle.execute_update(JourneyWorkflow.act, step)
    return start, handle


async def test_consent_left_past_its_sla_is_stuck_until_it_moves(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey waiting in consent, whose clinic allows 2 days there
    start, handle = await _journey_at_consent(client, {"CONSENT": 2 * 86400})
    row = await Journey.get(id=start.journey_id)
    assert (row.stage, row.stuck) == ("CONSENT", False)
    assert row.sla_deadline is not None

    # When a day passes nothing happens; when the second day is over it is stuck
    await env.sleep(timedelta(days=1))
    assert (await Journey.get(id=start.journey_id)).stuck is False
    await env.sleep(timedelta(days=1, minutes=1))
    row = await Journey.get(id=start.journey_id)
    assert row.stuck is True
    assert row.stuck_reason == "CONSENT for more than 2 day(s)"
    assert row.stuck_reason_code == "STAGE_OVERDUE"  # the rule's code, kept beside its words
    stuck_events = await JourneyEvent.filter(journey_id=start.journey_id, action="mark_stuck")
    assert [(e.actor_role, e.from_stage, e.to_stage) for e in stuck_events] == [
        ("SYSTEM", "CONSENT", "CONSENT")
    ]
    described = await handle.describe()
    assert described.typed_search_attributes.get(search_attributes.STUCK) is True
    assert described.typed_search_attributes.get(search_attributes.STAGE) == "CONSENT"

    # When the consent is signed the journey leaves the stage and is no longer stuck
    await handle.execute_update(
        JourneyWorkflow.act, request(Action.SIGN_CONSENT, NURSE, consent_kind=ConsentKind.PROCEDURE)
    )
    row = await Journey.get(id=start.journey_id)
    assert (row.stage, row.stuck, row.stuck_reason) == ("PAYMENT", False, None)
    assert row.stuck_reason_code is None
    described = await handle.describe()
    assert described.typed_search_attributes.get(search_attributes.STUCK) is False
    assert await JourneyEvent.filter(journey_id=start.journey_id, action="mark_stuck").count() == 1


async def test_default_triage_sla_is_ten_minutes(client: Client, env: WorkflowEnvironment) -> None:
    start = journey_start()
    await client.start_workflow(
        JourneyWorkflow.run, start, id=start.journey_id, task_queue=TASK_QUEUE
    )
    await env.sleep(timedelta(minutes=9))
    assert (await Journey.get(id=start.journey_id)).stuck is False
    await env.sleep(timedelta(minutes=2))
    row = await Journey.get(id=start.journey_id)
    assert (row.stage, row.stuck) == (Stage.TRIAGE.value, True)
