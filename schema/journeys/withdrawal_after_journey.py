"""`withdrawConsent` of a consent that outlives its journey, once the journey has ended.

A PHOTO, DATA_PROCESSING or DATA_SHARING consent is withdrawn at any time
(`domain.consent.after_journey`).
While its journey runs, the journey takes the withdrawal as a step (`consent_changes`). Once it
has ended, its workflow is finished and is not asked: the withdrawal is written to the database
alone (`schema.consents.after_journey`), and the answer is the journey as it ended. The key
works as on every step: a retry answers the first result, another input under it is a
`Conflict`, attempts at once write once (the rows' ids derive from the key's claim).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from strawberry.types import Info

from domain.consent.after_journey import (
    late_withdrawal_refusal,
    outlives_its_journey,
    withdrawn_already,
)
from domain.journey.codec import facts_from_json
from domain.journey.stages import Stage
from domain.store import records
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim
from schema import idempotency
from schema.consents.after_journey import LateWithdrawal, withdrawn_since, write_late_withdrawal
from schema.context import Context
from schema.errors import from_domain
from schema.journeys.actions import (
    JourneyOutcome,
    JourneyPayload,
    load_visible_journey,
    ran_on,
    settled_answer,
)
from schema.journeys.types import Journey
from schema.update_ids import update_taken

if TYPE_CHECKING:
    from schema.journeys.consent_changes import WithdrawConsentInput

WITHDRAWAL_KIND = "consent_withdrawal_after_journey"  # the kind of id its row derives


async def withdrawn_after_the_journey(
    info: Info[Context, None], input: WithdrawConsentInput
) -> JourneyOutcome | None:
    """The answer when the consent outlives a journey that has ended; None when the journey's
    own path answers: the journey runs (or is not the caller's to see), the consent ends with
    it, the key is malformed, or this request's first attempt was the journey's step, taken
    before it ended (the journey answers its retry)."""
    actor = info.context.actor
    if actor is None or not outlives_its_journey(input.kind):
        return None
    if records.key_problem(idempotency.key_of(input)) is not None:
        return None
    row = await load_visible_journey(info, input.journey_id)
    if row is None or not Stage(row.stage).is_terminal:
        return None
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first_result = idempotency.answered(ledger)
    if first_result is not None:
        if first_result != row.id:
            return idempotency.conflict()
        return JourneyPayload(journey=Journey.from_row(row))
    withdrawal_id = idempotency.derived_id(ledger, WITHDRAWAL_KIND) or str(uuid.uuid4())
    standing = await withdrawn_since(row, input.kind)
    if standing != withdrawal_id:
        if ledger is not None and await _the_journeys_step(info, row, input, ledger):
            return None
        facts = facts_from_json(row.facts)
        refused = late_withdrawal_refusal(facts, actor, input.kind, standing is not None)
        if refused is not None:
            return from_domain(refused)
        withdrawal = LateWithdrawal(
            withdrawal_id=withdrawal_id,
            kind=input.kind,
            note=input.note or None,
            by=(actor.user_id, actor.role.value),
            asked_at=await idempotency.first_asked_at(actor.user_id, input),
        )
        if not await write_late_withdrawal(row, withdrawal):
            # Another request withdrew it between the look and the write.
            return from_domain(withdrawn_already(input.kind))
    return await settled_answer(info, input, row, actor.user_id)


async def _the_journeys_step(
    info: Info[Context, None], row: JourneyRow, input: WithdrawConsentInput, ledger: KeyClaim
) -> bool:
    """Whether an earlier attempt of this request was taken by the journey as its step, before
    the journey ended: asked only of a claim left unfinished (a first attempt whose answer was
    lost), and only of Temporal's record of updates (the journey is sent nothing)."""
    actor, key = info.context.actor, idempotency.key_of(input)
    if actor is None or key is None or not idempotency.unfinished(ledger):
        return False
    return await update_taken(actor.user_id, key, ledger, ran_on(info, row.id))
