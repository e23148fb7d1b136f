"""What staff ask of the desk: one dataclass per desk update, ids and codes only.

What staff write (a reason, a policy's name) is stored first as a desk note in the database;
a command carries the note's id. `reason` is only read from desk histories recorded before
that: their updates carried the words themselves, and they must replay alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.triage.decision import Arrival, Decision, EmergencyReason
from domain.triage.desk import DeskState, SeatStatus
from domain.triage.policy import RotationPolicy
from domain.triage.revenue import CreditRule


@dataclass
class ArriveCommand:
    actor: Actor
    arrival: Arrival
    # Staff's own pick after the desk called the supervisor (see `domain.triage.arranged`);
    # None: the desk decides.
    chosen_id: str | None = None


@dataclass
class AcceptCommand:
    actor: Actor
    journey_id: str


@dataclass
class SeatCommand:
    """Duty, status or scope of one consultant; fields left None are unchanged."""

    actor: Actor
    consultant_id: str
    # The staff's reason, as a desk note (see `domain.store.desk_notes`).
    note_id: str = ""
    on_duty: bool | None = None
    status: SeatStatus | None = None
    scope: list[str] | None = None
    # A consultant id names a delegate; "" clears it.
    delegate_id: str | None = None
    reason: str = ""  # legacy: the words themselves (see the module's docstring)


@dataclass
class OrderCommand:
    actor: Actor
    consultant_ids: list[str]


class OverrideKind(str, Enum):
    REASSIGN = "REASSIGN"
    PLACE_VIP = "PLACE_VIP"
    CORRECT = "CORRECT"
    CONSULTANT_LEFT = "CONSULTANT_LEFT"
    SET_POLICY = "SET_POLICY"
    SET_KEY_ITEM_PRIORITY = "SET_KEY_ITEM_PRIORITY"
    RECLASSIFY = "RECLASSIFY"
    # Reception or triage staff mark a waiting client an emergency (`domain.triage.emergency`).
    EMERGENCY = "EMERGENCY"


class ReclassifyRule(str, Enum):
    """Why a visit the desk placed changes category (see `domain.triage.reclassify`)."""

    # The medical director ruled the item out: "other", no make-up turn.
    RULED_OUT_BY_MEDICAL_DIRECTOR = "RULED_OUT_BY_MEDICAL_DIRECTOR"
    # The item asked for is one the clinic does not offer: an invalid consultation.
    ITEM_NOT_OFFERED = "ITEM_NOT_OFFERED"
    # The front desk registered the visit under the wrong category.
    REGISTRATION_ERROR = "REGISTRATION_ERROR"


@dataclass
class OverrideCommand:
    """A supervisor's override; which fields matter depends on `kind`."""

    actor: Actor
    kind: OverrideKind
    # The supervisor's reason (and for SET_POLICY the policy's name), as a desk note.
    note_id: str = ""
    journey_id: str | None = None
    client_id: str | None = None
    consultant_id: str | None = None
    rule: CreditRule | None = None
    amends_seq: int | None = None
    turns_delta: int = 0
    makeup_delta: int = 0
    policy: RotationPolicy | None = None
    # SET_KEY_ITEM_PRIORITY: consultant ids, best first.
    priority: list[str] | None = None
    # CONSULTANT_LEFT: who takes over the leaver's clients (None: back to rotation).
    successor_id: str | None = None
    # PLACE_VIP: whether the client already has an owner (else the VIP's consultant becomes it).
    client_has_owner: bool = False
    # RECLASSIFY: the visit's new category and the rule (a `ReclassifyRule`) that decides it.
    category: VisitCategory | None = None
    reclassify_rule: ReclassifyRule | None = None
    # EMERGENCY: why, as a code (no staff words needed).
    emergency: EmergencyReason | None = None
    reason: str = ""  # legacy: the words themselves (see the module's docstring)


def explained(command: SeatCommand | OverrideCommand) -> bool:
    """Whether the staff said why: a note, or (in an older history) the words themselves."""
    return bool(command.note_id or command.reason.strip())


def in_desk_words(desk_words: str, command: SeatCommand | OverrideCommand) -> str:
    """An entry's reason as the desk states it. Staff words are added from the note when the
    entry is read; only a legacy command still carries them here."""
    legacy = command.reason.strip()
    return f"{desk_words}: {legacy}" if legacy else desk_words


@dataclass
class DeskReply:
    """The desk after a change: its version (the last log sequence) and, for arrivals, the
    decision."""

    version: int
    decision: Decision | None = None
    consultant_id: str | None = None
    entries: list[int] = field(default_factory=list)
    # The desk after the change as the board shows it (`board_changes.board_view`: the waiting
    # assignments only; answers recorded before held them all). Not for arrivals: the decision is
    # what the caller needs.
    state: DeskState | None = None


@dataclass
class AnsweredDeskChange:
    """A staff change's answer, by its update id, carried into the desk's next run (without the
    desk: a retry answered there gets the desk as it then stands)."""

    update_id: str
    reply: DeskReply
