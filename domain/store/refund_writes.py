"""Writing a refund: a new entry beside its payment, never beyond what the payment has left,
and the installments it makes owed again (`domain.store.installment_tasks`) with it."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from domain.money.money import Money
from domain.store.billing import Payment, Refund
from domain.store.billing_reads import payment_minor
from domain.store.installment_tasks import owed_again


class OverRefund(Exception):
    """Another refund of the same payment came first: this one would give back too much."""


async def write_refund(refund_id: str, payment: Payment, minor: int, **row: Any) -> None:
    """Written once, and never beyond the payment: the payment's row is locked while the
    refunds so far are summed (SELECT ... FOR UPDATE; SQLite writes one at a time). A refund
    after the treatment began of an installment already due makes it owed again, in the same
    transaction; one before it is the client withdrawing, who owes nothing more."""
    async with in_transaction() as connection:
        await Payment.filter(id=payment.id).select_for_update().using_db(connection).get()
        if await Refund.filter(id=refund_id).using_db(connection).exists():
            return
        earlier = await Refund.filter(payment_id=payment.id).using_db(connection)
        left = payment_minor(payment) - sum(r.amount_minor for r in earlier)
        if minor > left:
            shown = Money.from_minor(left, payment.currency).amount
            raise OverRefund(f"at most {shown} is left to refund")
        await Refund.create(using_db=connection, **row)
        if payment.bill_id is not None and not row["before_treatment"]:
            await owed_again(payment.bill_id, row["recorded_at"])
