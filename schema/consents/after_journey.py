"""What withdrawing a consent writes once its journey has ended (`domain.consent.after_journey`).

The journey's workflow has finished, so the withdrawal is recorded here alone, in one
transaction: its row (`ConsentWithdrawalAfterJourney`, one per journey and kind: the database
lets one request of several withdraw it), the signature's withdrawal when a published template
was signed, and for a PHOTO consent the purposes it gave taken back. All of it, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.journey.stages import ConsentKind
from domain.store.consents import ConsentWithdrawalAfterJourney as WithdrawalRow
from domain.store.models import Journey as JourneyRow
from schema.consents.signing import write_withdrawal
from schema.photos.signed_purposes import withdraw_signed_purposes


@dataclass(frozen=True)
class LateWithdrawal:
    """One request's withdrawal: the id its rows derive from, and what it says."""

    withdrawal_id: str
    kind: ConsentKind
    note: str | None
    by: tuple[str, str]  # (user, role)
    asked_at: datetime  # when the request was first made: what stood then is withdrawn


async def withdrawn_since(journey: JourneyRow, kind: ConsentKind) -> str | None:
    """The id of the withdrawal of the journey's `kind` consent made after the journey ended."""
    row = await WithdrawalRow.get_or_none(journey_id=journey.id, kind=kind.value)
    return row.id if row is not None else None


async def write_late_withdrawal(journey: JourneyRow, w: LateWithdrawal) -> bool:
    """Writes `w`; False when another request withdrew the consent first. An attempt of the
    same request running beside this one, or done before it, counts as this one (True)."""
    try:
        async with in_transaction():
            await WithdrawalRow.create(
                id=w.withdrawal_id,
                clinic_id=journey.clinic_id,
                client_id=journey.client_id,
                journey_id=journey.id,
                kind=w.kind.value,
                note=w.note,
                recorded_by=w.by[0],
                recorded_by_role=w.by[1],
                withdrawn_at=datetime.now(UTC),
            )
            await write_withdrawal(w.withdrawal_id, journey, w.kind, w.by[0], w.asked_at)
            if w.kind is ConsentKind.PHOTO:  # its purposes go with it
                await withdraw_signed_purposes(journey, w.withdrawal_id, w.by, w.asked_at)
    except IntegrityError:
        standing = await withdrawn_since(journey, w.kind)
        if standing is None:
            raise
        return standing == w.withdrawal_id
    return True
