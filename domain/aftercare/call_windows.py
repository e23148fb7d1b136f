"""When a follow-up call is overdue: by its handbook window where the handbook gives one, else
by the clinic's allowance past its due time.

Seed 002 §5.2 gives one window: the first call is made within 24 hours of the treatment
("术后(治疗后)24小时内"), the evening of the treatment day. A call the plan puts in that first day
is overdue once the day is over, whenever in it the call fell due (a call due at 24 h is overdue
as it falls due). The other calls the seed names by a point (1-3 days, 1 week, 2 weeks, 1 month,
3 and 6 months, 1 year), not by a window: each is overdue once the clinic's allowance past its
due time has passed (`aftercarePolicy.overdueAfterHours`, a day by default, which keeps each
within a day of its point). A stricter allowance of the clinic applies to the first day too.

A call's place in its plan is read from its label (`domain.journey.followups.label_for`): a call
in the first two days is labelled by its whole hours after the treatment ("6h", "24h"), one
under an hour by its seconds ("1800s"), counted as hour 0. A missed call retried later keeps
its step's allowance from its new due time. The journey's own deadline in the follow-up stage
(`domain.journey.sla`) follows the same windows, with the clinic's allowance as it stood at the
handover. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class CallWindow:
    """The calls planned at most `up_to` after the treatment are made by `closes` after it."""

    up_to: timedelta
    closes: timedelta
    source: str


# The handbook's windows, in order of `up_to` (a call is in the first that holds it).
CALL_WINDOWS: tuple[CallWindow, ...] = (
    CallWindow(timedelta(hours=24), timedelta(hours=24), "seed 002 §5.2: 术后24小时内"),
)


def hours_of(label: str | None) -> int | None:
    """The whole hours after the treatment a call's label says, for a call of the first two
    days ("6h": 6, "1800s": 0); None for a label of days, weeks, months or years."""
    if not label or not label[:-1].isdecimal():
        return None
    if label.endswith("h"):
        return int(label[:-1])
    if label.endswith("s"):
        return int(label[:-1]) // 3600
    return None


def window_of(label: str | None) -> CallWindow | None:
    """The handbook window that holds a call with the label; None when none does."""
    hours = hours_of(label)
    if hours is None:
        return None
    return next((w for w in CALL_WINDOWS if hours * HOUR <= w.up_to), None)


def window_grace(label: str | None) -> timedelta | None:
    """How long a call with the label may stay open past its due time by its handbook window;
    None when no window holds it."""
    window = window_of(label)
    hours = hours_of(label)
    return None if window is None or hours is None else window.closes - hours * HOUR


def call_grace(label: str | None, allowance: timedelta) -> timedelta:
    """How long a call may stay open past its due time: the clinic's allowance, and no longer
    than its handbook window lets it."""
    grace = window_grace(label)
    return allowance if grace is None else min(grace, allowance)


def windowed_labels() -> dict[str, timedelta]:
    """Every label of whole hours a call held by a window carries, with its grace: what the
    database is asked by (a call under an hour is labelled by its seconds: "0s" stands for
    them all)."""
    labels: dict[str, timedelta] = {}
    for window in CALL_WINDOWS:
        for hours in range(1, int(window.up_to / HOUR) + 1):
            grace = window_grace(f"{hours}h")
            if grace is not None:
                labels.setdefault(f"{hours}h", grace)
    return labels
