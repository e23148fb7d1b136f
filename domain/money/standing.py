"""What a bill holds and what is still owed on it: the one rule the bill, the client's billing
history and the payment checks read.

A bill holds its payments less their refunds. What a refund means is its kind
(`domain.money.refund_kinds`):
- a REVERSAL undoes (part of) its payment: what it gave back is owed again, and is paid again;
- GOODWILL is the clinic giving money back after the treatment began: it lowers what is owed as
  much as what is held, so nothing is owed again for it.
A journey that ended before its treatment (refunded, cancelled, declined...) owes nothing more:
the client withdrew, and what was not given back stays paid.
Amounts are whole minor units of the bill's currency.
"""

from __future__ import annotations


def held(paid_minor: int, refunded_minor: int) -> int:
    """What the bill holds: what was paid against it less what was given back of that."""
    return paid_minor - refunded_minor


def outstanding(
    total_minor: int, held_minor: int, *, goodwill_minor: int, ended_before_treatment: bool
) -> int:
    """Still owed: the total, less what was given back as goodwill (no longer asked for), less
    what the bill holds; never below nothing, and nothing once the journey ended before its
    treatment."""
    if ended_before_treatment:
        return 0
    return max(total_minor - goodwill_minor - held_minor, 0)


def counted_against_due(held_minor: int, goodwill_minor: int) -> int:
    """What the bill counts against what was due by a date (its installments): what it holds,
    with goodwill given back counted as still held, since it lowered what is due as much."""
    return held_minor + goodwill_minor
