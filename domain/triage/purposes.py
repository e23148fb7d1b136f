"""What a client comes for can decide the visit category on its own (seed 004 "其他": "coming
for a refund" is category other, whatever the records say): given out in rotation order, never a
first-visit turn, and not sent to an owner either. One row per purpose, so a clinic's handbook
adding one (a free trial, a fully prepaid treatment) is a row, not a branch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from domain.journey.stages import VisitCategory
from domain.triage.decision import Arrival, ArrivalPurpose


@dataclass(frozen=True)
class PurposeRule:
    category: VisitCategory
    # Said in the decision's reason, so a disputed turn shows why it was not one.
    reason: str


PURPOSE_RULES: Mapping[ArrivalPurpose, PurposeRule] = {
    ArrivalPurpose.REFUND: PurposeRule(VisitCategory.OTHER, "comes for a refund"),
}


def as_counted(arrival: Arrival) -> Arrival:
    """The arrival as the desk counts it: a purpose with a rule sets the category and drops the
    lead-ownership route (the rule decides, not who took the first phone call)."""
    rule = PURPOSE_RULES.get(arrival.purpose)
    if rule is None or (arrival.category is rule.category and not arrival.owner_from_lead):
        return arrival
    return replace(arrival, category=rule.category, owner_from_lead=False)


def category_reason(arrival: Arrival) -> str:
    rule = PURPOSE_RULES.get(arrival.purpose)
    return rule.reason if rule is not None else "category other"
