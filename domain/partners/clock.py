"""What the partner's clock workflow takes and answers (ids, codes and instants only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PartnerClock:
    partner_id: str
    clinic_id: str
    # When the partner was first reported: the deadlines count from here.
    reported_at: datetime


@dataclass
class MilestoneCheck:
    partner_id: str
    clinic_id: str
    milestone: str
    due_at: datetime


@dataclass
class PartnerClockState:
    partner_id: str
    clinic_id: str
    # The milestones (`Milestone` codes) the partner missed, in the order they fell due.
    lapsed: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
