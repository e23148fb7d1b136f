"""`withdrawSharingConsent`: the client takes back her consent to share her file, at any time.

Every DATA_SHARING signature of hers in force when she asked is marked withdrawn, those signed
for her (`signSharingConsent`) and those signed in a journey alike: her word stops every sharing,
and `recordFileDisclosure` stands on any of them. Written under the client's lock, which a
disclosure takes to check the consent and write, so none slips through beside it. A retry after
a lost answer answers what its first attempt withdrew, and leaves a consent signed since alone;
so does one whose first attempt withdrew them and never recorded its answer, though none is in
force by then. Requests sent at once withdraw once: each other one is answered as one sent after
it, none in force (it answered an empty list).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from strawberry.types import Info

from domain.consent.after_journey import not_in_force
from domain.journey.stages import ConsentKind
from domain.store import records
from domain.store.consents import ConsentSignature as SignatureRow
from domain.store.consents import ConsentWithdrawal
from domain.store.disclosures import client_locked
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import visible_client
from schema.clients.file_mutations import invalid
from schema.consents.documents import withdrawals_of
from schema.consents.sharing_types import (
    SharingConsentWithdrawalPayload,
    WithdrawSharingConsentInput,
    WithdrawSharingConsentResult,
)
from schema.consents.signing import mark_withdrawn
from schema.consents.types import ConsentSignature
from schema.context import Context
from schema.errors import from_domain, not_authorized, not_found

KIND = ConsentKind.DATA_SHARING.value


def _withdrawal_id(ledger: KeyClaim | None, signature_id: str) -> str | None:
    """One id per signature the request withdraws, the same for every attempt of it."""
    return idempotency.derived_id(ledger, f"sharing_withdrawal:{signature_id}")


def _withdrew(signature_ids: list[str]) -> Callable[[KeyClaim], Awaitable[bool]]:
    """Whether the request's first attempt withdrew any of these signatures (each withdrawal's
    id comes from the claim)."""

    async def withdrew(earlier: KeyClaim) -> bool:
        ids = [_withdrawal_id(earlier, signature_id) for signature_id in signature_ids]
        return await ConsentWithdrawal.exists(id__in=[i for i in ids if i is not None])

    return withdrew


async def withdraw_sharing_consent(
    info: Info[Context, None], input: WithdrawSharingConsentInput
) -> WithdrawSharingConsentResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return invalid([bad_key])
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("client")
        )
    signed = await SignatureRow.filter(client_id=client.id, kind=KIND).values_list("id", flat=True)
    in_force = set(map(str, signed)) - set(await withdrawals_of([str(i) for i in signed]))
    if not in_force:
        # A retry whose first attempt withdrew them (its answer lost) answers what it withdrew.
        refusal = from_domain(not_in_force(ConsentKind.DATA_SHARING, "clientId"))
        withdrew = _withdrew([str(i) for i in signed])
        refused = await idempotency.refusal_answer(
            info, actor.user_id, input, refusal, went_through=withdrew
        )
        if refused is not None:
            return refused  # type: ignore[return-value]
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    asked_at = await idempotency.first_asked_at(actor.user_id, input)
    async with client_locked(client.id) as connection:
        signatures = SignatureRow.filter(client_id=client.id, kind=KIND, signed_at__lte=asked_at)
        rows = await signatures.using_db(connection).order_by("signed_at", "id")
        standing = ConsentWithdrawal.filter(signature_id__in=[row.id for row in rows])
        withdrawn = {w.signature_id: w.id for w in await standing.using_db(connection)}
        ids = {row.id: _withdrawal_id(ledger, row.id) or str(uuid.uuid4()) for row in rows}
        for row in rows:
            if row.id not in withdrawn:
                withdrawn[row.id] = await _withdraw(row.id, ids[row.id], actor.user_id)
    mine = [row for row in rows if withdrawn[row.id] == ids[row.id]]
    if not mine and idempotency.answered(ledger) is None:
        # Another request sent at once withdrew every one after this one looked: nothing was
        # done, and it is answered as a request sent after that one, none in force. The key
        # stays unsettled, so its retry finds none in force and hears the same.
        return from_domain(not_in_force(ConsentKind.DATA_SHARING, "clientId"))  # type: ignore[return-value]
    note_write(info, client.id)
    await idempotency.settle(actor.user_id, input, client.id)
    at = await withdrawals_of([row.id for row in mine])
    return SharingConsentWithdrawalPayload(
        withdrawn=[ConsentSignature.from_row(row, at.get(row.id)) for row in mine]
    )


async def _withdraw(signature_id: str, withdrawal_id: str, by: str) -> str:
    """The id of the signature's withdrawal: this one, or one written beside it (this request's
    other attempt) when the database refused a second."""
    return await mark_withdrawn(signature_id, withdrawal_id, by, datetime.now(UTC))
