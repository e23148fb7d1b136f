"""The purposes a signed PHOTO consent gives, and what withdrawing it takes back.

Signing (on a published template or on a paper form) writes one change per purpose and a grant
naming them, in one transaction; withdrawing the consent withdraws the purposes its grant gave
that its giving still decides (`domain.photos.purposes.withdrawn_with_consent`), and, when the
clinical record is among them, closes the client's open photo reminders. A PHOTO consent
signed before grants were kept has none: its withdrawal ends every purpose in force, as it did
then, since nothing says which purposes it gave. A withdrawal answered while a signing is still
being written finds none either: the signing takes back what its grant gave once it is written
(`withdraw_grant`), and the withdrawal ends nothing else (`grant_to_come`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.photos.purposes import PhotoPurpose, withdrawn_with_consent
from domain.store.models import Journey as JourneyRow
from domain.store.photo_tasks import close_without_consent
from domain.store.photos import PhotoConsentChange as ChangeRow
from domain.store.photos import PhotoConsentGrant as GrantRow
from domain.store.photos import as_change, latest_changes, withdrew_given
from schema.photos.grant_to_come import grant_to_come


def _change_id(seed_id: str, purpose: PhotoPurpose | str) -> str:
    """The id of the change a request (`seed_id`, its derived id) makes to `purpose`."""
    value = purpose.value if isinstance(purpose, PhotoPurpose) else purpose
    return f"{seed_id[:48]}-{value.lower()}"


def _change(
    journey: JourneyRow, purpose: str, given: bool, signature_id: str | None, by: tuple[str, str]
) -> dict[str, Any]:
    """The columns of a change to the journey's client's `purpose`, made by `by` (user, role)."""
    return {
        "clinic_id": journey.clinic_id,
        "client_id": journey.client_id,
        "purpose": purpose,
        "given": given,
        "signature_id": signature_id,
        "recorded_by": by[0],
        "recorded_by_role": by[1],
    }


async def _write(change_id: str, **values: Any) -> ChangeRow:
    try:
        return await ChangeRow.create(id=change_id, recorded_at=datetime.now(UTC), **values)
    except IntegrityError:
        return await ChangeRow.get(id=change_id)  # this request's earlier attempt


async def record_signed_purposes(
    journey: JourneyRow,
    purposes: Iterable[PhotoPurpose],
    seed_id: str,
    signature_id: str | None,
    witness: tuple[str, str],
) -> None:
    """A signed PHOTO consent gives its purposes: one change per purpose and the grant naming
    them, under ids derived from `seed_id` (the request's), so a retried signing converges on
    the same rows. `signature_id`: the signature row, when signed on a published template."""
    grant_id = seed_id[:64]
    if await GrantRow.exists(id=grant_id):
        return  # this request's earlier attempt recorded them
    changes = {purpose.value: _change_id(seed_id, purpose) for purpose in dict.fromkeys(purposes)}
    now = datetime.now(UTC)
    try:
        async with in_transaction() as connection:
            for purpose, change_id in changes.items():
                # An earlier attempt, by a release that kept no grant, may have written it.
                if await ChangeRow.filter(id=change_id).using_db(connection).exists():
                    continue
                await ChangeRow.create(
                    using_db=connection,
                    id=change_id,
                    recorded_at=now,
                    **_change(journey, purpose, True, signature_id, witness),
                )
            await GrantRow.create(
                using_db=connection,
                id=grant_id,
                clinic_id=journey.clinic_id,
                client_id=journey.client_id,
                journey_id=journey.id,
                signature_id=signature_id,
                changes=changes,
                granted_by=witness[0],
                granted_at=now,
            )
    except IntegrityError:
        if not await GrantRow.exists(id=grant_id):
            raise
        # an attempt of this request running beside this one recorded them


async def withdraw_signed_purposes(
    journey: JourneyRow, seed_id: str, by: tuple[str, str], asked_at: datetime
) -> None:
    """A withdrawn PHOTO consent withdraws what it gave: the journey's consent in force when the
    withdrawal was asked (`asked_at`: its latest grant by then), one change per purpose, under
    ids derived from `seed_id` (the request's). A retry after a lost answer finds the changes
    its first attempt wrote, writes those it died before, and leaves a purpose the client
    decided since (by then the purpose's latest change is not the grant's) as it stands."""
    grant = (
        await GrantRow.filter(journey_id=journey.id, granted_at__lte=asked_at)
        .order_by("-granted_at", "-id")
        .first()
    )
    if grant is None:
        # A signing still being written takes back what it gave itself, and nothing else
        # goes: only a consent signed before grants were kept ends every purpose in force.
        if not await grant_to_come(journey.id):
            await _withdraw_every_purpose_in_force(journey, seed_id, by, asked_at)
    else:
        await _withdraw_granted(journey, grant, seed_id, by)
    await _close_reminders_if_clinical_withdrawn(journey, seed_id, by)


async def withdraw_grant(
    journey: JourneyRow, signing_seed_id: str, seed_id: str, by: tuple[str, str]
) -> None:
    """Withdraws what the signing (`signing_seed_id`, as given to `record_signed_purposes`)
    gave and its giving still decides, as a withdrawal by `by` answered before its grant was
    written would have, under ids derived from `seed_id`; a retry withdraws nothing more."""
    grant = await GrantRow.get_or_none(id=signing_seed_id[:64])
    if grant is None:
        return
    await _withdraw_granted(journey, grant, seed_id, by)
    await _close_reminders_if_clinical_withdrawn(journey, seed_id, by)


async def _withdraw_granted(
    journey: JourneyRow, grant: GrantRow, seed_id: str, by: tuple[str, str]
) -> None:
    granted = {PhotoPurpose(p): change_id for p, change_id in grant.changes.items()}
    (latest,) = await latest_changes([journey.client_id])
    for purpose in withdrawn_with_consent(granted, (as_change(row) for row in latest)):
        await _withdrawal(journey, seed_id, purpose.value, by)


async def _close_reminders_if_clinical_withdrawn(
    journey: JourneyRow, seed_id: str, by: tuple[str, str]
) -> None:
    # A clinical record it took back closes her photo reminders, on this attempt or a retry
    # (which finds the change under its id): a withdrawal that took back none closes none.
    clinical = await ChangeRow.get_or_none(id=_change_id(seed_id, PhotoPurpose.CLINICAL_RECORD))
    if clinical is not None and await withdrew_given(clinical):
        await close_without_consent(journey.client_id, by)


async def _withdraw_every_purpose_in_force(
    journey: JourneyRow, seed_id: str, by: tuple[str, str], asked_at: datetime
) -> None:
    """A PHOTO consent signed before grants were kept: every purpose in force for the client's
    photos when the withdrawal was asked is withdrawn, since nothing names what it gave.

    A purpose whose latest change came after that moment was decided by the client since (a
    `setPhotoConsent`, a new signature): a new decision the withdrawal never saw, which a
    retry of it after a lost answer must leave standing, as the first attempt would have. A
    purpose still in force by a change from before it is one the first attempt withdrew (its
    row is found under its id) or died before withdrawing (written now)."""
    (latest,) = await latest_changes([journey.client_id])
    for row in sorted(latest, key=lambda change: change.purpose):
        if not row.given or row.recorded_at > asked_at:
            continue
        await _withdrawal(journey, seed_id, row.purpose, by)


async def _withdrawal(journey: JourneyRow, seed_id: str, purpose: str, by: tuple[str, str]) -> None:
    await _write(_change_id(seed_id, purpose), **_change(journey, purpose, False, None, by))
