"""`reportComplicationCall`: the client calls in (or comes back) with a complication, outside
the journey's scheduled follow-up calls: between two of them, or after the last one.

The after-care leaflet tells the client to call at once when something is not normal (seed 001
"дискомфорты"), and a client whose recovery changes is asked in for a recheck (seed 003: "恢复过程中
如顾客有什么问题,或者恢复情况有变化,让顾客到院来复查面诊"). Before, a complication was only
recorded as the outcome of a call that was due (`reportComplication`): the call the leaflet asks
for could not be taken down as one, and the treating doctor heard nothing of it.

It is taken once the treatment is done (HANDOVER, FOLLOW_UP, or COMPLETED however long ago: a late
complication is still the treatment's), never asks the journey's workflow (a completed journey
has none running), and writes the report (`complication_report`, append-only) with the treating
doctor's COMPLICATION task, at once and escalated, and the recheck journey that serves it: one
opened for it, or one the client already has coming (`schema.aftercare.recheck`). The recheck
ending settles the task, as it does a complication reported on a call.

A journey takes `MAX_COMPLICATION_CALLS_PER_JOURNEY` of them: past that its calls would make the
client's copy of her file (`exportClientFile`) too large to give, for good.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.aftercare.tasks import Assignment, TaskKind, task_id
from domain.client_file.export import MAX_COMPLICATION_CALLS_PER_JOURNEY
from domain.errors import DomainError, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.codec import facts_from_json
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store import records
from domain.store.aftercare import ComplicationReport as ReportRow
from domain.store.aftercare import FollowUpTask as TaskRow
from domain.store.bounded_append import append_within
from domain.store.escalations import open_escalated_task
from domain.store.models import Journey as JourneyRow
from domain.store.staff_locks import accounts_named
from domain.store.treating_doctor import performer_of, treating_doctor
from schema import idempotency
from schema.aftercare.complication_call_types import (
    ComplicationCallResult,
    ComplicationCallTaken,
    ReportComplicationCallInput,
)
from schema.aftercare.recheck import open_linked_recheck, recheck_journey_id
from schema.audit.collector import note_write
from schema.context import Context
from schema.errors import ValidationFailed, from_domain, not_authorized, not_found
from schema.journeys.actions import load_visible_journey
from schema.journeys.types import Journey
from schema.text import check_text

# The treatment is done: what the client reports now is a complication of it.
TREATED = frozenset({Stage.HANDOVER.value, Stage.FOLLOW_UP.value, Stage.COMPLETED.value})
NOT_TREATED = (
    "the journey's treatment is not done: a complication before or during it is the "
    "treatment's to record (its notes), or the expert's to refuse on medical grounds"
)


def _refused(field: str, message: str, code: Code) -> ValidationFailed:
    refusal = from_domain(DomainValidationFailed([FieldProblem(field, message, code)]))
    assert isinstance(refusal, ValidationFailed)
    return refusal


async def report_complication_call(
    info: Info[Context, None], input: ReportComplicationCallInput
) -> ComplicationCallResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    problems = check_text("note", input.note, required=True)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return from_domain(DomainValidationFailed(problems + ([bad_key] if bad_key else [])))  # type: ignore[return-value]
    parent = await load_visible_journey(info, input.journey_id)
    if parent is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("journey")
        )
    if parent.stage not in TREATED:
        # Nothing claimed: once treated, the same request is taken (no attempt of it was).
        refusal = _refused("journeyId", NOT_TREATED, Code.NOT_ALLOWED_NOW)
        return await idempotency.refusal_or_conflict(info, actor.user_id, input, refusal)
    if await _full(parent.id):
        # Unless this very request was taken before (its answer lost): a retry is answered.
        refused = await idempotency.refusal_answer(
            info, actor.user_id, input, _full_answer(), went_through=_written
        )
        if refused is not None:
            return refused
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    report_id = idempotency.answered(ledger) or idempotency.derived_id(ledger, "complication-call")
    report_id = report_id or str(uuid.uuid4())
    report = await ReportRow.get_or_none(id=report_id)
    if report is None:
        try:
            serving = await open_linked_recheck(
                info.context.gateway,
                parent,
                recheck_journey_id(f"complication-call:{report_id}"),
                actor,
                info.context.config.follow_up_offsets,
                "complication reported by the client between the follow-up calls",
            )
        except DomainError as error:
            return from_domain(error)  # type: ignore[return-value]
        written = await _write(parent, report_id, serving, input.note, actor.user_id, actor.role)
        if written is None:  # the last place went to a request racing with this one
            return _full_answer()
        report = written
    note_write(info, str(parent.client_id))
    await idempotency.settle(actor.user_id, input, report.id)
    recheck = await JourneyRow.get_or_none(id=report.recheck_journey_id)
    task = await TaskRow.get(id=report.task_id)
    return ComplicationCallTaken(
        report_id=strawberry.ID(str(report.id)),
        reported_at=report.reported_at,
        journey=Journey.from_row(parent),
        doctor_id=task.assignee_id,
        recheck_journey=Journey.from_row(recheck) if recheck else None,
    )


def _counted(journey_id: str) -> dict[str, str]:
    return {"journey_id": journey_id}


async def _full(journey_id: str) -> bool:
    """Asked before the key is claimed, so a full journey costs nothing more; the write counts
    again under the journey's lock."""
    taken = await ReportRow.filter(**_counted(journey_id)).count()
    return taken >= MAX_COMPLICATION_CALLS_PER_JOURNEY


def _full_answer() -> ValidationFailed:
    return _refused(
        "journeyId",
        f"the journey holds {MAX_COMPLICATION_CALLS_PER_JOURNEY} complication calls, the most "
        "one takes (more would make the client's copy of her file too large to give): add to "
        "the open task's recheck, or record it on the recheck journey",
        Code.TOO_MANY,
    )


async def _written(ledger: records.KeyClaim) -> bool:
    report_id = idempotency.derived_id(ledger, "complication-call")
    return report_id is not None and await ReportRow.exists(id=report_id)


async def _write(
    parent: JourneyRow, report_id: str, serving: str, note: str, by: str, role: Role
) -> ReportRow | None:
    """The report and the doctor's task, in one transaction under the journey's lock, while the
    journey has room (None when full); an attempt of the same request that wrote them first is
    answered instead (the ids come from the key's claim)."""
    facts = facts_from_json(parent.facts)
    the_task = task_id(parent.id, f"call:{report_id}", TaskKind.COMPLICATION)
    now = datetime.now(UTC)
    doctors: list[str | None] = []

    async def fields(_: BaseDBAsyncClient) -> dict[str, object]:
        # The doctors the task may name, held before one is chosen: none of them is deactivated
        # between the check that they are still here and the write, when their tasks would
        # have been moved already (`staff_locks`).
        await accounts_named([facts.expert_id, await performer_of(parent.id)])
        doctors.append(
            await treating_doctor(parent.id, parent.clinic_id, facts.expert_id, still_here=True)
        )
        return {
            "clinic_id": parent.clinic_id,
            "journey_id": parent.id,
            "client_id": str(parent.client_id),
            "note": note,
            "task_id": the_task,
            "recheck_journey_id": serving,
            "reported_by": by,
            "reported_by_role": role.value,
            "reported_at": now,
        }

    async def task(_: object) -> None:
        await open_escalated_task(
            the_task,
            clinic_id=parent.clinic_id,
            journey_id=parent.id,
            kind=TaskKind.COMPLICATION,
            assignee=Assignment(Role.EXPERT, doctors[0]),
            at=now,
            linked_journey_id=serving,
        )

    try:
        return await append_within(
            ReportRow,
            report_id,
            fields,
            owner=(JourneyRow, parent.id),
            counted=_counted(parent.id),
            bound=MAX_COMPLICATION_CALLS_PER_JOURNEY,
            along_with=task,
        )
    except IntegrityError:
        return await ReportRow.get(id=report_id)
