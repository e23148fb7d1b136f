"""Writing a journey's bills (`createBill`) and their confirmations (`confirmBill`) under the
journey's row lock, where what could refuse them is read again.

The rule is that a confirmed bill stands: a new bill replaces only one the client has not
confirmed, and the client confirms only the journey's current bill. Each request checks it
first, but the check and the write were apart: a bill checked while the current one was not
yet confirmed replaced it once confirmed (the client had signed, and even paid, a bill no
longer current), a confirmation checked before a newer bill was written confirmed the one that
bill replaced, and a first bill checked before a deposit on the plan's price was taken was made
beside it (the client owing both). So both are written in a transaction holding the journey's
row (SELECT ... FOR UPDATE on PostgreSQL; SQLite writes one transaction at a time), the journey
read again under it, its stage and payments, its current bill and that bill's confirmation:
whichever commits second sees the other. Lock order (`staff_locks`): the journey's row, then
the new rows only.

Ids come from the request's idempotency key: an attempt of a request written already, by an
attempt beside it, finds its row under the lock before anything could refuse it, and answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.journey.bill_notes import BILLABLE_STAGES
from domain.journey.codec import facts_from_json
from domain.journey.stages import Stage
from domain.money.bills import DraftBill
from domain.money.partner_split import StaffTreatment
from domain.store.billing import Bill, BillConfirmation, BillLine
from domain.store.billing_reads import current_bill
from domain.store.models import Journey


class Refused(Enum):
    """Why a bill or a confirmation was not written, as the journey's rows stand."""

    NOT_NOW = "not now"  # the journey is not between the expert's approval and its payment
    STANDS = "stands"  # the client confirmed the journey's current bill: no bill replaces it
    # No bill, and a payment was taken on the final plan's price: a bill would not count it.
    PAID_ON_PLAN = "paid on plan"
    REPLACED = "replaced"  # a newer bill replaced the one to confirm
    CONFIRMED = "confirmed"  # the bill to confirm was confirmed by another request


@dataclass(frozen=True)
class NewBill:
    """A bill to write for a journey: its id (from the request's key) and what it holds."""

    bill_id: str
    journey_id: str
    draft: DraftBill
    discount_reason: str | None
    created_by: str
    partner_staff: StaffTreatment


async def refusal_to_bill(journey: Journey) -> Refused | None:
    """Why the journey, as `journey` holds it, takes no new bill; None when it takes one."""
    if Stage(journey.stage) not in BILLABLE_STAGES:
        return Refused.NOT_NOW
    current = await current_bill(journey.id)
    if current is not None and await BillConfirmation.exists(bill_id=current.id):
        return Refused.STANDS
    if current is None and facts_from_json(journey.facts).paid_minor > 0:
        # A journey is paid by its plan's price or by a bill, never both: a bill made after a
        # deposit on the plan would not count it, and the client would owe it twice over.
        return Refused.PAID_ON_PLAN
    return None


async def write_bill(new: NewBill) -> Bill | Refused:
    """The bill with this id (an attempt of its request's, written before), or written now with
    its lines, unless the journey read again under its lock refuses it."""
    try:
        async with in_transaction():
            journey = await Journey.filter(id=new.journey_id).select_for_update().get()
            mine = await Bill.get_or_none(id=new.bill_id)
            if mine is not None:
                return mine
            refused = await refusal_to_bill(journey)
            if refused is not None:
                return refused
            return await _bill_rows(new, journey)
    except IntegrityError:
        # Only a writer that takes no lock (a process of the release before, while a deploy
        # rolls) gets here: its attempt of this very request wrote the bill first.
        written = await Bill.get_or_none(id=new.bill_id)
        if written is None:
            raise
        return written


async def _bill_rows(new: NewBill, journey: Journey) -> Bill:
    bill = new.draft
    row = await Bill.create(
        id=new.bill_id,
        clinic_id=journey.clinic_id,
        journey_id=journey.id,
        client_id=journey.client_id,
        currency=bill.currency,
        subtotal_minor=bill.subtotal.minor,
        discount_minor=bill.discount.minor,
        discount_reason=new.discount_reason,
        discount_granted_by=new.created_by if not bill.discount.is_zero else None,
        total_minor=bill.total.minor,
        partner_staff=new.partner_staff.value,
        created_by=new.created_by,
        created_at=datetime.now(UTC),
    )
    for position, line in enumerate(bill.lines):
        cost = line.item.consumable_cost
        await BillLine.create(
            id=f"{new.bill_id}:{position}",
            bill_id=new.bill_id,
            position=position,
            price_item_id=line.item.item_id,
            item_code=line.item.code,
            kind=line.item.kind.value,
            name=line.item.name,
            quantity=line.quantity,
            list_price_minor=line.item.list_price.minor,
            unit_price_minor=line.unit_price.minor,
            special_price=line.at_special_price,
            minor_procedure=line.item.minor_procedure,
            consumable_cost_minor=cost.minor if cost else 0,
            line_total_minor=line.line_total.minor,
        )
    return row


async def refusal_to_confirm(bill: Bill, confirmation_id: str) -> Refused | None:
    """Why the bill, as its journey's rows stand, takes no confirmation under this id; None
    when it takes it, or this very request's confirmation of it is written already."""
    confirmed = await BillConfirmation.get_or_none(bill_id=bill.id)
    if confirmed is not None:
        return None if confirmed.id == confirmation_id else Refused.CONFIRMED
    current = await current_bill(bill.journey_id)
    return None if current is not None and current.id == bill.id else Refused.REPLACED


async def confirm_bill(bill: Bill, confirmation: BillConfirmation) -> BillConfirmation | Refused:
    """`confirmation` (unsaved) of `bill`, written unless its journey read again under its lock
    refuses it; an attempt of this very request written before (same id) is answered."""
    try:
        async with in_transaction():
            await Journey.filter(id=bill.journey_id).select_for_update().first()
            refused = await refusal_to_confirm(bill, confirmation.id)
            if refused is not None:
                return refused
            mine = await BillConfirmation.get_or_none(id=confirmation.id)
            if mine is not None:
                return mine
            await confirmation.save()
            return confirmation
    except IntegrityError:
        # A writer that takes no lock (a process of the release before, while a deploy rolls)
        # confirmed the bill first: this request's attempt, or another request.
        written = await BillConfirmation.get_or_none(id=confirmation.id)
        return written or Refused.CONFIRMED
