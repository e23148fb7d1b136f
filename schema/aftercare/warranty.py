"""`claimWarranty`: within the card's period a linked recheck journey opens at no charge, beside
any other journey the client has; outside it, a typed refusal naming the end date."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.aftercare.warranty import covers
from domain.errors import DomainError, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store import records
from domain.store.aftercare import WarrantyCard as CardRow
from domain.store.aftercare import WarrantyClaim as ClaimRow
from domain.store.models import Journey as JourneyRow
from schema import idempotency
from schema.aftercare.recheck import open_linked_recheck, recheck_journey_id
from schema.aftercare.warranty_types import WarrantyCard, WarrantyExpired, warranty_expired
from schema.audit.collector import note_write
from schema.clients.file_access import zone_of
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    Unavailable,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.journeys.types import Journey
from schema.text import check_text

MAX_NUMBER = 32


@strawberry.input(description="A client claims the warranty of an earlier treatment.")
class ClaimWarrantyInput:
    warranty_number: str = strawberry.field(description="The number on the warranty card.")
    reason: str = strawberry.field(description="What the client reports about the result.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The claim is accepted: a recheck journey is open, at no charge.")
class WarrantyClaimed:
    claim_id: strawberry.ID = strawberry.field(description="The claim's id.")
    card: WarrantyCard = strawberry.field(description="The card claimed on.")
    claimed_at: datetime = strawberry.field(
        description="When the claim was first asked (a retry's answer names the same moment), "
        "in UTC."
    )
    recheck_journey: Journey | None = strawberry.field(
        description="The recheck journey that serves the claim (RECHECK, waiting at reception): "
        "one opened for it, owned by the treatment's consultant, beside any other journey the "
        "client has (one started at reception while the treated journey makes its calls), or "
        "one the client already had coming in; null while its first events are still being "
        "written."
    )


ClaimWarrantyResult = Annotated[
    WarrantyClaimed
    | WarrantyExpired
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | Unavailable,
    strawberry.union("ClaimWarrantyResult"),
]


async def claim_warranty(
    info: Info[Context, None], input: ClaimWarrantyInput
) -> ClaimWarrantyResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    problems = check_text("reason", input.reason, required=True)
    if not 1 <= len(input.warranty_number) <= MAX_NUMBER:
        code = Code.REQUIRED if not input.warranty_number else Code.TOO_LONG
        problems.append(FieldProblem("warrantyNumber", f"1 to {MAX_NUMBER} characters", code))
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        failed = DomainValidationFailed(problems + ([bad_key] if bad_key else []))
        return from_domain(failed)  # type: ignore[return-value]
    card = await CardRow.get_or_none(number=input.warranty_number, clinic_id=claims.clinic_id)
    if card is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("warranty card")
        )
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    claim_id = idempotency.answered(ledger) or idempotency.derived_id(ledger, "warranty-claim")
    claim_id = claim_id or str(uuid.uuid4())
    claim = await ClaimRow.get_or_none(id=claim_id)
    if claim is None:
        # Judged as of when the claim was first asked (its key's claim), the same for every
        # attempt: an attempt served by a recheck the client already had coming, or one that
        # opened the claim's own, whose answer was lost before the claim was written, leaves
        # nothing else behind, and its retry after the card's period ended goes on as it did.
        asked_at = await idempotency.first_asked_at(actor.user_id, input)
        recheck_id = recheck_journey_id(f"warranty-claim:{claim_id}")
        zone = await zone_of(info, card.clinic_id)
        if not covers(card.ends_at, asked_at, zone):
            return warranty_expired(card.ends_at, zone)
        parent = await JourneyRow.get(id=card.journey_id)
        try:
            opened = await open_linked_recheck(
                info.context.gateway,
                parent,
                recheck_id,
                actor,
                info.context.config.follow_up_offsets,
                "warranty claim",
            )
        except DomainError as error:
            return from_domain(error)  # type: ignore[return-value]
        try:
            claim = await ClaimRow.create(
                id=claim_id,
                card_id=card.number,
                # A recheck the client already had coming serves this claim too.
                recheck_journey_id=opened,
                reason=input.reason,
                claimed_by=actor.user_id,
                claimed_at=asked_at,
            )
        except IntegrityError:
            # An attempt of this very request racing with this one recorded it first (the id
            # and its recheck's come from the key): answer that one.
            claim = await ClaimRow.get(id=claim_id)
    note_write(info, card.client_id)
    await idempotency.settle(actor.user_id, input, claim.id)
    recheck = await JourneyRow.get_or_none(id=claim.recheck_journey_id)
    return WarrantyClaimed(
        claim_id=strawberry.ID(str(claim.id)),
        card=WarrantyCard.from_row(card),
        claimed_at=claim.claimed_at,
        recheck_journey=Journey.from_row(recheck) if recheck else None,
    )
