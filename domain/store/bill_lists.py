"""A bill's payments and refunds, page by page, oldest first, and what they come to.

Many small payments, or money given back and paid again after the treatment began, grow both
lists without limit, so they are read a page at a time, each after the row the reader saw last.
The bill's sums are counted by the database over every row, whatever page is read.
"""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.functions import Sum

from domain.store.billing import Payment, Refund


async def bill_payments(bill_id: str, first: int, after: str | None) -> list[Payment] | None:
    """The bill's next `first` payments by receipt number, after the payment `after` (a raw id);
    None when `after` is not a payment of this bill."""
    query = Payment.filter(bill_id=bill_id)
    if after is not None:
        last = await Payment.get_or_none(id=after, bill_id=bill_id)
        if last is None:
            return None
        query = query.filter(receipt_number__gt=last.receipt_number)
    return await query.order_by("receipt_number", "id").limit(first)


async def bill_refunds(bill_id: str, first: int, after: str | None) -> list[Refund] | None:
    """The bill's next `first` refunds by when they were given, after the refund `after` (a raw
    id); None when `after` is not a refund of this bill."""
    query = Refund.filter(bill_id=bill_id)
    if after is not None:
        last = await Refund.get_or_none(id=after, bill_id=bill_id)
        if last is None:
            return None
        at = last.recorded_at
        query = query.filter(Q(recorded_at__gt=at) | Q(recorded_at=at, id__gt=last.id))
    return await query.order_by("recorded_at", "id").limit(first)


async def refunds_of(payment_ids: list[str]) -> list[Refund]:
    """The refunds of the payments, oldest first."""
    return await Refund.filter(payment_id__in=payment_ids).order_by("recorded_at", "id")


async def bill_sums(bill_id: str) -> tuple[int, int]:
    """(paid, given back): every payment against the bill, and every refund of them."""
    paid = await Payment.filter(bill_id=bill_id).annotate(s=Sum("amount_minor")).values_list("s")
    given = await Refund.filter(bill_id=bill_id).annotate(s=Sum("amount_minor")).values_list("s")
    return int(paid[0][0] or 0), int(given[0][0] or 0)
