"""`Journey.payments`: a page of a journey's payments, with a bill or without, and their refunds.

A payment taken before any bill exists (a deposit on the plan's price, `recordPayment` with no
`billId`) belongs to no bill, so `bill { payments }` never lists it: this is where the SPA finds
its id to give money back (`recordRefund`). Paged as a bill's payments are (`first`, `after`,
the same defaults), so the answer-size estimate counts a list of journeys' payments at the pages
asked.
"""

from __future__ import annotations

from strawberry.types import Info

from domain.store.billing import Payment as PaymentRow
from domain.store.journey_payments import JourneyPage
from domain.store.models import Journey as JourneyRow
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from schema.audit.collector import note_access
from schema.context import Context
from schema.ids import decode_id
from schema.input_check import check_list_page, not_in_list
from schema.money.bill_types import BILL_READ, MAX_BILL_PAGE, PAYMENT_ID_TYPE, Payment

JOURNEY_PAYMENTS = (
    "Payments of the journey, against its bill or taken without one (a deposit before the bill "
    "existed), oldest first (by receipt number), each with its refunds (at most "
    f"{MAX_REFUNDS_PER_PAYMENT}): those after the payment `after` names, at most `first` of "
    "them. A page of `first` may have more after it: ask again with the last one's `id` as "
    "`after`. `Payment.id` is what `recordRefund` takes. Empty when nothing was paid. The "
    "cashiers' and supervisors' to read, as a bill's payments: null with a NOT_AUTHORIZED error "
    "entry for other roles."
)
PAGE_SIZE = f"How many, 1 to {MAX_BILL_PAGE}."
PAGE_START = "The `id` of the last payment of this journey already read."


async def journey_payments(
    info: Info[Context, None], journey: JourneyRow, first: int, after: str | None
) -> list[Payment]:
    check_list_page(first, MAX_BILL_PAGE)
    claims = info.context.claims
    if claims is None or claims.clinic_id != journey.clinic_id:
        return []  # a clinic's money is read by its own staff only
    after_receipt = 0
    if after is not None:
        raw = decode_id(after, PAYMENT_ID_TYPE) or ""
        last = await PaymentRow.get_or_none(id=raw, journey_id=journey.id)
        if last is None or last.clinic_id != journey.clinic_id:
            raise not_in_list("a payment of this journey")
        after_receipt = last.receipt_number
    page = JourneyPage(journey.id, journey.clinic_id, first, after_receipt)
    found = await info.context.loaders.journey_payments.load(page)
    note_access(journey.client_id, BILL_READ)  # what the client paid: read as a bill is
    return [Payment.from_row(p, found.locale, found.refunds) for p in found.payments]
