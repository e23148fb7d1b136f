"""Which payment a bill may take next, by kind: a table, checked before the journey is asked.

Amounts are whole minor units. `paid` is what the bill holds: its payments less their refunds
(before treatment a refund ends the journey; after it, money given back is owed again and is
paid again, unless it was given back as goodwill, which the bill no longer asks for). Whether a
payment is the first is told by the kinds taken, not by what is held: a bill paid and given
back in full has had its first payment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.stages import PaymentKind
from domain.money import standing
from domain.money.money import Money


@dataclass(frozen=True)
class BillState:
    total: int
    paid: int  # held: the payments less their refunds (`standing.held`)
    kinds: frozenset[PaymentKind]  # the kinds paid against the bill so far
    currency: str
    goodwill: int = 0  # of its refunds, those given back as goodwill (`standing`)

    @property
    def outstanding(self) -> int:
        # A payment is taken only on a journey that goes on: its bill is judged as still owed.
        return standing.outstanding(
            self.total, self.paid, goodwill_minor=self.goodwill, ended_before_treatment=False
        )


Rule = Callable[[BillState, int], bool]
K = PaymentKind

# kind -> (whether it may be paid now, what staff hear when not)
RULES: dict[PaymentKind, tuple[Rule, str]] = {
    K.FULL: (
        lambda b, amount: not b.kinds and amount == b.total,
        "the whole bill, as the first payment (the rest after a deposit is a TOP_UP)",
    ),
    K.DEPOSIT: (
        lambda b, amount: not b.kinds and amount < b.total,
        "a deposit is the first payment and less than the bill",
    ),
    K.TOP_UP: (
        lambda b, amount: K.DEPOSIT in b.kinds,
        "a top-up follows a deposit",
    ),
    K.INSTALLMENT_PLAN: (
        lambda b, amount: not b.kinds and amount < b.total,
        "an installment plan is agreed with its first payment, less than the bill",
    ),
    K.INSTALLMENT: (
        lambda b, amount: K.INSTALLMENT_PLAN in b.kinds,
        "an installment follows an agreed installment plan",
    ),
    K.PARTIAL: (lambda b, amount: True, ""),
}


def payment_problems(bill: BillState, kind: PaymentKind, amount: int) -> list[FieldProblem]:
    if amount <= 0:
        return [FieldProblem("amount", "the amount must be positive", Code.OUT_OF_RANGE)]
    if amount > bill.outstanding:
        left = Money.from_minor(bill.outstanding, bill.currency)
        return [
            FieldProblem(
                "amount", f"at most {left.amount} {left.currency} is outstanding", Code.OUT_OF_RANGE
            )
        ]
    allowed, why = RULES[kind]
    if allowed(bill, amount):
        return []
    # Past the first payment, or not after the kind it follows: what was paid forbids it; else
    # the kind and the amount disagree (a FULL payment of part of the bill).
    follows = bill.kinds or kind in (K.TOP_UP, K.INSTALLMENT)
    return [FieldProblem("kind", why, Code.NOT_ALLOWED_NOW if follows else Code.INCONSISTENT)]
