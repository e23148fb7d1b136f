"""Reception: a client arrives (or books) and a journey opens, with the visit category the
records and the client's age give and the clinic's SLAs; at most one active journey per client
besides those only making their after-care calls (a year of them: the client comes back within
it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from domain.ages import is_minor, is_senior
from domain.errors import Conflict, DomainError
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import Actor, JourneyStart
from domain.journey.followups import DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import ArrivalChannel, VisitCategory
from domain.store import partner_reads, records
from domain.store.claims import (
    AFTER_CARE_ONLY,
    claim_client,
    release_claim_of_missing_journey,
)
from domain.store.history import client_history
from domain.store.models import ActiveRecheckClaim, Clinic
from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from domain.store.recheck_visits import BOOKED_RECHECK_OF, open_booking
from domain.store.records import KeyClaim
from domain.visits import Newcomer, categorise
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import clinic_today
from schema.context import Context
from schema.errors import from_domain, invalid, not_authorized, not_found
from schema.ids import decode_id
from schema.journeys.actions import JourneyPayload, JourneyResult
from schema.journeys.types import Journey
from schema.text import check_text
from workflows.client import JourneyGateway, JourneyUnavailable

# Journey ids derived from a key's claim (`_keyed_journey_id`) live in a namespace of their own.
_JOURNEY_IDS = uuid.UUID("5b1f6c1e-4c1a-4f0e-9d7e-6a7f2f0c9a11")
# Seed 003 (市场部): a salon's client is reported with the salon ("所属店家") before arriving,
# and only a reported client is entered; a referral naming none reached no partner's statement.
SALON_UNNAMED = "a partner referral names the salon that sent the client (a Partner id)"


@strawberry.input
class StartJourneyInput:
    client_id: strawberry.ID
    channel: ArrivalChannel = ArrivalChannel.WALK_IN
    checked_in: bool = strawberry.field(
        default=True, description="Walk-in: at the desk now. False for a booking."
    )
    recheck: bool = strawberry.field(
        default=False,
        description="Comes for a recheck. A recheck a handover booked (`nextRecheckAt`) and not "
        "yet kept is this visit's, early or late, the one booked nearest to now of several: the "
        "journey names it (`linkedJourneyId`), and once the client is checked in the booking "
        "is kept (`nextRecheckKeptBy`) and its RECHECK reminder closed, if still open.",
    )
    new_questions: bool = strawberry.field(
        default=False, description="A recheck that also wants a new consultation."
    )
    other: bool = strawberry.field(
        default=False,
        description="Category 'other' (seed 004): asking for a friend who is absent, under 18 "
        "without a parent or guardian, a free trial, and the like. A client of 60 or over with "
        "no earlier record who was not referred (by a client or a partner) is registered so "
        "without it.",
    )
    reason: str | None = strawberry.field(default=None, description="What the client asks for.")
    partner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The partner salon that sent the client (a `Partner` id): required with "
        "the channel PARTNER_REFERRAL, and only with it. Its statement then counts this "
        "journey's deals.",
    )
    idempotency_key: str | None = idempotency.key_field()


async def clinic_sla_overrides(clinic_id: str) -> dict[str, int]:
    clinic = await Clinic.get_or_none(id=clinic_id)
    return dict(clinic.stage_slas or {}) if clinic else {}


async def start_journey(info: Info[Context, None], input: StartJourneyInput) -> JourneyResult:
    actor = info.context.actor
    claims = info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    problems = check_text("reason", input.reason, required=False)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return from_domain(DomainValidationFailed(problems + ([bad_key] if bad_key else [])))
    client_id = decode_id(input.client_id, "Client")
    client = client_id and await ClientRow.get_or_none(id=client_id, clinic_id=claims.clinic_id)
    if not client:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("client")
        )
    partner_id = None
    # A retry of a journey started before this rule answers it.
    unnamed = invalid("partnerId", SALON_UNNAMED, Code.REQUIRED) if _salon_unnamed(input) else None
    refused = await idempotency.refusal_answer(
        info, actor.user_id, input, unnamed, went_through=_started_under_key
    )
    if refused is not None:
        return refused
    if input.partner_id is not None:
        if input.channel is not ArrivalChannel.PARTNER_REFERRAL:
            return invalid("partnerId", "only for the channel PARTNER_REFERRAL", Code.INCONSISTENT)
        partner_id = decode_id(input.partner_id, "Partner")
        ended = not partner_id or await partner_reads.current(partner_id, claims.clinic_id) is None
        # A retry of a journey that was started answers it, though the partner has left since.
        gone = not_found("partner") if ended else None
        partner_refused = await idempotency.refusal_answer(info, actor.user_id, input, gone)
        if partner_refused is not None:
            return partner_refused
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        return await _started(first, client.id)
    # A key's claim names its journey, so every retry of one request asks for the same workflow.
    journey_id = _keyed_journey_id(ledger) if ledger is not None else str(uuid.uuid4())
    if ledger is not None and await JourneyRow.exists(id=journey_id):
        # An earlier attempt started it and its answer was lost, or it runs beside this one:
        # the retry converges on it, answered once its opening is written, as the start is.
        await info.context.gateway.until_opened(journey_id)
        await _referred(partner_id, journey_id, client, actor.user_id)
        return await _started(journey_id, client.id, settle=(actor.user_id, input))
    # This request's own journey may appear between the two checks (a retry after a lost
    # answer, as its worker catches up), so it never counts as the "other" active journey.
    # A journey only making its after-care calls is no obstacle: they go on beside this one.
    other_active = JourneyRow.filter(client_id=client.id, active=True).exclude(id=journey_id)
    other_active = other_active.exclude(stage__in=AFTER_CARE_ONLY)
    if await other_active.exists():
        return invalid("clientId", "the client already has an active journey", Code.NOT_ALLOWED_NOW)
    # Held by this very journey id: a retry of this request, or one running beside it; the
    # start below converges on one workflow either way.
    held_by = await claim_client(client.id, journey_id)
    if held_by is not None and held_by != journey_id:
        return invalid("clientId", "the client already has an active journey", Code.NOT_ALLOWED_NOW)
    # A recheck on its way holds no claim of this kind (the journey it came from keeps it, and
    # may only be making its calls): one whose worker has not written its row yet is found here.
    # Asked after claiming, so a recheck claimed later opens beside this journey, as it may.
    if held_by is None and await _recheck_starting(info.context.gateway, client, journey_id):
        await release_claim_of_missing_journey(client.id, journey_id)  # never started
        return invalid("clientId", "the client already has an active journey", Code.NOT_ALLOWED_NOW)
    start = await _journey_start(info, input, client, journey_id, actor, claims.clinic_id)
    # If Temporal's answer is lost the journey may be running: the claim and the draft stay.
    # A retry with the key converges on it; `glowpath reconcile` releases the claim once
    # Temporal says the workflow does not exist, and voids the draft.
    try:
        await info.context.gateway.start(start)
    except DomainError as error:
        # Temporal answered that this journey's workflow has closed: the claim may go.
        await release_claim_of_missing_journey(client.id, journey_id)
        return from_domain(error)
    await _referred(partner_id, journey_id, client, actor.user_id)
    note_write(info, client.id)
    await idempotency.settle(actor.user_id, input, journey_id)
    return await _started(journey_id, client.id)


async def _recheck_starting(gateway: JourneyGateway, client: ClientRow, journey_id: str) -> bool:
    """Whether a recheck claimed for the client runs without a read-model row yet (its worker
    behind or restarting): on its way, as one whose row says so (`other_active`). A claim whose
    recheck Temporal never heard of (its request died before the start) is no obstacle.

    Temporal not saying is no refusal (the recheck may not be on its way): the claim this
    request just made for `journey_id` goes, as its journey never started, and
    `JourneyUnavailable` answers `Unavailable` (`schema.unanswered`), the key left open. Its
    retry is then judged as a fresh request would be: claimed and asked again."""
    claim = await ActiveRecheckClaim.get_or_none(client_id=client.id)
    if claim is None or await JourneyRow.exists(id=claim.journey_id):
        return False
    try:
        return await gateway.running(claim.journey_id)
    except JourneyUnavailable:
        await release_claim_of_missing_journey(client.id, journey_id)
        raise


def _salon_unnamed(input: StartJourneyInput) -> bool:
    return input.channel is ArrivalChannel.PARTNER_REFERRAL and input.partner_id is None


def _keyed_journey_id(ledger: KeyClaim) -> str:
    """The journey (and workflow) id of a keyed start, from its key's claim: every attempt of
    one request names one journey. A claim written before salts has "account:key" as its seed,
    the id that release gave the journey."""
    return str(uuid.uuid5(_JOURNEY_IDS, ledger.seed))


async def _started_under_key(ledger: KeyClaim) -> bool:
    """Whether this request's first attempt started its journey (its id comes from the claim)."""
    return bool(ledger.seed) and await JourneyRow.exists(id=_keyed_journey_id(ledger))


async def _referred(
    partner_id: str | None, journey_id: str, client: ClientRow, actor_id: str
) -> None:
    """The partner that sent the client, once the journey exists (its statement and its
    first-consultation deadline read this)."""
    if partner_id is not None:
        await partner_reads.record_referral(
            client.clinic_id, partner_id, journey_id, client.id, actor_id
        )


async def _journey_start(
    info: Info[Context, None],
    input: StartJourneyInput,
    client: ClientRow,
    journey_id: str,
    actor: Actor,
    clinic_id: str,
) -> JourneyStart:
    history = await client_history(client.id)
    today = await clinic_today(info, clinic_id)
    # A client or a salon that sent the client decides their route at the desk (the referrer's
    # consultant, an A-class salon's): the desk hears of "other" before any referral.
    referred = input.channel in (ArrivalChannel.CLIENT_REFERRAL, ArrivalChannel.PARTNER_REFERRAL)
    decision = categorise(
        history,
        wants_recheck=input.recheck,
        other=input.other,
        new_questions=input.new_questions,
        newcomer=Newcomer(senior=is_senior(client.birth_date, today) and not referred),
    )
    # The client comes for the recheck a handover booked (seed 004 registers one with new
    # questions as a repeat purchase: they came for the recheck all the same).
    comes_for_recheck = decision.category in (VisitCategory.RECHECK, VisitCategory.REPEAT_PURCHASE)
    booking = None
    if input.recheck and comes_for_recheck:
        booking = await open_booking(client.id, clinic_id, datetime.now(UTC))
    body = {
        "reason": input.reason,
        "category_reason": decision.reason,
        "channel": input.channel.value,
        "partner_id": decode_id(input.partner_id, "Partner") if input.partner_id else None,
        **({BOOKED_RECHECK_OF: booking} if booking else {}),
    }
    record_id = await records.draft_record(
        journey_id, "reception", body, actor.user_id, await records.opening_record_id(journey_id)
    )
    return JourneyStart(
        journey_id=journey_id,
        clinic_id=clinic_id,
        client_id=client.id,
        visit_category=decision.category,
        channel=input.channel,
        client_is_minor=is_minor(client.birth_date, today),
        started_by=actor,
        checked_in=input.checked_in,
        follow_up_offsets=list(info.context.config.follow_up_offsets or DEFAULT_FOLLOW_UP_OFFSETS),
        record_id=record_id,
        sla_overrides=await clinic_sla_overrides(clinic_id),
        linked_journey_id=booking,
    )


async def _started(
    journey_id: str, client_id: str, *, settle: tuple[str, StartJourneyInput] | None = None
) -> JourneyResult:
    """The journey a start produced; the key's client must be the same one. `settle`:
    (account, input) whose key to record it under, when the first answer was lost."""
    row = await JourneyRow.get_or_none(id=journey_id)
    if row is not None and row.client_id != client_id:
        return from_domain(records.key_reused())
    if row is not None and settle is not None:
        await idempotency.settle(*settle, journey_id)
    if row is None:
        # Started, but its first events are not in the read model yet (the database blinked and
        # the workflow writes them later): the same key will find the journey.
        return from_domain(Conflict("the journey started; its record is still being written"))
    return JourneyPayload(journey=Journey.from_row(row))
