"""What arrives at the desk and what the desk decides, with every skip and its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from domain.journey.stages import VisitCategory


class ArrivalPurpose(str, Enum):
    """What the client says they come for, when that alone decides how the desk counts them."""

    CONSULTATION = "CONSULTATION"
    REFUND = "REFUND"


class EmergencyReason(str, Enum):
    """Why reception or triage staff mark a client an emergency (seed 004, the desk's rotation
    rules item 9; triage rules art. 8): a code, never the staff's words (this crosses Temporal)."""

    # "车祸": injured in a road accident.
    ROAD_ACCIDENT = "ROAD_ACCIDENT"
    # "大面积烧伤(新鲜)": an extensive burn, fresh.
    FRESH_EXTENSIVE_BURN = "FRESH_EXTENSIVE_BURN"
    # Art. 8 "密切观察患者病情变化": a waiting client's condition changed for the worse.
    CONDITION_WORSENED = "CONDITION_WORSENED"
    # Another acute injury or condition the staff judge urgent.
    OTHER_ACUTE = "OTHER_ACUTE"


@dataclass(frozen=True)
class Arrival:
    journey_id: str
    client_id: str
    category: VisitCategory
    items: tuple[str, ...] = ()
    # First-consultant ownership, from the records; departed when that consultant has left.
    owner_id: str | None = None
    owner_departed: bool = False
    owner_delegate_id: str | None = None
    # The owner comes from a phone or online lead: the earliest recorded contact.
    owner_from_lead: bool = False
    # Referred by an existing client found in the records: that client's consultant.
    referrer_consultant_id: str | None = None
    referrer_delegate_id: str | None = None
    # An A-class partner's designated consultant (announced by the partner liaison).
    partner_consultant_id: str | None = None
    # A companion of the client of another journey, and whether the group asked for one consultant.
    companion_of: str | None = None
    same_consultant: bool = False
    # Item not offered, or ruled out by the medical director: not a turn.
    invalid: bool = False
    # See domain.triage.purposes: a refund is category "other" whatever the records say.
    purpose: ArrivalPurpose = ArrivalPurpose.CONSULTATION
    # Marked an emergency by reception or triage staff (`domain.triage.emergency`).
    emergency: EmergencyReason | None = None


class Route(str, Enum):
    ROTATION = "ROTATION"
    MAKEUP = "MAKEUP"
    GIVE_BACK = "GIVE_BACK"
    IN_ORDER_UNCOUNTED = "IN_ORDER_UNCOUNTED"
    OWNER = "OWNER"
    OWNER_STAND_IN = "OWNER_STAND_IN"
    REFERRER = "REFERRER"
    PARTNER = "PARTNER"
    KEY_ITEM = "KEY_ITEM"
    COMPANION = "COMPANION"
    VIP = "VIP"
    RECHECK = "RECHECK"
    SUPERVISOR = "SUPERVISOR"
    # An emergency given to the first consultant free, past the rules that would make her wait.
    EMERGENCY = "EMERGENCY"


class SkipReason(str, Enum):
    OFF_DUTY = "OFF_DUTY"
    AWAY = "AWAY"
    PAUSED = "PAUSED"
    BUSY = "BUSY"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    TURN_USED_EARLY = "TURN_USED_EARLY"
    GAVE_BACK = "GAVE_BACK"


@dataclass(frozen=True)
class Skip:
    consultant_id: str
    why: SkipReason
    makeup_owed: bool


@dataclass(frozen=True)
class Decision:
    consultant_id: str | None
    counted: bool
    route: Route
    reason: str
    policy: str
    item: str | None = None
    skips: tuple[Skip, ...] = ()
    # Who the revenue is credited to (the owner when a stand-in receives the client).
    credited_to: tuple[str, ...] = ()
    # Book-keeping the desk applies: which make-up is paid, where the pointers go next.
    paid_makeup: int | None = None
    next_index: int | None = None
    other_index: int | None = None
    uses_turn_ahead: bool = False
    alert: str | None = None
    notes: tuple[str, ...] = field(default=())
    # The desk note naming the policy in `policy`, when staff named it (see `named_label`).
    policy_note_id: str | None = None

    def skip_summary(self) -> str:
        parts = [
            f"{s.consultant_id} {s.why.value.lower()}{' (make-up owed)' if s.makeup_owed else ''}"
            for s in self.skips
        ]
        return "; skipped " + ", ".join(parts) if parts else ""
