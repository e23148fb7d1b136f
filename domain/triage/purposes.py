"""What a client comes for can decide the visit category on its own (seed 004 "其他": "coming
for a refund" is category other, whatever the records say): given out in rotation order, never a
first-visit turn, and not sent to an owner either. One row per purpose, so a clinic's handbook
adding one (a free trial, a fully prepaid treatment) is a row, not a branch. A client the front
desk marks as other goes the same way: a lead's earliest contact, a weaker claim than a real
owner's, sends them to nobody either."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from domain.journey.stages import VisitCategory
from domain.triage.alerts import always
from domain.triage.decision import Arrival, ArrivalPurpose


@dataclass(frozen=True)
class PurposeRule:
    category: VisitCategory
    # Said in the decision's reason, so a disputed turn shows why it was not one.
    reason: str


PURPOSE_RULES: Mapping[ArrivalPurpose, PurposeRule] = {
    ArrivalPurpose.REFUND: PurposeRule(VisitCategory.OTHER, "comes for a refund"),
}


def as_counted(arrival: Arrival, other_drops_lead: Callable[[], bool] = always) -> Arrival:
    """The arrival as the desk counts it: a purpose with a rule sets the category, and the
    category other drops the lead-ownership route (the category decides, not who took the first
    phone call). `other_drops_lead`: whether a client marked other drops it (a desk run begun
    before sent them to the lead's consultant); asked only for such a client."""
    rule = PURPOSE_RULES.get(arrival.purpose)
    if rule is not None and (arrival.category is not rule.category or arrival.owner_from_lead):
        return replace(arrival, category=rule.category, owner_from_lead=False)
    if arrival.category is VisitCategory.OTHER and arrival.owner_from_lead and other_drops_lead():
        return replace(arrival, owner_from_lead=False)
    return arrival


def category_reason(arrival: Arrival) -> str:
    rule = PURPOSE_RULES.get(arrival.purpose)
    return rule.reason if rule is not None else "category other"
