"""Follow-up tasks as staff see them on their list."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from domain.aftercare import tasks as rules
from domain.aftercare.plan import FollowUpPlanStep, plan_of, plan_step_for
from domain.journey.codec import facts_from_json
from domain.procedures.template import FollowUpChannel, ProcedureContent
from domain.roles import Role
from domain.store.aftercare import FollowUpTask as TaskRow
from schema.context import Context
from schema.ids import encode_id
from schema.journeys.types import Journey
from schema.pagination import PageInfo
from schema.photos.types import PhotoStage
from schema.procedures import types as _procedure_types  # noqa: F401  (registers FollowUpChannel)
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member

TaskKind = strawberry.enum(
    rules.TaskKind,
    description="What a task asks of you.",
)
TaskStatus = strawberry.enum(rules.TaskStatus, description="Where a task stands.")


@strawberry.type(
    description="One task on a staff list: a follow-up call that fell due (retried after a "
    "missed call, a supervisor's after three), a complication for the treating doctor, a "
    "low survey score for a supervisor, a photo of the procedure type's photo schedule "
    "for the care team, an invitation back for the consultant of a consultation that did "
    "not convert, the reminder of a recheck booked at the handover, or the ward's readings "
    "and next day's round after an operation."
)
class FollowUpTask:
    id: strawberry.ID = strawberry.field(description="The task's id.")
    kind: TaskKind = strawberry.field(description="What the task asks of you.")  # type: ignore[valid-type]
    status: TaskStatus = strawberry.field(description="Open, done or closed.")  # type: ignore[valid-type]
    journey_id: strawberry.ID = strawberry.field(description="The journey's global id.")
    follow_up_id: str | None = strawberry.field(
        description="The journey's follow-up (`fu-1`...), for `completeFollowUp` and "
        "`reportComplication`; null for a complication the client called in with "
        "(`reportComplicationCall`), a photo reminder, a survey alert, an invitation or a "
        "recheck reminder."
    )
    label: str | None = strawberry.field(
        description="The follow-up's label, e.g. 24h, 1w, 3m; for a photo reminder, its "
        "stage; for a ward reading, its hour after the operation (1h...6h); for the ward round, "
        "its day (2026-03-14)."
    )
    due_at: datetime = strawberry.field(
        description="When the task is due: when the follow-up fell due, or after a missed call "
        "when its retry is; for a recheck reminder, 24 hours before the recheck (at the "
        "handover when the recheck is sooner); for a ward reading, its hour after the "
        "operation; for the ward round, the clinic's midnight that begins the day after it."
    )
    overdue: bool = strawberry.field(
        description="Still open past its due time by more than the clinic allows; a ward "
        "reading half an hour past its hour, the ward round once its day has ended."
    )
    attempts: int = strawberry.field(description="Calls made so far.")
    escalated: bool = strawberry.field(
        description="Handed up: three missed calls (to a supervisor) or a complication (to "
        "the treating doctor)."
    )
    stored_assignee_role: strawberry.Private[str]
    assignee_id: str | None = strawberry.field(
        description="The account it is assigned to; null: anyone of the role in the clinic."
    )
    linked_journey_id: strawberry.ID | None = strawberry.field(
        description="The recheck journey a complication opened, if any; for a RECHECK "
        "reminder, the recheck visit that kept the booking and closed it."
    )
    row: strawberry.Private[TaskRow]

    @strawberry.field(description="The role whose list the task is on.")
    def assignee_role(self) -> Role:
        return recorded_role(self.stored_assignee_role)

    @classmethod
    def from_row(cls, row: TaskRow, overdue: bool) -> FollowUpTask:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=rules.TaskKind(row.kind),
            status=rules.TaskStatus(row.status),
            journey_id=strawberry.ID(encode_id("Journey", row.journey_id)),
            follow_up_id=row.follow_up_id,
            label=row.label,
            due_at=row.due_at,
            overdue=overdue,
            attempts=row.attempts,
            escalated=row.escalated,
            stored_assignee_role=row.assignee_role,
            assignee_id=row.assignee_id,
            linked_journey_id=(
                strawberry.ID(encode_id("Journey", row.linked_journey_id))
                if row.linked_journey_id
                else None
            ),
            row=row,
        )

    @strawberry.field(
        description="For a photo reminder (PHOTO), the stage to name in `uploadPhoto`: a "
        "photo of it for the journey settles the task; null for other tasks."
    )
    def photo_stage(self) -> PhotoStage | None:
        if self.row.kind != rules.TaskKind.PHOTO.value or not self.row.label:
            return None
        return PhotoStage(self.row.label)

    @strawberry.field(
        description="For a complication the client reported between the scheduled calls "
        "(`reportComplicationCall`), what they reported; null for other tasks (a complication "
        "reported on a call keeps its note in the journey's record of that call)."
    )
    async def complication_note(self, info: Info[Context, None]) -> str | None:
        if self.row.kind != rules.TaskKind.COMPLICATION.value or self.row.follow_up_id:
            return None
        return await info.context.loaders.complication_note.load(self.row.id)

    @strawberry.field(
        description="For a follow-up call (FOLLOW_UP_CALL), whether the client lets staff ask "
        "her about her results on the phone: `askAboutResults` of her service card's latest "
        "PHONE_WISHES entry in force (`Client.serviceCard`; a correction's answer is the one "
        "read, an entry marked entered in error is not). False: the call is done without a "
        "score and `recordSurvey` is refused for her journey. Null when she has no such entry, "
        "and for tasks that are not calls."
    )
    async def may_ask_about_results(self, info: Info[Context, None]) -> bool | None:
        if self.row.kind != rules.TaskKind.FOLLOW_UP_CALL.value:
            return None
        journey = await info.context.loaders.journey.load(self.row.journey_id)
        if journey is None or journey.clinic_id != self.row.clinic_id:
            return None
        return await info.context.loaders.may_ask_about_results.load(journey.client_id)

    @strawberry.field(
        description="The account it is assigned to, with the name colleagues see; null: anyone "
        "of the role in the clinic (or the account is gone)."
    )
    async def assignee(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.assignee_id)

    @strawberry.field(description="The journey the task is about.")
    async def journey(self, info: Info[Context, None]) -> Journey | None:
        row = await info.context.loaders.journey.load(self.row.journey_id)
        return Journey.from_row(row) if row and row.clinic_id == self.row.clinic_id else None

    @strawberry.field(
        description="What to ask on the call, from the journey's follow-up plan; empty for "
        "tasks that are not calls."
    )
    async def questions(self, info: Info[Context, None]) -> list[str]:
        step = await self._plan_step(info)
        return list(step.questions) if step else []

    @strawberry.field(
        description="Why the call is made, from the journey's follow-up plan; null for tasks "
        "that are not calls."
    )
    async def purpose(self, info: Info[Context, None]) -> str | None:
        step = await self._plan_step(info)
        return step.purpose if step else None

    @strawberry.field(
        description="How to reach the client, from the journey's follow-up plan: PHONE, "
        "MESSAGE or VISIT (a visit to book); null for tasks that are not calls."
    )
    async def channel(self, info: Info[Context, None]) -> FollowUpChannel | None:
        step = await self._plan_step(info)
        return FollowUpChannel(step.channel) if step else None

    async def _plan_step(self, info: Info[Context, None]) -> FollowUpPlanStep | None:
        """The step of the journey's own plan: its procedure type version's when it has one
        (pinned at plan approval), else the seed-002 tier default of its offsets."""
        if self.row.kind != rules.TaskKind.FOLLOW_UP_CALL.value or not self.row.label:
            return None
        journey = await info.context.loaders.journey.load(self.row.journey_id)
        if journey is None:
            return None
        facts = facts_from_json(journey.facts)
        content = None
        if facts.procedure_type_version_id:
            version = await info.context.loaders.procedure_versions.load(
                facts.procedure_type_version_id
            )
            if version is not None and version.clinic_id == journey.clinic_id:
                content = ProcedureContent.from_json(version.content)
        return plan_step_for(
            self.row.label,
            facts.follow_up_offsets,
            plan_of(content),
            follow_up_id=self.row.follow_up_id,
        )


@strawberry.type(description="One task and its cursor.")
class FollowUpTaskEdge:
    cursor: str = strawberry.field(description="Pass as `after` for the next page.")
    node: FollowUpTask = strawberry.field(description="The task.")


@strawberry.type(
    description="A page of tasks, by due time, earliest first: yours (`myTasks`), or the "
    "ward's overdue (`overdueWardTasks`)."
)
class FollowUpTaskConnection:
    edges: list[FollowUpTaskEdge] = strawberry.field(description="The tasks of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow.")


@strawberry.enum(
    description="What happened to a task on your list. CHANGED: it was added or moved (due, "
    "done, escalated), or turned overdue with time. LEFT: it is someone else's now (a third "
    "missed call handed it to a supervisor, the journey went to another consultant): take it "
    "off your list. RESYNC: you "
    "fell too far behind and changes were dropped; read `myTasks` again; it comes without a "
    "task. STARTED: only with `tasksChanged(announceStart: true)`, as its first push: read "
    "`myTasks` now; it comes without a task."
)
class TaskChange(str, Enum):
    CHANGED = "CHANGED"
    LEFT = "LEFT"
    RESYNC = "RESYNC"
    STARTED = "STARTED"


@strawberry.type(description="A change on your task list.")
class TaskUpdate:
    change: TaskChange = strawberry.field(description="What changed.")
    task: FollowUpTask | None = strawberry.field(
        description="The task now (with LEFT, as its new assignee has it); null with RESYNC "
        "and STARTED."
    )
