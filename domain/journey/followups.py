"""The follow-up schedule after handover (seed 002 §5, seed 001 part I)."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.journey.facts import FollowUp

HOUR = 3600
DAY = 24 * HOUR

# Short term 24 h, 1-3 days, 1 week; mid term 2 weeks, 1 month; long term 3, 6 months, 1 year.
DEFAULT_FOLLOW_UP_OFFSETS: tuple[int, ...] = (
    1 * DAY,
    3 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    91 * DAY,
    182 * DAY,
    365 * DAY,
)


def label_for(offset_seconds: int) -> str:
    """A short human label: "24h", "3d", "1w", "1m", "1y"."""
    if offset_seconds >= 365 * DAY:
        return f"{offset_seconds // (365 * DAY)}y"
    if offset_seconds >= 30 * DAY:
        return f"{round(offset_seconds / (30.4 * DAY))}m"
    if offset_seconds >= 7 * DAY and offset_seconds % (7 * DAY) == 0:
        return f"{offset_seconds // (7 * DAY)}w"
    if offset_seconds >= 2 * DAY:
        return f"{offset_seconds // DAY}d"
    if offset_seconds >= HOUR:
        return f"{offset_seconds // HOUR}h"
    return f"{offset_seconds}s"


def offset_of(follow_up_id: str, offsets: list[int]) -> int | None:
    """The offset the follow-up `fu-N` was scheduled at: the N-th of the offsets, in order
    (`schedule_follow_ups`); None for an id of another shape or beyond them."""
    number = follow_up_id.removeprefix("fu-")
    if number == follow_up_id or not number.isdecimal():
        return None
    index = int(number) - 1
    ordered = sorted(offsets)
    return ordered[index] if 0 <= index < len(ordered) else None


def schedule_follow_ups(handed_over_at: datetime, offsets: list[int]) -> list[FollowUp]:
    return [
        FollowUp(
            follow_up_id=f"fu-{index}",
            label=label_for(offset),
            due_at=handed_over_at + timedelta(seconds=offset),
        )
        for index, offset in enumerate(sorted(offsets), start=1)
    ]
