"""`Journey.payments`: every payment of a journey, with a bill or without, and its refunds.

A payment taken before any bill exists (a deposit on the plan's price, `recordPayment` with no
`billId`) belongs to no bill, so `bill { payments }` never lists it: this is where the SPA finds
its id to give money back (`recordRefund`).
"""

from __future__ import annotations

from strawberry.types import Info

from domain.store.journey_payments import MAX_JOURNEY_PAYMENTS
from domain.store.models import Journey as JourneyRow
from schema.audit.collector import note_access
from schema.context import Context
from schema.money.bill_types import BILL_READ, Payment

JOURNEY_PAYMENTS = (
    "Every payment of the journey, against its bill or taken without one (a deposit before "
    "the bill existed), oldest first (by receipt number), each with its refunds; at most "
    f"{MAX_JOURNEY_PAYMENTS}. `Payment.id` is what `recordRefund` takes. Empty when nothing "
    "was paid. The cashiers' and supervisors' to read, as a bill's payments: null with a "
    "NOT_AUTHORIZED error entry for other roles."
)


async def journey_payments(info: Info[Context, None], journey: JourneyRow) -> list[Payment]:
    claims = info.context.claims
    if claims is None or claims.clinic_id != journey.clinic_id:
        return []  # a clinic's money is read by its own staff only
    found = await info.context.loaders.journey_payments.load((journey.id, journey.clinic_id))
    note_access(journey.client_id, BILL_READ)  # what the client paid: read as a bill is
    return [Payment.from_row(p, found.locale, found.refunds) for p in found.payments]
