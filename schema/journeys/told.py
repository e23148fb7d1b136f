"""What an event tells each reader: its summary and its record, as the reader's role may read.

An event's summary is written once, by the journey, for every reader of the history; a few tell
what only some roles may read elsewhere (a payment's amount, how a follow-up call went), and
those readers get the action in words instead. A record is kept whole, as staff recorded it; a
payment's is the cashiers' and supervisors', and a consultation's names the client's occupation,
which some clinical roles may not read on the client. The permission table decides, through the
same rows that guard those fields.
"""

from __future__ import annotations

from typing import Any

from domain.journey.table import Action
from domain.roles import Role
from schema.permissions import denied

# action -> (the field whose readers may read the summary as written, what the others read)
_SUMMARY_ONLY_FOR: dict[str, tuple[tuple[str, str], str]] = {
    Action.RECORD_PAYMENT.value: (("Payment", "amount"), "payment recorded"),
    Action.REFUND.value: (("Refund", "amount"), "refund recorded"),
    Action.COMPLETE_FOLLOW_UP.value: (("FollowUp", "outcome"), "follow-up call recorded"),
}
# action -> the field whose readers may read the action's record at all
_RECORD_ONLY_FOR: dict[str, tuple[str, str]] = {
    Action.RECORD_PAYMENT.value: ("Payment", "amount"),
    Action.REFUND.value: ("Refund", "amount"),
}
# (action, a part of its record) -> the field whose readers may read that part
_PART_ONLY_FOR: dict[tuple[str, str], tuple[str, str]] = {
    (Action.RECORD_CONSULTATION.value, "occupation"): ("Client", "occupation"),
}


def summary_for(role: Role | None, action: str, summary: str) -> str:
    rule = _SUMMARY_ONLY_FOR.get(action)
    if rule is not None and denied(*rule[0], role):
        return rule[1]
    return summary


def record_for(role: Role | None, action: str, record: Any) -> Any:
    whole = _RECORD_ONLY_FOR.get(action)
    if whole is not None and denied(*whole, role):
        return None
    if not isinstance(record, dict):
        return record
    hidden = {
        part
        for (of_action, part), field in _PART_ONLY_FOR.items()
        if of_action == action and part in record and denied(*field, role)
    }
    return {k: v for k, v in record.items() if k not in hidden} if hidden else record
