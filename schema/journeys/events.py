"""A journey's history as the SPA reads it: the events of its log and their corrections."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.consent.after_journey import withdrawn_since_summary
from domain.journey.earlier_treatments import with_answer
from domain.journey.stages import ConsentKind, Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import JourneyEvent as EventRow
from domain.store.models import JourneyRecord as RecordRow
from schema.context import Context
from schema.journeys.history_after_end import EntryAfterEnd
from schema.journeys.told import record_for, summary_for
from schema.permissions import viewer_role
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member


@strawberry.type(description="A correction of a recorded action; the original stays as it was.")
class Amendment:
    id: strawberry.ID
    author_id: str
    at: datetime
    reason: str
    correction: JSON

    @strawberry.field(
        description="The staff member who corrected the record (`authorId`), with the name "
        "colleagues see; null if the account is gone."
    )
    async def author(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.author_id)


def amendment_view(row: RecordRow) -> Amendment:
    return Amendment(
        id=strawberry.ID(str(row.id)),
        author_id=row.author_id,
        at=row.created_at,
        reason=row.body.get("reason", ""),
        correction=row.body.get("correction", {}),
    )


def _as_read(action: str, record: Any) -> Any:
    """A consultation's record with her earlier treatments' answer on it, one recorded before
    the answer was required included (`domain.journey.earlier_treatments`)."""
    if action != Action.RECORD_CONSULTATION.value or not isinstance(record, dict):
        return record
    if "needs" not in record:
        return record
    return {**record, "needs": with_answer(record["needs"])}


@strawberry.type(
    description="One line of the journey's append-only log, or after it, a consent withdrawn "
    "once the journey had ended (recorded beside the log, which is closed)."
)
class JourneyEvent:
    seq: int
    action: str
    from_stage: Stage | None
    to_stage: Stage
    actor_id: str = strawberry.field(description="Raw account id, or `system` for timers.")
    stored_actor_role: strawberry.Private[str]
    at: datetime = strawberry.field(description="When, in UTC.")
    at_local: str = strawberry.field(description="When, in the clinic's time, 24-hour clock.")
    told: strawberry.Private[str]
    recorded: strawberry.Private[Any]
    corrections: strawberry.Private[list[Amendment]]

    @strawberry.field
    def summary(self, info: Info[Context, None]) -> str:
        return summary_for(viewer_role(info.context), self.action, self.told)

    @strawberry.field(
        description="What staff recorded with the action (a payment's record is the cashiers' "
        "and supervisors'; a consultation's shows the client's occupation to those who may read "
        "it on the client; the plans' prices, as `summary` shows the approved one). A "
        "consultation's `needs.no_earlier_treatments` is true when she has had no earlier "
        "treatment, false when `needs.earlier_treatments` names them (what, when, effect), and "
        "null on one recorded before it was asked: not asked (its `earlier_treatments` then a "
        "text, or null)."
    )
    def details(self, info: Info[Context, None]) -> JSON | None:
        recorded = _as_read(self.action, self.recorded)
        told: JSON | None = record_for(viewer_role(info.context), self.action, recorded)
        return told

    @strawberry.field(
        description="Corrections of `details`, oldest first; the original above stays as "
        "written. As `details`, only what the reader may read: none of a record hidden whole."
    )
    def amendments(self, info: Info[Context, None]) -> list[Amendment] | None:
        role = viewer_role(info.context)
        if record_for(role, self.action, {}) is None:
            return []
        return [
            replace(a, correction=record_for(role, self.action, a.correction))
            for a in self.corrections
        ]

    @strawberry.field
    def actor_role(self) -> Role:
        return recorded_role(self.stored_actor_role)

    @strawberry.field(description="Who acted; null when the journey acted itself (a timer).")
    async def actor(self, info: Info[Context, None]) -> StaffMember | None:
        if self.stored_actor_role == Role.SYSTEM.value:
            return None
        return await staff_member(info, self.actor_id)

    @classmethod
    def from_row(
        cls, row: EventRow, zone: ZoneInfo, details: Any, amendments: list[RecordRow]
    ) -> JourneyEvent:
        return cls(
            seq=row.seq,
            action=row.action,
            from_stage=Stage(row.from_stage) if row.from_stage else None,
            to_stage=Stage(row.to_stage),
            actor_id=row.actor_id,
            stored_actor_role=row.actor_role,
            at=row.at,
            at_local=_local(row.at, zone),
            told=row.summary,
            recorded=details,
            corrections=[amendment_view(a) for a in amendments],
        )

    @classmethod
    def after_end(cls, entry: EntryAfterEnd, stage: Stage) -> JourneyEvent:
        """A consent withdrawn after the journey ended, as the journey's own withdrawal shows:
        its record (what the client said) only when there is a note."""
        w = entry.withdrawal
        return cls(
            seq=entry.seq,
            action=Action.WITHDRAW_CONSENT.value,
            from_stage=stage,
            to_stage=stage,
            actor_id=w.recorded_by,
            stored_actor_role=w.recorded_by_role,
            at=w.withdrawn_at,
            at_local=_local(w.withdrawn_at, entry.zone),
            told=withdrawn_since_summary(ConsentKind(w.kind)),
            recorded={"kind": w.kind, "note": w.note} if w.note else None,
            corrections=[],
        )


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
