"""A new partner's deadlines, seed 003 "新店报备流程制度": registration within one month and
five days ("新店报备期限为1个月+5天"), a first client sent for consultation within three months
("三个月未带咨询下店, 新店资源重新划分"), a first deal within six months ("新店首单期限6个月").
The clock starts when the partner is first reported (the first `registerPartner`)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class Milestone(str, Enum):
    REGISTERED = "REGISTERED"
    FIRST_CONSULTATION = "FIRST_CONSULTATION"
    FIRST_DEAL = "FIRST_DEAL"


@dataclass(frozen=True)
class Term:
    months: int
    days: int = 0


# In the order they fall due.
TERMS: dict[Milestone, Term] = {
    Milestone.REGISTERED: Term(months=1, days=5),
    Milestone.FIRST_CONSULTATION: Term(months=3),
    Milestone.FIRST_DEAL: Term(months=6),
}

# Seed 003 item 1: without the premises photos and the signed agreement the registration does
# not count ("否则报备无效"), and the partner must give their bank account.
REQUIRED_MATERIALS = ("agreement_reference", "bank_details", "premises_photo_ids")


def add_months(start: datetime, months: int) -> datetime:
    """Calendar months; a day the target month lacks becomes its last (31 Jan + 1 = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def due_at(start: datetime, milestone: Milestone) -> datetime:
    term = TERMS[milestone]
    return add_months(start, term.months) + timedelta(days=term.days)


def schedule(start: datetime) -> list[tuple[Milestone, datetime]]:
    return sorted(((m, due_at(start, m)) for m in TERMS), key=lambda pair: pair[1])


def missing_materials(agreement: str | None, bank: str | None, photos: list[str]) -> list[str]:
    """Which of the required registration materials are still missing (field names)."""
    given = {"agreement_reference": bool(agreement), "bank_details": bool(bank)}
    given["premises_photo_ids"] = bool(photos)
    return [name for name in REQUIRED_MATERIALS if not given[name]]
