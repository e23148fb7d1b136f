"""Consultant credit for money taken: each payment is shared out by the journey's revenue split
in force when the money moved (seed 004, `triage.revenue`), and each refund (a negative amount)
by the split in force when the payment it gives back was taken.

Amounts are whole minor units, so a split is exact: the cents a percentage leaves over go to
the largest remainders first (then the earlier share), and the parts always add up to the whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Share:
    consultant_id: str
    percent: int


@dataclass(frozen=True)
class Movement:
    """Money in (a payment, > 0) or out (a refund, < 0) on one journey."""

    journey_id: str
    at: datetime
    amount_minor: int
    currency: str
    # A refund's: when the payment it gives back was taken. It takes back that payment's credit
    # from whom the split then credited, not from whom a later move of the client credits.
    credited_as_of: datetime | None = None


@dataclass(frozen=True)
class CreditedMovement:
    movement: Movement
    consultant_id: str
    amount_minor: int


def share_out(amount_minor: int, shares: Sequence[Share]) -> list[int]:
    """`amount_minor` split by `shares` (percents adding up to 100), exactly."""
    if sum(s.percent for s in shares) != 100:
        raise ValueError("shares must add up to 100 %")
    sign = -1 if amount_minor < 0 else 1
    whole = abs(amount_minor)
    parts = [whole * s.percent // 100 for s in shares]
    remainders = sorted(range(len(shares)), key=lambda i: (-(whole * shares[i].percent % 100), i))
    for i in remainders[: whole - sum(parts)]:
        parts[i] += 1
    return [sign * p for p in parts]


def credit_movements(
    movements: Iterable[Movement], split_at: dict[str, list[tuple[datetime, list[Share]]]]
) -> list[CreditedMovement]:
    """Each movement credited under the journey's split in force at its time (a refund's: its
    payment's, `Movement.credited_as_of`): the latest one recorded at or before it, else the
    first one recorded (money taken before the desk's entry reached the read model still
    belongs to the journey's consultants). A journey without any split is credited to no
    one."""
    credited = []
    for movement in movements:
        history = split_at.get(movement.journey_id, [])
        if not history:
            continue
        as_of = movement.credited_as_of or movement.at
        before = [shares for at, shares in history if at <= as_of]
        shares = before[-1] if before else history[0][1]
        for share, part in zip(shares, share_out(movement.amount_minor, shares), strict=True):
            credited.append(CreditedMovement(movement, share.consultant_id, part))
    return credited
