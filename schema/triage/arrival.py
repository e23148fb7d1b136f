"""What the desk is told of an arriving client: ids and codes from the records and the front
desk's answers, each id checked to name this clinic's staff, clients and journeys."""

from __future__ import annotations

import strawberry

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.store.drafts import attached_record
from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from domain.store.models import StaffAccount
from domain.store.partners import PartnerReferral
from domain.store.triage_models import OwnershipTransfer
from domain.store.triage_projection import current_owner
from domain.triage.bounds import item_codes
from domain.triage.decision import Arrival, ArrivalPurpose, EmergencyReason
from schema import idempotency
from schema.errors import ValidationFailed, invalid
from schema.ids import decode_id
from schema.triage.desk import unknown_consultant


@strawberry.input
class AutoAssignInput:
    journey_id: strawberry.ID
    items: list[str] = strawberry.field(
        default_factory=list,
        description="Item codes asked for: at most 50, each one word of at most 64 characters "
        "(letters, digits, _ . or -, with a letter) and a code of the clinic's price list "
        "(any case).",
    )
    referred_by_client_id: strawberry.ID | None = strawberry.field(
        default=None, description="The existing client who referred them, if found in the records."
    )
    partner_consultant_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An A-class partner's designated consultant: only for a client a partner "
        "salon referred (startJourney with PARTNER_REFERRAL and its partnerId).",
    )
    companion_of_journey_id: strawberry.ID | None = None
    same_consultant: bool = strawberry.field(default=False, description="The group asked for one.")
    invalid: bool = strawberry.field(default=False, description="Item not offered / ruled out.")
    purpose: ArrivalPurpose = ArrivalPurpose.CONSULTATION
    emergency: EmergencyReason | None = strawberry.field(
        default=None,
        description="The client is an emergency (seed 004): received first by the first free "
        "consultant, her turn counted in order, the supervisor alerted to fetch a doctor. A "
        "client nobody could take is decided again with it; one the desk placed already and "
        "still waiting is marked as markEmergency marks her.",
    )
    idempotency_key: str | None = idempotency.key_field()


# Seed 003 (市场部): "A类店家由对应咨询接诊,A类店家以外的市场部顾客按照顺排轮诊": a partner's
# designated consultant receives only the clients a salon sent. Named for any other arrival,
# it let the desk place a walk-in with any consultant as a counted turn, past the rotation and
# its make-ups.
PARTNER_UNREFERRED = "only for a client a partner salon referred (startJourney's partnerId)"


async def unreferred_partner_client(row: JourneyRow, input: AutoAssignInput) -> FieldProblem | None:
    """A problem on `partnerConsultantId` when it is named for a journey no partner referred."""
    if input.partner_consultant_id is None or await PartnerReferral.exists(journey_id=row.id):
        return None
    return FieldProblem("partnerConsultantId", PARTNER_UNREFERRED, Code.INCONSISTENT)


async def owner_of(client_id: str) -> tuple[str | None, bool]:
    owner = await current_owner(client_id)
    departed = owner is not None and not await StaffAccount.exists(id=owner, active=True)
    return owner, departed


async def arrival_of(row: JourneyRow, input: AutoAssignInput) -> Arrival:
    owner, departed = await owner_of(row.client_id)
    referrer = decode_id(input.referred_by_client_id or "", "Client")
    # Only a client of this clinic can be the referrer: another clinic's records are not ours.
    if referrer and not await ClientRow.exists(id=referrer, clinic_id=row.clinic_id):
        referrer = None
    referrer_consultant = (await owner_of(referrer))[0] if referrer else None
    return Arrival(
        journey_id=row.id,
        client_id=row.client_id,
        category=VisitCategory(row.visit_category),
        items=item_codes(input.items),
        owner_id=owner,
        owner_departed=departed,
        # An owner with no transfer on record can only come from a lead's earliest contact.
        owner_from_lead=owner is not None
        and not await OwnershipTransfer.exists(client_id=row.client_id),
        referrer_consultant_id=referrer_consultant,
        partner_consultant_id=decode_id(input.partner_consultant_id or "", "StaffMember"),
        companion_of=decode_id(input.companion_of_journey_id or "", "Journey"),
        same_consultant=input.same_consultant,
        invalid=input.invalid,
        purpose=input.purpose,
        emergency=input.emergency,
    )


async def unknown_reference(row: JourneyRow, input: AutoAssignInput) -> ValidationFailed | None:
    """The ids the desk is told must name this clinic's staff and journeys: the desk's
    history holds ids only, never whatever a caller typed into an id."""
    partner = decode_id(input.partner_consultant_id or "", "StaffMember")
    if input.partner_consultant_id is not None and not (
        partner
        and await StaffAccount.exists(
            id=partner, clinic_id=row.clinic_id, role=Role.CONSULTANT.value
        )
    ):
        return unknown_consultant("partnerConsultantId")
    companion = decode_id(input.companion_of_journey_id or "", "Journey")
    if input.companion_of_journey_id is not None and not (
        companion and await JourneyRow.exists(id=companion, clinic_id=row.clinic_id)
    ):
        return invalid("companionOfJourneyId", "no such journey in this clinic", Code.UNKNOWN_VALUE)
    return None


async def category_reason(journey_id: str) -> str | None:
    # The record the opening event attached; a failed attempt's draft is never read.
    record = await attached_record(journey_id, "reception")
    body = record.body if record else None
    return body.get("category_reason") if isinstance(body, dict) else None
