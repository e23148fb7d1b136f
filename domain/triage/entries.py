"""The desk's append-only log: every decision, skip, override and correction, with its reason.

An entry crosses Temporal, so its `reason` is the desk's own wording (codes, ids, counts); what
staff wrote is a desk note in the database, named by `note_id`, and joins the reason when the
entry is written to the read model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from domain.triage.decision import Skip
from domain.triage.revenue import Credit


class EntryKind(str, Enum):
    ASSIGNED = "ASSIGNED"
    SUPERVISOR_ALERT = "SUPERVISOR_ALERT"
    ACCEPTED = "ACCEPTED"
    TIMED_OUT = "TIMED_OUT"
    REASSIGNED = "REASSIGNED"
    VIP_PLACED = "VIP_PLACED"
    SEAT_CHANGED = "SEAT_CHANGED"
    ORDER_CHANGED = "ORDER_CHANGED"
    POLICY_CHANGED = "POLICY_CHANGED"
    CORRECTION = "CORRECTION"
    CONSULTANT_LEFT = "CONSULTANT_LEFT"
    DAY_OPENED = "DAY_OPENED"
    KEY_ITEM_PRIORITY = "KEY_ITEM_PRIORITY"
    RELEASED = "RELEASED"
    # Not through the rotation (a recheck goes to the treating doctor or nurse): no alert.
    ROUTED = "ROUTED"
    RECLASSIFIED = "RECLASSIFIED"
    # Staff marked the client an emergency: received first, the supervisor alerted.
    EMERGENCY = "EMERGENCY"


@dataclass
class DeskEntry:
    seq: int
    day: str
    kind: EntryKind
    at: datetime
    actor_id: str
    reason: str
    policy: str
    consultant_id: str | None = None
    from_consultant_id: str | None = None
    journey_id: str | None = None
    client_id: str | None = None
    category: str | None = None
    # The item that decided the assignment (the major one), for the monthly key-item ranking.
    item: str | None = None
    counted: bool = False
    route: str | None = None
    skips: list[Skip] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    # Ownership moves to `owner_id` when set (for CONSULTANT_LEFT: every client of the leaver;
    # None there sends them back to rotation).
    transfers_ownership: bool = False
    owner_id: str | None = None
    # A correction points at the entry it amends; the original stays as it was.
    amends_seq: int | None = None
    # The staff's words for this entry, and the note naming the policy in force (if named).
    note_id: str | None = None
    policy_note_id: str | None = None
    # RECLASSIFIED: the rule that decided it (a `ReclassifyRule` code); EMERGENCY, and the
    # hand-over it makes: the `EmergencyReason` code.
    rule: str | None = None
    # RELEASED by the day's end (not by the journey's): the journey goes back to triage,
    # unassigned, and an acceptance afterwards is told so.
    back_to_triage: bool = False


def worded_reason(entry: DeskEntry, staff_words: str | None) -> str:
    """The reason staff read: the desk's own wording, then what staff wrote (from the note)."""
    return f"{entry.reason}: {staff_words}" if staff_words else entry.reason
