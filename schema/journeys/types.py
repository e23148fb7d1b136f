"""The journey as the SPA reads it: its stage, people, follow-ups, what may be done now."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain.audit import JOURNEY_HISTORY_READ, JOURNEY_READ
from domain.journey.access import STAFF_ACTIONS
from domain.journey.codec import facts_from_json
from domain.journey.diagram import mermaid
from domain.journey.stages import (
    FollowUpOutcome,
    FollowUpStatus,
    Stage,
    VisitCategory,
)
from domain.journey.table import Action
from domain.store.models import Journey as JourneyRow
from schema.aftercare.warranty_types import WarrantyCard
from schema.audit.collector import note_access
from schema.catalog.types import Contraindication
from schema.clients.file_access import zone_of
from schema.clients.types import Client
from schema.context import Context
from schema.ids import encode_id
from schema.input_check import check_list_page
from schema.journeys.availability import viewer_availability
from schema.journeys.contraindication_check import standing_reasons
from schema.journeys.events import JourneyEvent
from schema.journeys.history_after_end import entries_after_end
from schema.journeys.required_consents import (
    REQUIRED_CONSENTS,
    RequiredConsent,
    required_consents,
)
from schema.money.bill_types import BILL_PAGE, Payment
from schema.money.journey_payments import JOURNEY_PAYMENTS, PAGE_SIZE, PAGE_START, journey_payments
from schema.procedures.journey_type import journey_procedure
from schema.procedures.types import ChecklistItemState, ProcedureTypeVersion
from schema.staff.types import StaffMember, staff_member

# A journey's events in one read: a whole year of care is well under it.
MAX_HISTORY_PAGE = 500


@strawberry.type(description="A follow-up call: scheduled, due (an open task), done or closed.")
class FollowUp:
    id: str
    label: str
    due_at: datetime
    status: FollowUpStatus
    attempts: int
    outcome: FollowUpOutcome | None
    satisfaction: int | None


@strawberry.type(description="A machine action, and whether the viewer may take it now.")
class ActionAvailability:
    action: Action
    allowed: bool
    reason: str | None
    contraindications: list[Contraindication] | None = strawberry.field(
        default=None,
        description="START_TREATMENT only: the contraindications that block it now (the "
        "client's record against the final plan, overrides set aside); empty when none, null "
        "for other actions or when the stage or your role already blocks it.",
    )


async def _blocked_by_contraindications(
    info: Info[Context, None], row: JourneyRow, availability: ActionAvailability
) -> None:
    """Treatment the machine would start is still blocked by what the record rules out."""
    reasons = await standing_reasons(info, row)
    availability.contraindications = [Contraindication.from_domain(r) for r in reasons]
    if reasons:
        availability.allowed = False
        codes = ", ".join(f"{r.code.value} ({r.item_name})" for r in reasons)
        availability.reason = f"contraindicated: {codes}; the journey's expert may override"


@strawberry.type(description="One client visit's path from reception to the last follow-up.")
class Journey(relay.Node):
    id: relay.NodeID[str]
    stage: Stage
    outcome: Stage | None = strawberry.field(description="The terminal stage, once ended.")
    visit_category: VisitCategory
    started_at: datetime
    stage_entered_at: datetime
    last_event_seq: int = strawberry.field(
        description="The `seq` of the last event this view reflects: everything here (stage, "
        "history, follow-ups) is the journey as that event left it, and once it has ended, "
        "the consents withdrawn since (in `history`, after it). Pushes of `journeyChanged` "
        "carry consecutive values, one per event."
    )
    row: strawberry.Private[JourneyRow]

    @classmethod
    def from_row(cls, row: JourneyRow) -> Journey:
        note_access(row.client_id, JOURNEY_READ)  # built only to be answered: this is the read
        stage = Stage(row.stage)
        return cls(
            id=row.id,
            stage=stage,
            outcome=stage if stage.is_terminal else None,
            visit_category=VisitCategory(row.visit_category),
            started_at=row.started_at,
            stage_entered_at=row.stage_entered_at,
            last_event_seq=row.last_event_seq,
            row=row,
        )

    @strawberry.field
    async def client(self, info: Info[Context, None]) -> Client | None:
        row = await info.context.loaders.client.load(self.row.client_id)
        return Client.from_row(row) if row else None

    @strawberry.field
    async def consultant(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.row.consultant_id)

    @strawberry.field(
        description="The journey's events after `afterSeq`, oldest first, at most `first` of "
        "them, up to `lastEventSeq`. Events are numbered 1, 2, 3...: when the last one given "
        "is below `lastEventSeq`, ask again with its `seq` as `afterSeq` for the rest. Once the "
        "journey has ended, a consent withdrawn since (`withdrawConsent` of a PHOTO or "
        "DATA_PROCESSING consent) follows its last event as a `withdraw_consent` entry, numbered "
        "on from `lastEventSeq` in the order withdrawn: a page that is full may have more."
    )
    async def history(
        self,
        info: Info[Context, None],
        after_seq: Annotated[
            int, strawberry.argument(description="Events after this seq; 0: from the first.")
        ] = 0,
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_HISTORY_PAGE}.")
        ] = MAX_HISTORY_PAGE,
    ) -> list[JourneyEvent]:
        # Bounded: a journey followed for years, or a list of many, is read page by page.
        check_list_page(first, MAX_HISTORY_PAGE, afterSeq=after_seq)
        note_access(self.row.client_id, JOURNEY_HISTORY_READ)  # the clinical records with it
        # Up to the event this view reflects: a later event committed since the journey was
        # read belongs to the next view, not to this one.
        key = (self.row.id, self.row.clinic_id, self.row.last_event_seq, after_seq, first)
        loaded = await info.context.loaders.history.load(key)
        events = [JourneyEvent.from_row(e.event, e.zone, e.details, e.amendments) for e in loaded]
        since = await entries_after_end(info.context.loaders, self.row, after_seq, first)
        return events + [JourneyEvent.after_end(entry, self.stage) for entry in since]

    @strawberry.field
    def follow_ups(self) -> list[FollowUp]:
        facts = facts_from_json(self.row.facts)
        return [
            FollowUp(
                id=f.follow_up_id,
                label=f.label,
                due_at=f.due_at,
                status=f.status,
                attempts=f.attempts,
                outcome=f.outcome,
                satisfaction=f.satisfaction,
            )
            for f in facts.follow_ups
        ]

    @strawberry.field(
        description="Every action staff can take, with whether the viewer may take it now. "
        "Left out: the journey's own actions, which no one calls ("
        + ", ".join(a.name for a in Action if a not in STAFF_ACTIONS)
        + "): they happen on its clock and show in `history`. On a journey that missed its "
        "desk's day's-end release (still at CONSULTATION naming the consultant the desk let go), "
        "ASSIGN_CONSULTANT is judged as the release leaves it, back at TRIAGE: the assignment "
        "sends the release first. On an ended journey, WITHDRAW_CONSENT is offered while a "
        "PHOTO, DATA_PROCESSING or DATA_SHARING consent signed in it is in force (not "
        "withdrawn). On a journey whose procedure type version is complex, START_TREATMENT is "
        "refused to anyone but a doctor holding a senior title, with the message "
        "`startTreatment`'s `SeniorTitleRequired` would give."
    )
    async def available_actions(self, info: Info[Context, None]) -> list[ActionAvailability]:
        found = [
            ActionAvailability(action=a.action, allowed=a.allowed, reason=a.reason)
            for a in await viewer_availability(info, self.row)
        ]
        for availability in found:
            if availability.action is Action.START_TREATMENT and availability.allowed:
                await _blocked_by_contraindications(info, self.row, availability)
        return found

    @strawberry.field(
        description="For a recheck opened by a complication or a warranty claim: the journey "
        "it comes from. For a recheck reception started: the journey whose handover booked it "
        "(`nextRecheckAt`), when the client had one still to be kept."
    )
    def linked_journey_id(self) -> strawberry.ID | None:
        linked = self.row.facts.get("linked_journey_id")
        return strawberry.ID(encode_id("Journey", linked)) if linked else None

    @strawberry.field(description="The warranty issued with this journey's treatment, if any.")
    async def warranty_card(self, info: Info[Context, None]) -> WarrantyCard | None:
        card = await info.context.loaders.warranty_card.load(self.row.id)
        return WarrantyCard.from_row(card) if card else None

    @strawberry.field(
        description="The recheck booked at the handover (`handOver`'s `nextRecheckAt`), as "
        "the latest correction of the handover's record moved it (`amendRecord` with "
        "`next_recheck_at`), in UTC; null when none was. Its reminder is a RECHECK task, due a "
        "day before, on the list of whoever makes the clinic's after-care calls."
    )
    async def next_recheck_at(self, info: Info[Context, None]) -> datetime | None:
        return await info.context.loaders.booked_recheck.load(self.row.id)

    @strawberry.field(
        description="The recheck visit that kept the booked recheck (`nextRecheckAt`): the "
        "journey reception started when the client came for it, early or late, once they were "
        "checked in; null while it is still to come (or none was booked). The booking stays as "
        "it was booked; its reminder was closed by that visit, if still open."
    )
    async def next_recheck_kept_by(self, info: Info[Context, None]) -> strawberry.ID | None:
        visit = await info.context.loaders.recheck_kept_by.load(self.row.id)
        return strawberry.ID(encode_id("Journey", visit)) if visit else None

    @strawberry.field(
        description="The procedure type version this journey follows (named by its approved "
        "plan); null when none. A newer version published since does not change it."
    )
    async def procedure_type(self, info: Info[Context, None]) -> ProcedureTypeVersion | None:
        procedure = await journey_procedure(self.row, info.context.loaders)
        return ProcedureTypeVersion.from_row(procedure.version) if procedure else None

    @strawberry.field(
        description="The pre-treatment checklist of the journey's procedure type and what is "
        "done; empty when it has none. Treatment starts only when every item is done; until it "
        "starts, identity_verified, plan_verified, contraindications_rechecked, vital_signs "
        "and bladder_bowels_emptied count only when done on the day (the clinic's calendar): "
        "one done on an earlier day shows open."
    )
    async def checklist(self, info: Info[Context, None]) -> list[ChecklistItemState] | None:
        procedure = await journey_procedure(self.row, info.context.loaders)
        if procedure is None:
            return []
        note_access(self.row.client_id, JOURNEY_HISTORY_READ)  # results are clinical records
        states = []
        # Before the treatment, today's view: a check of the day made on an earlier day is open.
        begun = facts_from_json(self.row.facts).treatment_started or self.stage.is_terminal
        zone = None if begun else await zone_of(info, self.row.clinic_id)
        counted = procedure.counted(zone)
        open_codes = set(procedure.open_items(zone))
        for item in procedure.content.checklist:
            done = counted.get(item.code)
            states.append(
                ChecklistItemState(
                    code=item.code,
                    label=item.label,
                    needs_result=item.needs_result,
                    done=item.code not in open_codes,
                    result=done.result if done else None,
                    completed_by=done.completed_by if done else None,
                    completed_at=done.completed_at if done else None,
                )
            )
        return states

    @strawberry.field(description=REQUIRED_CONSENTS)
    async def required_consents(self, info: Info[Context, None]) -> list[RequiredConsent] | None:
        return await required_consents(info, self.row)

    @strawberry.field(description=JOURNEY_PAYMENTS)
    async def payments(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=PAGE_SIZE)] = BILL_PAGE,
        after: Annotated[strawberry.ID | None, strawberry.argument(description=PAGE_START)] = None,
    ) -> list[Payment] | None:
        return await journey_payments(info, self.row, first, after)

    @strawberry.field(description="Mermaid state diagram with the current stage highlighted.")
    def diagram(self) -> str:
        return mermaid(self.stage)
