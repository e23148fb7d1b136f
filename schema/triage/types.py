"""GraphQL types of the triage desk: the board, its log, and a decision with its reasons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.journey.stages import VisitCategory
from domain.store.triage_models import TriageEntry
from domain.triage.decide import decide
from domain.triage.decision import Arrival, Decision, EmergencyReason
from domain.triage.desk import DeskState, Seat, SeatStatus
from schema.context import Context
from schema.ids import encode_id
from schema.staff.types import StaffMember, staff_member

TriageSeatStatus = strawberry.enum(SeatStatus, name="TriageSeatStatus")


def staff_id(raw: str | None) -> strawberry.ID | None:
    return strawberry.ID(encode_id("StaffMember", raw)) if raw else None


@strawberry.type
class CategoryCount:
    category: str = strawberry.field(description="Visit category, or VIP for placements.")
    count: int


@strawberry.type(description="One consultant's place on the desk today.")
class TriageSeat:
    consultant_id: strawberry.ID
    position: int | None = strawberry.field(description="Place in the rotation; null if left.")
    on_duty: bool
    status: SeatStatus
    scope: list[str] = strawberry.field(description="Items received; empty means every item.")
    first_visit_turns: int = strawberry.field(description="Counted turns today, make-ups included.")
    turns_used_early: int = strawberry.field(description="Counted clients given out of order.")
    owed_turns: int
    counts: list[CategoryCount]
    delegate_id: strawberry.ID | None = strawberry.field(
        default=None, description="Takes this consultant's own clients while off post."
    )

    @classmethod
    def from_seat(cls, seat: Seat, desk: DeskState) -> TriageSeat:
        rotation = desk.rotation
        return cls(
            consultant_id=strawberry.ID(encode_id("StaffMember", seat.consultant_id)),
            position=rotation.index(seat.consultant_id) if seat.consultant_id in rotation else None,
            on_duty=seat.on_duty and not seat.departed,
            status=seat.status,
            scope=list(seat.scope),
            first_visit_turns=seat.turns,
            turns_used_early=seat.turns_ahead,
            owed_turns=desk.owed(seat.consultant_id),
            counts=[CategoryCount(category=k, count=v) for k, v in sorted(seat.counts.items())],
            delegate_id=strawberry.ID(encode_id("StaffMember", seat.delegate_id))
            if seat.delegate_id
            else None,
        )


@strawberry.type
class OwedTurn:
    consultant_id: strawberry.ID
    reason: str
    from_turn_of: strawberry.ID | None = strawberry.field(
        description="A give-back: paid from this consultant's next turn (10-minute rule)."
    )


@strawberry.type
class TriageAlert:
    seq: int
    message: str
    journey_id: strawberry.ID | None
    times_raised: int
    kind: str | None


@strawberry.type
class PendingAssignment:
    journey_id: strawberry.ID
    consultant_id: strawberry.ID
    route: str
    counted: bool
    assigned_at: datetime
    accept_by: datetime | None
    emergency: EmergencyReason | None


@strawberry.type(description="A clinic's rotation desk as it stands.")
class TriageBoard:
    clinic_id: strawberry.ID
    day: str
    version: int = strawberry.field(description="The last desk log entry behind this board.")
    policy: str
    next_consultant_id: strawberry.ID | None = strawberry.field(
        description="Who the next plain first visit would go to."
    )
    seats: list[TriageSeat] = strawberry.field(description="In rotation order; leavers last.")
    owed_turns: list[OwedTurn]
    alerts: list[TriageAlert]
    alerts_dropped: int
    pending: list[PendingAssignment]

    @classmethod
    def from_desk(cls, desk: DeskState) -> TriageBoard:
        preview = Arrival("preview", "preview", VisitCategory.FIRST_VISIT)
        ordered = [desk.seats[c] for c in desk.rotation]
        ordered += [s for s in desk.seats.values() if s.consultant_id not in desk.rotation]
        return cls(
            clinic_id=strawberry.ID(desk.clinic_id),
            day=desk.day,
            version=desk.seq,
            policy=desk.policy.label,
            next_consultant_id=staff_id(decide(desk, preview, desk.policy).consultant_id),
            seats=[TriageSeat.from_seat(seat, desk) for seat in ordered],
            owed_turns=[
                OwedTurn(
                    consultant_id=strawberry.ID(encode_id("StaffMember", m.creditor_id)),
                    reason=m.reason,
                    from_turn_of=staff_id(m.from_turn_of),
                )
                for m in desk.makeups
            ],
            alerts=[
                TriageAlert(
                    seq=a.seq,
                    message=a.message,
                    journey_id=strawberry.ID(encode_id("Journey", a.journey_id))
                    if a.journey_id
                    else None,
                    times_raised=a.raised,
                    kind=a.kind.value if a.kind else None,
                )
                for a in desk.alerts
            ],
            alerts_dropped=desk.alerts_dropped,
            pending=[
                PendingAssignment(
                    journey_id=strawberry.ID(encode_id("Journey", a.journey_id)),
                    consultant_id=strawberry.ID(encode_id("StaffMember", a.consultant_id)),
                    route=a.route,
                    counted=a.counted,
                    assigned_at=a.assigned_at,
                    accept_by=a.accept_by,
                    emergency=EmergencyReason(a.emergency) if a.emergency else None,
                )
                for a in desk.pending()
            ],
        )


@strawberry.type
class TriageSkip:
    consultant_id: strawberry.ID
    why: str
    makeup_owed: bool


@strawberry.type(description="What the desk decided for one client, and why.")
class TriageDecision:
    consultant_id: strawberry.ID | None
    counted: bool = strawberry.field(description="Whether it used a first-visit turn.")
    route: str
    reason: str
    policy: str
    major_item: str | None
    skips: list[TriageSkip]
    visit_category: VisitCategory
    category_reason: str | None = strawberry.field(description="Why the records say so.")

    @classmethod
    def build(cls, decision: Decision, category: VisitCategory, why: str | None) -> TriageDecision:
        return cls(
            consultant_id=staff_id(decision.consultant_id),
            counted=decision.counted,
            route=decision.route.value,
            reason=decision.reason + decision.skip_summary(),
            policy=decision.policy,
            major_item=decision.item,
            skips=[
                TriageSkip(
                    consultant_id=strawberry.ID(encode_id("StaffMember", s.consultant_id)),
                    why=s.why.value,
                    makeup_owed=s.makeup_owed,
                )
                for s in decision.skips
            ],
            visit_category=category,
            category_reason=why,
        )

    @classmethod
    def logged(cls, entry: TriageEntry, category: VisitCategory, why: str | None) -> TriageDecision:
        """The decision as the desk's log keeps it (its ASSIGNED entry holds every part of it,
        the reason with its skips, the policy with its name)."""
        details = entry.details or {}
        return cls(
            consultant_id=staff_id(entry.consultant_id),
            counted=entry.counted,
            route=str(details.get("route") or ""),
            reason=entry.reason,
            policy=entry.policy,
            major_item=details.get("item"),
            skips=[
                TriageSkip(
                    consultant_id=strawberry.ID(encode_id("StaffMember", skip["consultant_id"])),
                    why=skip["why"],
                    makeup_owed=bool(skip.get("makeup_owed")),
                )
                for skip in details.get("skips") or []
            ],
            visit_category=category,
            category_reason=why,
        )


@strawberry.type(description="One line of the desk's append-only log.")
class TriageLogEntry:
    seq: int
    kind: str
    at: datetime
    actor_id: str
    consultant_id: strawberry.ID | None
    journey_id: strawberry.ID | None
    counted: bool
    reason: str
    policy: str
    amends_seq: int | None = strawberry.field(description="The entry a correction amends.")
    details: JSON

    @strawberry.field(
        description="Who acted (`actorId`), with the name colleagues see; null for the desk's "
        "clock (`system`) or an account that is gone."
    )
    async def actor(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.actor_id)

    @classmethod
    def from_row(cls, row: TriageEntry) -> TriageLogEntry:
        details: Any = row.details
        return cls(
            seq=row.seq,
            kind=row.kind,
            at=row.at,
            actor_id=row.actor_id,
            consultant_id=staff_id(row.consultant_id),
            journey_id=strawberry.ID(encode_id("Journey", row.journey_id))
            if row.journey_id
            else None,
            counted=row.counted,
            reason=row.reason,
            policy=row.policy,
            amends_seq=row.amends_seq,
            details=details,
        )
