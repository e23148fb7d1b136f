"""`glowpath reconcile`: the read model agrees with the workflows, and drift is reported."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from temporalio.testing import WorkflowEnvironment
from tortoise.expressions import F

from domain.roles import Role
from domain.store import records
from domain.store.models import Journey, JourneyEvent, JourneyStageCount, StaffAccount
from domain.store.stage_counts import check_counters
from domain.store.triage_models import TriageEntry
from domain.triage.commands import SeatCommand
from domain.triage.entries import EntryKind
from schema.ids import decode_id, encode_id
from server.reconcile import find_drift, reconcile_with
from tests.api.conftest import TASK_QUEUE
from tests.api.documents import REASSIGN_JOURNEY
from tests.api.flow import JourneyDriver
from tests.staff_rows import staff_account
from tests.support import DESK
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway


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


async def test_an_event_the_journey_never_attached_and_an_unreadable_workflow_are_drift(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey in a clinic of its own, whose log gained a note the journey never took
    # (as a workflow task Temporal lost can leave one: `store.projection`)
    driver = await fresh_clinic()
    journey = await driver.drive_to("CONSULTATION")
    raw_id = decode_id(journey["id"], "Journey")
    assert raw_id is not None
    row = await Journey.get(id=raw_id)
    note = await records.draft_record(raw_id, "nudge", {"note": "lost"}, "supervisor-1")
    await JourneyEvent.create(
        journey_id=raw_id, seq=row.last_event_seq + 1, action="nudge", from_stage=row.stage,
        to_stage=row.stage, actor_id="supervisor-1", actor_role="SUPERVISOR",
        at=datetime.now(UTC), summary="", record_id=note,
    )  # fmt: skip
    # And, in the same clinic, an active row naming a workflow that is not a journey (the
    # clinic's triage desk), whose facts cannot be asked for
    await TriageGateway(temporal_env.client, TASK_QUEUE).change_seat(
        row.clinic_id, SeatCommand(DESK, "c0", "note-roster", on_duty=True), str(uuid.uuid4())
    )
    stray = desk_workflow_id(row.clinic_id)
    await Journey.create(
        id=stray, clinic_id=row.clinic_id, client_id=row.client_id, stage=row.stage,
        visit_category=row.visit_category, started_at=row.started_at,
        stage_entered_at=row.stage_entered_at, facts=row.facts,
    )  # fmt: skip
    try:
        # When reconcile checks the clinic
        drift = {
            d.journey_id: d.problem for d in await find_drift(temporal_env.client, row.clinic_id)
        }
    finally:
        await Journey.filter(id=stray).update(active=False)
    # Then both are reported, and the check went on past the one it could not read
    assert drift[stray].startswith("active in the read model, workflow unreadable: ")
    attached = len(row.facts["attached_records"])
    assert drift[raw_id] == (
        f"event log: {attached + 1} records logged, the workflow attached {attached}; they part "
        f"at record {attached + 1} (read model {note}, workflow none)"
    )


async def _desk_hands_over(
    row: Journey, consultant_id: str, at: datetime, seq: int, *, stand_in: bool = False
) -> None:
    """The line a desk's log keeps when the 10-minute rule hands the client on, or (`stand_in`)
    the supervisor names a stand-in for her owner, who keeps her (as its record activity writes
    it, whether or not the journey then took the hand-over)."""
    await TriageEntry.create(
        clinic_id=row.clinic_id,
        seq=seq,
        day=at.date().isoformat(),
        kind=(EntryKind.REASSIGNED if stand_in else EntryKind.TIMED_OUT).value,
        at=at,
        actor_id="staff-supervisor" if stand_in else "triage-desk",
        consultant_id=consultant_id,
        journey_id=str(row.id),
        client_id=row.client_id,
        reason="owner_stand_in" if stand_in else "waited 10 minutes",
        policy="",
        details={"transfers_ownership": not stand_in},
    )


def _never_took(handed_to: str, at: datetime, seq: int, names: str) -> str:
    return (
        f"the desk handed the client to {handed_to} (its {at.date().isoformat()} entry {seq}); "
        f"the journey still names {names}: reassignJourney hands it over"
    )


async def test_a_desk_hand_over_the_journey_never_took_is_drift(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey in consultation, its consultant named by the assignment
    driver = await fresh_clinic()
    journey = await driver.assign((await driver.start())["id"])
    row = await Journey.get(id=decode_id(journey["id"], "Journey"))

    async def hand_over_drift() -> list[str]:
        drift = await find_drift(temporal_env.client, row.clinic_id)
        return [d.problem for d in drift if d.journey_id == str(row.id)]

    # When the desk's log holds a hand-over after the assignment that the journey never took,
    # that is drift
    handed_at = datetime.now(UTC)
    await _desk_hands_over(row, "consultant-b", handed_at, seq=10_002)
    assert await hand_over_drift() == [
        _never_took("consultant-b", handed_at, 10_002, str(row.consultant_id))
    ]
    # And a later hand-over back to the consultant the journey names ends the drift
    later = handed_at + timedelta(seconds=1)
    await _desk_hands_over(row, str(row.consultant_id), later, seq=10_003)
    assert await hand_over_drift() == []


async def test_a_stand_in_the_journey_never_took_is_drift(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey in consultation, its consultant named by the assignment
    driver = await fresh_clinic()
    journey = await driver.assign((await driver.start())["id"])
    row = await Journey.get(id=decode_id(journey["id"], "Journey"))
    # When the desk's log holds a stand-in the supervisor named after it, which moves no
    # ownership, and the journey never took it
    handed_at = datetime.now(UTC)
    await _desk_hands_over(row, "consultant-s", handed_at, seq=10_004, stand_in=True)
    # Then that is drift all the same: the stand-in serves her, the journey names another
    drift = await find_drift(temporal_env.client, row.clinic_id)
    assert [d.problem for d in drift if d.journey_id == str(row.id)] == [
        _never_took("consultant-s", handed_at, 10_004, str(row.consultant_id))
    ]


async def test_a_late_assignment_to_someone_else_does_not_supersede_a_hand_over(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], temporal_env: WorkflowEnvironment
) -> None:
    # Given a client the desk handed on by the 10-minute rule while the journey was still at
    # triage (the journey refused the hand-over then)
    driver = await fresh_clinic()
    started = await driver.start()
    row = await Journey.get(id=decode_id(started["id"], "Journey"))
    handed_to = (await _another_consultant(row.clinic_id)).id
    handed_at = datetime.now(UTC)
    await _desk_hands_over(row, handed_to, handed_at, seq=10_001)

    async def hand_over_drift() -> list[str]:
        drift = await find_drift(temporal_env.client, row.clinic_id)
        return [d.problem for d in drift if d.journey_id == str(row.id)]

    # When the journey is assigned after it, late, with the desk's first pick
    await driver.assign(started["id"])
    first_pick = driver.staff[Role.CONSULTANT].account_id
    # Then the hand-over is reported: the client is still with the consultant it left
    assert await hand_over_drift() == [_never_took(handed_to, handed_at, 10_001, first_pick)]

    # When the journey is then given to the consultant it was handed to, the hand-over landed
    await _reassign(driver, started["id"], handed_to)
    assert await hand_over_drift() == []
    # And a supervisor's reassignment after it is a decision of its own, not drift
    await _reassign(driver, started["id"], first_pick)
    assert await hand_over_drift() == []


async def _another_consultant(clinic_id: str) -> StaffAccount:
    tag = uuid.uuid4().hex[:8]
    return await staff_account(
        clinic_id, f"staff-{tag}", Role.CONSULTANT, display_name="Second Consultant"
    )


async def _reassign(driver: JourneyDriver, journey_id: str, consultant_id: str) -> None:
    await driver.ok(
        REASSIGN_JOURNEY,
        Role.SUPERVISOR,
        journeyId=journey_id,
        consultantId=encode_id("StaffMember", consultant_id),
        reason="client asked",
    )
