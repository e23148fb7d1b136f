"""Writing a refund: a new entry beside its payment, never beyond what the payment has left nor
past `MAX_REFUNDS_PER_PAYMENT` entries, and the installments it makes owed again
(`domain.store.installment_tasks`) with it."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from domain.money.money import Money
from domain.money.refund_kinds import DEFAULT_REFUND_KIND, RefundKind
from domain.store.billing import Payment, Refund
from domain.store.billing_reads import payment_minor
from domain.store.installment_tasks import owed_again

# A clinic gives a payment back once (the client withdrew) or twice (the rest of a forfeited
# deposit later, a goodwill part after the treatment): five leaves room for three more. Every
# read of a payment answers its refunds whole (`Payment.refunds`), so without a bound one payment
# given back in many 0.01 refunds made every page listing it as long as it liked; at five, a
# default page of 100 payments with every field of each and of its refunds is about 15,000 of the
# 24,000 values one answer may hold (`schema.answer_size`), where ten would be past it.
MAX_REFUNDS_PER_PAYMENT = 5


class OverRefund(Exception):
    """Another refund of the same payment came first: this one would give back too much."""


class TooManyRefunds(Exception):
    """The payment has its `MAX_REFUNDS_PER_PAYMENT` refunds already."""


def too_many_refunds(refunds_so_far: int) -> str | None:
    """Why a payment with `refunds_so_far` refunds takes no more, or None."""
    if refunds_so_far < MAX_REFUNDS_PER_PAYMENT:
        return None
    return (
        f"a payment is given back in at most {MAX_REFUNDS_PER_PAYMENT} refunds, and this one "
        f"has {refunds_so_far}"
    )


async def write_refund(
    refund_id: str, payment: Payment, minor: int, *, corrects: bool = False, **row: Any
) -> None:
    """Written once, and never beyond the payment nor its number of refunds: the payment's row
    is locked while the refunds so far are counted and summed (SELECT ... FOR UPDATE; SQLite
    writes one at a time). A refund
    after the treatment began that undoes its payment (REVERSAL) makes an installment already
    due owed again, in the same transaction; one given back as goodwill lowers what is due as
    much (`domain.money.standing`), and one before the treatment is the client withdrawing, who
    owes nothing more, unless it `corrects` a payment taken in error (the journey going on):
    that one is owed again as after the treatment."""
    async with in_transaction() as connection:
        await Payment.filter(id=payment.id).select_for_update().using_db(connection).get()
        if await Refund.filter(id=refund_id).using_db(connection).exists():
            return
        earlier = await Refund.filter(payment_id=payment.id).using_db(connection)
        left = payment_minor(payment) - sum(r.amount_minor for r in earlier)
        if minor > left:
            shown = Money.from_minor(left, payment.currency).amount
            raise OverRefund(f"at most {shown} is left to refund")
        too_many = too_many_refunds(len(earlier))
        if too_many is not None:
            raise TooManyRefunds(too_many)
        await Refund.create(using_db=connection, **row)
        undone = row.get("kind", DEFAULT_REFUND_KIND.value) == RefundKind.REVERSAL.value
        owed = not row["before_treatment"] or corrects
        if payment.bill_id is not None and owed and undone:
            await owed_again(payment.bill_id, row["recorded_at"])
