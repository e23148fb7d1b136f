"""The triage desk's state: who is on duty, the order, statuses, scopes, owed turns, assignments.

Ids and codes only (this crosses Temporal): names and notes stay in the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from domain.journey.stages import VisitCategory
from domain.triage.policy import DEFAULT_POLICY, RotationPolicy
from domain.triage.revenue import Credit, split_percents


class SeatStatus(str, Enum):
    AVAILABLE = "AVAILABLE"
    # With a client and cannot come within 5-10 minutes: skipped and owed a make-up turn.
    BUSY = "BUSY"
    # Off post or not answering the phone: skipped, no make-up ("不予补派").
    AWAY = "AWAY"
    # Left post with the supervisor's leave, or refused a client: no turns until resumed.
    PAUSED = "PAUSED"


@dataclass
class Seat:
    consultant_id: str
    on_duty: bool = True
    status: SeatStatus = SeatStatus.AVAILABLE
    # Item codes this consultant receives; empty means every item.
    scope: list[str] = field(default_factory=list)
    # Today's counted first-visit turns (including make-ups paid).
    turns: int = 0
    # Today's clients by visit category (VIP placements under "VIP"), counted or not.
    counts: dict[str, int] = field(default_factory=dict)
    # Counted clients given out of order; the rotation passes this consultant that many times.
    turns_ahead: int = 0
    departed: bool = False
    # Who takes this consultant's own clients (owned, referred) while they are off post.
    delegate_id: str | None = None

    def can_take(self) -> bool:
        return self.on_duty and not self.departed and self.status is SeatStatus.AVAILABLE

    def present(self) -> bool:
        """On post (possibly busy): an owner or referrer who can still be called in."""
        absent = self.status in (SeatStatus.AWAY, SeatStatus.PAUSED)
        return self.on_duty and not self.departed and not absent

    def covers(self, item: str | None) -> bool:
        return item is None or not self.scope or item in self.scope

    def add_count(self, key: str, delta: int = 1) -> None:
        self.counts[key] = max(self.counts.get(key, 0) + delta, 0)


@dataclass
class MakeUp:
    """A turn owed. A give-back is paid from one consultant's next turn (the 10-minute rule);
    any other make-up from the next fitting counted client."""

    creditor_id: str
    reason: str
    owed_at_seq: int
    from_turn_of: str | None = None


@dataclass
class Assignment:
    journey_id: str
    client_id: str
    consultant_id: str
    category: VisitCategory
    counted: bool
    route: str
    item: str | None
    assigned_at: datetime
    accept_by: datetime | None
    accepted: bool = False
    credited_to: list[str] = field(default_factory=list)
    # The journey ended before anyone took the client: no longer waiting, nobody loses a turn.
    released: bool = False
    # Handed to the next free consultant once by the 10-minute rule: not accepted in time again,
    # the supervisor is called instead. A default, as a desk carried from a run before has none.
    handed_over: bool = False
    # The consultants who let this client wait past the acceptance minutes today: a hand-on
    # after a leave passes them by (a desk carried from a run before has none).
    timed_out_with: list[str] = field(default_factory=list)
    # An `EmergencyReason` code once staff marked the client an emergency (`emergency`).
    emergency: str | None = None
    # The percents of `credited_to`, in its order, where a reassignment split the revenue (50/50,
    # a joint review's 30/70): a stand-in named later leaves the split as it stands. None where one
    # consultant is credited whole, and on a desk carried from a run before it kept them.
    credit_percents: list[int] | None = None
    # Placed anew by following her journey, which the supervisor moved (reassignJourney,
    # `overrides.follow_journey`): the desk follows her journey's next moves too, the credit
    # going where the journey names. False once the desk places her itself (reassignClient),
    # and on a desk carried from a run before it followed again.
    follows_journey: bool = False
    # The latest event of her journey whose notice the desk took (`notices.journey_moved`): the
    # same notice sent again, or an earlier one, changes nothing. None before a notice carrying
    # it, and on a desk carried from a run before.
    journey_seq: int | None = None

    def credit(self, credits: Sequence[Credit]) -> None:
        """Credits the revenue as `credits` share it: who, and the percents where it is split."""
        self.credited_to = [c.consultant_id for c in credits]
        self.credit_percents = split_percents(credits)


class AlertKind(str, Enum):
    """What the supervisor is called for: one open alert per journey and kind (`alerts`)."""

    # Nobody could take the client when they came to the desk.
    UNPLACED = "UNPLACED"
    # The client waited past the acceptance minutes and there was nobody to hand them on to
    # (or they had been handed on once already, or their consultant left).
    UNACCEPTED = "UNACCEPTED"
    # The client is an emergency: the supervisor fetches a doctor at once (`emergency`).
    EMERGENCY = "EMERGENCY"


@dataclass
class Alert:
    seq: int
    message: str
    journey_id: str | None = None
    # None: raised by a desk run from before alerts had kinds, never merged with another.
    kind: AlertKind | None = None
    # How often the desk raised it today: a repeat updates the alert, it adds none.
    raised: int = 1


@dataclass
class DeskState:
    clinic_id: str
    day: str
    policy: RotationPolicy = DEFAULT_POLICY
    rotation: list[str] = field(default_factory=list)
    seats: dict[str, Seat] = field(default_factory=dict)
    # Where the first-visit rotation stands, and the separate pointer for uncounted clients
    # ("other" category, invalid consultations): given in order, never charged as a turn.
    next_index: int = 0
    other_index: int = 0
    makeups: list[MakeUp] = field(default_factory=list)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    # Today's alerts, at most `alerts.ALERTS_KEPT`; how many older ones left to make room.
    alerts: list[Alert] = field(default_factory=list)
    alerts_dropped: int = 0
    seq: int = 0
    # This month's priority staff for key items, best first (set from the monthly ranking).
    key_item_priority: list[str] = field(default_factory=list)

    def seat(self, consultant_id: str) -> Seat | None:
        return self.seats.get(consultant_id)

    def owed(self, consultant_id: str) -> int:
        return sum(1 for m in self.makeups if m.creditor_id == consultant_id)

    def pending(self) -> list[Assignment]:
        return [a for a in self.assignments.values() if not a.accepted and not a.released]
