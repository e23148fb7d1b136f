"""What a bill holds and what is still owed on it: the one rule the bill, the client's billing
history and the payment checks read.

A bill holds its payments less their refunds: money given back after the treatment began is owed
again, and is paid again. A journey that ended before its treatment (refunded, cancelled,
declined...) owes nothing more: the client withdrew, and what was not given back stays paid.
Amounts are whole minor units of the bill's currency.
"""

from __future__ import annotations


def held(paid_minor: int, refunded_minor: int) -> int:
    """What the bill holds: what was paid against it less what was given back of that."""
    return paid_minor - refunded_minor


def outstanding(total_minor: int, held_minor: int, *, ended_before_treatment: bool) -> int:
    """Still owed: the total less what the bill holds, never below nothing; nothing once the
    journey ended before its treatment."""
    if ended_before_treatment:
        return 0
    return max(total_minor - held_minor, 0)
