"""A journey's signature whose consent was withdrawn before its row was written.

The journey takes the signing step, and the signature's row is written after (`signConsent`'s
`after_accepted`). A withdrawal sent in between takes its own step (the journey counts the
consent signed) and marks the signature in force when it was asked: there was no row yet, so it
marked nothing, and the row written after it stood in force, a disclosure standing on it, while
the journey counted the consent withdrawn. So once its row is written, the signing looks at the
journey's log: a step after its own that left the consent's kind unsigned (only a withdrawal
does) withdrew it, and the row is marked withdrawn as that step's withdrawal would have.
"""

from __future__ import annotations

from domain.journey.stages import ConsentKind
from domain.journey.table import Action
from domain.store.consents import ConsentSignature as SignatureRow
from domain.store.consents import ConsentWithdrawal
from domain.store.disclosures import client_locked
from domain.store.models import JourneyEvent
from schema.consents.signing import mark_withdrawn


async def _signing_seq(journey_id: str, kind: ConsentKind, draft_id: str | None) -> int | None:
    """The journey's event of this signing: the one its draft names (a keyed request), else the
    newest signing of its kind."""
    events = JourneyEvent.filter(journey_id=journey_id)
    if draft_id is not None:
        own = await events.filter(record_id=draft_id).first()
        if own is not None:
            return own.seq
    signings = events.filter(action=Action.SIGN_CONSENT.value, summary__startswith=kind.value)
    newest = await signings.order_by("-seq").first()
    return newest.seq if newest is not None else None


async def withdrawn_since_signed(
    journey_id: str, kind: ConsentKind, draft_id: str | None
) -> JourneyEvent | None:
    """The first step the journey took after this signing (`draft_id`: its draft, if keyed)
    that left its kind unsigned: only a withdrawal does. None when there is none."""
    own_seq = await _signing_seq(journey_id, kind, draft_id)
    if own_seq is None:
        return None
    later = JourneyEvent.filter(journey_id=journey_id, seq__gt=own_seq, facts__isnull=False)
    for event in await later.order_by("seq"):
        if kind.value not in event.facts.get("consents_signed", []):
            return event
    return None


def _is_signing(event: JourneyEvent, kind: ConsentKind) -> bool:
    return event.action == Action.SIGN_CONSENT.value and event.summary.startswith(kind.value)


async def signing_withdrawn_last(journey_id: str, kind: ConsentKind) -> JourneyEvent | None:
    """The journey's signing of `kind` its newest withdrawal took back: the newest signing a
    later step left unsigned (a signing taken after that withdrawal stands, and is passed
    over). None when no step withdrew one."""
    withdrawn = False
    for event in await JourneyEvent.filter(journey_id=journey_id).order_by("-seq"):
        if _is_signing(event, kind) and withdrawn:
            return event
        if event.facts is not None and kind.value not in event.facts.get("consents_signed", []):
            withdrawn = True
    return None


async def withdraw_if_withdrawn_since(
    signature: SignatureRow, kind: ConsentKind, draft_id: str | None, withdrawal_id: str
) -> None:
    """Marks the journey's `signature` withdrawn (as `withdrawal_id`) when a step the journey
    took after its signing withdrew its kind; nothing otherwise, or when it is marked already
    (the withdrawal found its row, or this request's other attempt marked it)."""
    journey_id = signature.journey_id
    if journey_id is None:
        return
    withdrawal = await withdrawn_since_signed(journey_id, kind, draft_id)
    if withdrawal is None:
        return
    # Under the client's lock, as every withdrawal of a consent: a disclosure checking it waits.
    async with client_locked(signature.client_id) as connection:
        if await ConsentWithdrawal.exists(signature_id=signature.id, using_db=connection):
            return
        await mark_withdrawn(signature.id, withdrawal_id, withdrawal.actor_id, withdrawal.at)
