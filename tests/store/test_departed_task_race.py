"""A task written while the account it names is being deactivated, on PostgreSQL (its
transactions run side by side under READ COMMITTED; SQLite has one writer at a time): the
journey's writer checks the account is still there, the deactivation commits and hands on the
tasks it can see, then the writer writes. The task must not be left naming the account that
left (the journey's next event, which would send it elsewhere, may never come); and the writer
updating two of a journey's tasks while the deactivation moves both must not deadlock."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import asyncpg
import pytest

from domain.aftercare.tasks import FollowUpAssignee, TaskKind, task_id
from domain.journey.facts import FollowUp, JourneyChange, JourneyEvent, JourneyFacts
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store import callers, departed_tasks, task_projection
from domain.store.administration import update_account
from domain.store.aftercare import AftercareSetting, FollowUpTask
from domain.store.models import Journey, StaffAccount
from domain.store.projection import apply_change
from tests.staff_rows import staff_account
from tests.store.held_race import Held, raced
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import CALLER, DESK

pytestmark = pytest.mark.postgres

AT = START + timedelta(days=30)


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches who waits for whom."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _opened(role: Role, policy: FollowUpAssignee) -> tuple[JourneyFacts, StaffAccount]:
    """A journey of a clinic with `policy`, at its opening event, and an account of `role`
    the journey names (its consultant, or its approving doctor)."""
    clinic_id, client_id = await clinic_with_client("departed")
    await AftercareSetting.create(clinic_id=clinic_id, follow_up_assignee=policy.value)
    account = await staff_account(clinic_id, f"{clinic_id}-{role.value.lower()}", role)
    facts = opening_facts(f"journey-{uuid.uuid4()}", clinic_id, client_id)
    if role is Role.CONSULTANT:
        facts.consultant_id = str(account.id)
    else:
        facts.expert_id = str(account.id)
    opened = JourneyEvent(facts.journey_id, 1, "START", None, Stage.RECEPTION, DESK, START, "")
    await apply_change(JourneyChange(opened, dataclasses.replace(facts, event_seq=1)))
    return facts, account


def _next(facts: JourneyFacts, action: Action, stage: Stage, *calls: FollowUp) -> JourneyChange:
    event = JourneyEvent(facts.journey_id, 2, action.value, facts.stage, stage, CALLER, AT, "")
    after = dataclasses.replace(facts, stage=stage, event_seq=2, follow_ups=list(calls))
    return JourneyChange(event, after)


async def _holders(journey_id: str) -> dict[str, tuple[str, str | None]]:
    tasks = await FollowUpTask.filter(journey_id=journey_id, status="OPEN")
    return {task.kind: (task.assignee_role, task.assignee_id) for task in tasks}


def _leaving(account: StaffAccount) -> Callable[[], Awaitable[None]]:
    return lambda: update_account(account, None, False, None)


async def test_an_invitation_written_as_its_consultant_leaves_goes_to_the_supervisors(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a consultation closed unconverted, its writer held once it found the consultant
    # still there
    facts, consultant = await _opened(Role.CONSULTANT, FollowUpAssignee.FOLLOW_UP_STAFF)
    held = Held()
    monkeypatch.setattr(task_projection, "still_consulting", held.after(callers.still_consulting))
    closed = _next(facts, Action.CLOSE_NOT_CONVERTED, Stage.NOT_CONVERTED)
    # When the consultant is deactivated meanwhile
    await raced(observer, held, apply_change(closed), _leaving(consultant))
    # Then the invitation back is on the supervisors' list, not on the departed consultant's
    assert await _holders(facts.journey_id) == {"INVITATION": ("SUPERVISOR", None)}


async def test_the_last_call_written_as_its_consultant_leaves_goes_to_follow_up_staff(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic whose consultants call their clients, and a journey's last call falling
    # due, its writer held once it found the consultant still there
    facts, consultant = await _opened(Role.CONSULTANT, FollowUpAssignee.OWNING_CONSULTANT)
    held = Held()
    monkeypatch.setattr(callers, "still_consulting", held.after(callers.still_consulting))
    due = FollowUp("f12", "12m", AT, FollowUpStatus.DUE)
    # When the consultant is deactivated meanwhile
    change = _next(facts, Action.FOLLOW_UP_DUE, Stage.FOLLOW_UP, due)
    await raced(observer, held, apply_change(change), _leaving(consultant))
    # Then the call is on the follow-up staff's list
    assert await _holders(facts.journey_id) == {"FOLLOW_UP_CALL": ("FOLLOW_UP_STAFF", None)}


async def test_a_complication_written_as_its_doctor_leaves_goes_to_any_doctor(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a call reporting a complication, its writer held once it found the doctor who
    # approved the plan still there
    facts, doctor = await _opened(Role.EXPERT, FollowUpAssignee.FOLLOW_UP_STAFF)
    held = Held()
    monkeypatch.setattr(
        task_projection, "treating_doctor", held.after(task_projection.treating_doctor)
    )
    reported = FollowUp("f1", "1w", AT, FollowUpStatus.DONE, 1, FollowUpOutcome.COMPLICATION)
    # When the doctor is deactivated meanwhile
    change = _next(facts, Action.COMPLETE_FOLLOW_UP, Stage.FOLLOW_UP, reported)
    await raced(observer, held, apply_change(change), _leaving(doctor))
    # Then the complication is any doctor's
    assert (await _holders(facts.journey_id))["COMPLICATION"] == ("EXPERT", None)


async def test_two_tasks_of_a_journey_and_their_consultant_leaving_do_not_deadlock(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey's call and its recheck reminder on its consultant's list (the call due
    # first), the clinic now having its follow-up staff call, and a missed call whose writer
    # is held once it has moved the reminder
    facts, consultant = await _opened(Role.CONSULTANT, FollowUpAssignee.FOLLOW_UP_STAFF)
    me = str(consultant.id)
    later = AT + timedelta(days=9)
    for kind, follow_up, due in (
        (TaskKind.FOLLOW_UP_CALL, "f1", AT),
        (TaskKind.RECHECK, None, later),
    ):
        await FollowUpTask.create(
            id=task_id(facts.journey_id, follow_up, kind),
            clinic_id=facts.clinic_id,
            journey_id=facts.journey_id,
            follow_up_id=follow_up,
            kind=kind.value,
            due_at=due,
            assignee_role=Role.CONSULTANT.value,
            assignee_id=me,
            journey_seq=1,
            updated_at=START,
        )
    held = Held()
    reassign = task_projection.reassign_recheck_task
    monkeypatch.setattr(task_projection, "reassign_recheck_task", held.after(reassign))
    missed = FollowUp("f1", "1w", AT, FollowUpStatus.DUE, 1, FollowUpOutcome.NOT_REACHED)
    # When the consultant is deactivated meanwhile, moving both
    change = _next(facts, Action.COMPLETE_FOLLOW_UP, Stage.FOLLOW_UP, missed)
    await raced(observer, held, apply_change(change), _leaving(consultant))
    # Then both wrote, and both tasks are the follow-up staff's
    staff = ("FOLLOW_UP_STAFF", None)
    assert await _holders(facts.journey_id) == {"FOLLOW_UP_CALL": staff, "RECHECK": staff}


async def test_a_doctor_handed_a_complication_as_they_leave_passes_it_on(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a doctor holding a complication of a journey another doctor approved, made the
    # clinic's administrator (the complication goes to the approving doctor), the change held
    # once it found the approving doctor still there
    facts, approving = await _opened(Role.EXPERT, FollowUpAssignee.FOLLOW_UP_STAFF)
    await Journey.filter(id=facts.journey_id).update(facts={"expert_id": str(approving.id)})
    holder = await staff_account(facts.clinic_id, f"{facts.clinic_id}-holder", Role.EXPERT)
    complication = await FollowUpTask.create(
        id=task_id(facts.journey_id, "f1", TaskKind.COMPLICATION),
        clinic_id=facts.clinic_id,
        journey_id=facts.journey_id,
        follow_up_id="f1",
        kind=TaskKind.COMPLICATION.value,
        due_at=AT,
        assignee_role=Role.EXPERT.value,
        assignee_id=str(holder.id),
        updated_at=START,
    )
    held = Held()
    experts = departed_tasks._approving_experts
    monkeypatch.setattr(departed_tasks, "_approving_experts", held.after(experts))
    promoted = update_account(holder, Role.ADMIN, None, None)
    # When the approving doctor is deactivated meanwhile
    await raced(observer, held, promoted, _leaving(approving))
    # Then the complication is any doctor's, not the departed one's
    moved = await FollowUpTask.get(id=complication.id)
    assert (moved.assignee_role, moved.assignee_id) == ("EXPERT", None)
