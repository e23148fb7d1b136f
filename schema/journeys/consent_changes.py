"""A doubting client's second talk (`deferConsent`) and a consent withdrawn (`withdrawConsent`).

Deferring keeps the journey in CONSENT: the stage's SLA keeps running, so the cockpit sees a
consent that waits too long. A withdrawal of a consent the treatment needs, before the treatment
began, stops the journey (DECLINED); any other withdrawal is recorded and the journey goes on.
Either way the signature stays in the file, marked withdrawn. A PHOTO, DATA_PROCESSING or
DATA_SHARING consent outlives its journey: once the journey has ended, its withdrawal is
recorded without it (`withdrawal_after_journey`).
"""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from domain.journey.facts import ActionDetails
from domain.journey.stages import ConsentKind
from domain.journey.table import Action
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim
from schema import idempotency
from schema.consents.signing import write_withdrawal
from schema.context import Context
from schema.journeys.actions import JourneyResult, run_noted_action, run_recorded_action
from schema.journeys.withdrawal_after_journey import withdrawn_after_the_journey
from schema.photos.signed_purposes import withdraw_signed_purposes
from schema.text import check_text


@strawberry.input(description="The client wants more time: a second talk before signing.")
class DeferConsentInput:
    journey_id: strawberry.ID = strawberry.field(description="The journey waiting in CONSENT.")
    note: str | None = strawberry.field(
        default=None, description="What the client doubts; kept in the record, not in the event."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="The client withdraws a consent they signed.")
class WithdrawConsentInput:
    journey_id: strawberry.ID = strawberry.field(description="The journey it was signed in.")
    kind: ConsentKind = strawberry.field(description="Which consent is withdrawn.")
    note: str | None = strawberry.field(
        default=None, description="What the client said; kept in the record, not in the event."
    )
    idempotency_key: str | None = idempotency.key_field()


async def defer_consent(info: Info[Context, None], input: DeferConsentInput) -> JourneyResult:
    return await run_noted_action(
        info, input, Action.DEFER_CONSENT, field="note", text=input.note, required=False
    )


async def withdraw_consent(info: Info[Context, None], input: WithdrawConsentInput) -> JourneyResult:
    actor = info.context.actor
    problems = check_text("note", input.note, required=False)
    if not problems:  # a note refused is answered on the journey's path, the key unclaimed
        after_the_journey = await withdrawn_after_the_journey(info, input)
        if after_the_journey is not None:
            return after_the_journey

    async def mark(journey: JourneyRow, ledger: KeyClaim | None) -> None:
        assert actor is not None  # run_action refuses callers without one
        withdrawal_id = idempotency.derived_id(ledger, "consent_withdrawal")
        # What stood when the client withdrew is withdrawn, on every attempt: a retry after a
        # lost answer must not take back what the client signed or gave since.
        asked_at = await idempotency.first_asked_at(actor.user_id, input)
        seed_id = withdrawal_id or str(uuid.uuid4())
        await write_withdrawal(seed_id, journey, input.kind, actor.user_id, asked_at)
        if input.kind is ConsentKind.PHOTO:  # its purposes go with it
            by = (actor.user_id, actor.role.value)
            await withdraw_signed_purposes(journey, seed_id, by, asked_at)

    return await run_recorded_action(
        info,
        input,
        Action.WITHDRAW_CONSENT,
        problems=problems,
        details=ActionDetails(consent_kind=input.kind),
        record_kind="consent_withdrawal",
        keep_record=bool(input.note),
        after_accepted=mark,
    )
