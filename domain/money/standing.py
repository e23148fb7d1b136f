"""What a bill holds and what is still owed on it: the one rule the bill, the client's billing
history and the payment checks read.

A bill holds its payments less their refunds. What a refund means depends on when it is given:
- after the treatment began it is the clinic giving money back (goodwill, a complaint settled):
  it lowers what was paid and what is owed alike, so nothing is owed again for it (before, the
  bill owed it again, and an installment given back so became an overdue task);
- before the treatment began it either ended the journey (the client withdrew: nothing more is
  owed, and what was not given back stays paid) or, on a journey that goes on, corrected a
  payment: what it gave back is owed again.
Amounts are whole minor units of the bill's currency.
"""

from __future__ import annotations


def held(paid_minor: int, refunded_minor: int) -> int:
    """What the bill holds: what was paid against it less what was given back of that."""
    return paid_minor - refunded_minor


def outstanding(
    total_minor: int,
    held_minor: int,
    *,
    given_back_after_treatment_minor: int,
    ended_before_treatment: bool,
) -> int:
    """Still owed: the total, less what was given back after the treatment began (the bill's
    due, lowered as much as what it holds), less what the bill holds; never below nothing, and
    nothing once the journey ended before its treatment."""
    if ended_before_treatment:
        return 0
    return max(total_minor - given_back_after_treatment_minor - held_minor, 0)
