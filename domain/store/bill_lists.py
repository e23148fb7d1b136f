"""A bill's payments and refunds, page by page, oldest first, and what they come to.

Many small payments, or money given back and paid again after the treatment began, grow both
lists without limit, so they are read a page at a time, each after the row the reader saw last.
The bill's sums are counted by the database over every row, whatever page is read. A payment's
own refunds are read up to `MAX_REFUNDS_PER_PAYMENT` (all it takes since that bound; one given
back more often before it still costs no more to list).
"""

from __future__ import annotations

from tortoise import connections
from tortoise.expressions import Q
from tortoise.functions import Sum

from domain.money.refund_kinds import RefundKind
from domain.store.billing import Payment, Refund
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from domain.store.sql import as_models, columns_of, is_postgres, marks


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


def first_refunds(payments: str) -> str:
    """SQL of the first `MAX_REFUNDS_PER_PAYMENT` refunds of each payment `payments` selects
    (SQL answering their ids), oldest first."""
    columns = ", ".join(f'"{c}"' for c in columns_of(Refund))
    numbered = (
        f"SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY payment_id ORDER BY recorded_at, id)"
        f" AS place FROM refund WHERE payment_id IN ({payments})"
    )
    return (
        f"SELECT {columns} FROM ({numbered}) AS numbered"
        f" WHERE place <= {MAX_REFUNDS_PER_PAYMENT} ORDER BY recorded_at, id"
    )


async def refunds_of(payment_ids: list[str]) -> list[Refund]:
    """The first refunds of the payments (`first_refunds`), oldest first."""
    if not payment_ids:
        return []
    db = connections.get("default")
    sql = first_refunds(", ".join(marks(is_postgres(db), len(payment_ids))))
    return as_models(Refund, await db.execute_query_dict(sql, payment_ids))


async def bill_sums(bill_id: str) -> tuple[int, int, int]:
    """(paid, given back, given back as goodwill): every payment against the bill, every refund
    of them, and of those the ones the bill no longer asks for (`domain.money.standing`)."""
    paid = await Payment.filter(bill_id=bill_id).annotate(s=Sum("amount_minor")).values_list("s")
    refunds = Refund.filter(bill_id=bill_id)
    given = await refunds.annotate(s=Sum("amount_minor")).values_list("s")
    goodwill = refunds.filter(kind=RefundKind.GOODWILL.value)
    conceded = await goodwill.annotate(s=Sum("amount_minor")).values_list("s")
    return int(paid[0][0] or 0), int(given[0][0] or 0), int(conceded[0][0] or 0)
