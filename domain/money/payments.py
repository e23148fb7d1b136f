"""Which payment a bill may take next, by kind: a table, checked before the journey is asked.

Amounts are whole minor units. `paid` is what the bill has taken so far (refunds end the
journey before treatment, so a bill still being paid has none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.errors import FieldProblem
from domain.journey.stages import PaymentKind
from domain.money.money import Money


@dataclass(frozen=True)
class BillState:
    total: int
    paid: int
    kinds: frozenset[PaymentKind]  # the kinds paid against the bill so far
    currency: str

    @property
    def outstanding(self) -> int:
        return max(self.total - self.paid, 0)


Rule = Callable[[BillState, int], bool]
K = PaymentKind

# kind -> (whether it may be paid now, what staff hear when not)
RULES: dict[PaymentKind, tuple[Rule, str]] = {
    K.FULL: (
        lambda b, amount: b.paid == 0 and amount == b.total,
        "the whole bill, as the first payment (the rest after a deposit is a TOP_UP)",
    ),
    K.DEPOSIT: (
        lambda b, amount: b.paid == 0 and amount < b.total,
        "a deposit is the first payment and less than the bill",
    ),
    K.TOP_UP: (
        lambda b, amount: K.DEPOSIT in b.kinds,
        "a top-up follows a deposit",
    ),
    K.INSTALLMENT_PLAN: (
        lambda b, amount: b.paid == 0 and amount < b.total,
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
        return [FieldProblem("amount", "the amount must be positive")]
    if amount > bill.outstanding:
        left = Money.from_minor(bill.outstanding, bill.currency)
        return [FieldProblem("amount", f"at most {left.amount} {left.currency} is outstanding")]
    allowed, why = RULES[kind]
    return [] if allowed(bill, amount) else [FieldProblem("kind", why)]
