"""The supervisor cockpit's reads: stuck journeys by how long over, and per-stage counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.stages import Stage
from domain.journey.stuck_reasons import StuckReason
from domain.store.billing_reads import overdue_installments
from domain.store.complaints import overdue_count as overdue_complaints
from domain.store.complaints import unresolved_count
from domain.store.models import Clinic
from domain.store.models import Journey as JourneyRow
from domain.store.stats import stage_counts
from domain.store.stuck_codes import code_of, reads_as
from domain.store.task_projection import overdue_task_count
from domain.store.ward_tasks import WARD_KINDS
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    invalid,
    not_authorized,
    not_found,
)
from schema.journeys.types import Journey
from schema.pagination import cursor_for, keyset_page, page_problems
from schema.supervision.types import (
    StageStats,
    StuckJourney,
    StuckJourneyConnection,
    StuckJourneyEdge,
)

StuckJourneysResult = Annotated[
    StuckJourneyConnection | ValidationFailed | NotAuthorized | NotFound,
    strawberry.union("StuckJourneysResult"),
]


@strawberry.type
class JourneyStats:
    stages: list[StageStats]
    overdue_tasks: int = strawberry.field(
        description="Open tasks of the clinic past due by more than it allows (the ward's, "
        "by their own schedule: `overdueWardTasks`)."
    )
    clinic_id: strawberry.Private[str] = ""

    @strawberry.field(
        description="Installments that fell due with their bill not paid up to them (its "
        "payments less their refunds): tasks for the cash desk, until the client pays; a "
        "refunded installment is owed again. None of a journey that ended before its "
        "treatment: the client left and owes nothing more."
    )
    async def overdue_installments(self) -> int:
        return await overdue_installments(self.clinic_id)

    @strawberry.field(
        description="Of `overdueTasks`, the ward's after an operation (WARD_READING, "
        "WARD_ROUND), each late by its own schedule: a reading of the vital signs not taken "
        "within half an hour of its hour, or the doctor's round missing when the day after the "
        "operation has ended in the clinic's calendar. Each stays until a record settles it "
        "or it is closed with what came of it (`completeTask`); `overdueWardTasks` lists them."
    )
    async def overdue_ward_tasks(self) -> int:
        return await overdue_task_count(self.clinic_id, WARD_KINDS)

    @strawberry.field(
        description="The clinic's complaints not resolved, answered or not: as many as "
        "`openComplaints` lists."
    )
    async def open_complaints(self) -> int:
        return await unresolved_count(self.clinic_id)

    @strawberry.field(
        description="Of `openComplaints`, those not answered by the end of the second working "
        "day after the day they were received (`Complaint.overdue`): `openComplaints` lists "
        "them first. An answer (`respondToComplaint`) or the resolution ends it."
    )
    async def overdue_complaints(self, info: Info[Context, None]) -> int:
        return await overdue_complaints(self.clinic_id, info.context.config.clock.now())


JourneyStatsResult = Annotated[
    JourneyStats | NotAuthorized | NotFound, strawberry.union("JourneyStatsResult")
]


def stuck_view(row: JourneyRow, now: datetime) -> StuckJourney:
    deadline = row.sla_deadline or row.stuck_since or now
    return StuckJourney(
        journey=Journey.from_row(row),
        stage=Stage(row.stage),
        reason=row.stuck_reason or "",
        reason_code=code_of(row) or StuckReason.STAGE_OVERDUE,  # (the row is stuck)
        since=row.stuck_since or deadline,
        overdue_seconds=max(int((now - deadline).total_seconds()), 0),
    )


async def visible_clinic(info: Info[Context, None], clinic_id: str) -> Clinic | None:
    claims = info.context.claims
    if claims is None or claims.clinic_id != clinic_id:
        return None
    return await Clinic.get_or_none(id=clinic_id)


async def stuck_journeys(
    info: Info[Context, None],
    clinic_id: strawberry.ID,
    stage: Stage | None = None,
    older_than: Annotated[
        int | None,
        strawberry.argument(description="Only journeys over their SLA by at least N seconds."),
    ] = None,
    reason_code: Annotated[
        StuckReason | None,
        strawberry.argument(
            description="Only journeys stuck by this rule (their `reasonCode`); paged as the "
            "whole list is."
        ),
    ] = None,
    first: int = 20,
    after: str | None = None,
) -> StuckJourneysResult:
    if info.context.claims is None:
        return not_authorized()
    if await visible_clinic(info, clinic_id) is None:
        return not_found("clinic")
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    if older_than is not None and older_than < 0:
        return invalid("olderThan", "seconds, zero or more", Code.OUT_OF_RANGE)
    now = datetime.now(UTC)
    query = JourneyRow.filter(clinic_id=clinic_id, stuck=True)
    if stage is not None:
        query = query.filter(stage=stage.value)
    if older_than:
        query = query.filter(sla_deadline__lte=now - timedelta(seconds=older_than))
    if reason_code is not None:
        query = query.filter(reads_as(reason_code))
    rows, page_info = await keyset_page(query, "sla_deadline", first, after, newest_first=False)
    edges = [
        StuckJourneyEdge(cursor=cursor_for(row, "sla_deadline"), node=stuck_view(row, now))
        for row in rows
    ]
    return StuckJourneyConnection(edges=edges, page_info=page_info)


async def board_stats(clinic: Clinic) -> list[StageStats]:
    local_midnight = datetime.now(ZoneInfo(clinic.timezone)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    counts = await stage_counts(str(clinic.id), local_midnight.astimezone(UTC))
    return [StageStats.from_count(count) for count in counts]


async def journey_stats(info: Info[Context, None], clinic_id: strawberry.ID) -> JourneyStatsResult:
    if info.context.claims is None:
        return not_authorized()
    clinic = await visible_clinic(info, clinic_id)
    if clinic is None:
        return not_found("clinic")
    return JourneyStats(
        stages=await board_stats(clinic),
        overdue_tasks=await overdue_task_count(str(clinic.id)),
        clinic_id=str(clinic.id),
    )
