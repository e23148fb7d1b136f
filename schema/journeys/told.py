"""What an event tells each reader: its summary and its record, as the reader's role may read.

An event's summary is written once, by the journey, for every reader of the history; a few tell
what only some roles may read elsewhere (a plan's price, a payment's amount, how a follow-up
call went), and those readers get the action in words instead. A record is kept whole, as staff
recorded it; a payment's is the cashiers' and supervisors', a consultation's names the client's
occupation, which some clinical roles may not read on the client, and the plans' prices are read
as the summaries' are. The permission table decides, through the same rows that guard those
fields: the tables below name rows, never roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.journey.table import Action
from domain.roles import Role
from schema.permissions import denied

# Who may read a part of the history: whoever the permission table lets read any of these.
Readers = tuple[tuple[str, str], ...]

PAYMENTS: Readers = (("Payment", "amount"),)
REFUNDS: Readers = (("Refund", "amount"),)
CALLS: Readers = (("FollowUp", "outcome"),)
OCCUPATION: Readers = (("Client", "occupation"),)
# A plan's price is money, read with a bill's total; and the plan's own to those who price it.
PLAN_PRICES: Readers = (
    ("Bill", "total"),
    ("Mutation", "recordConsultation"),
    ("Mutation", "completeExpertReview"),
)


def _approved_without_price(summary: str) -> str:
    """`plan approved at 1200.00 EUR, with anesthesia` as `plan approved, with anesthesia`."""
    _, comma, rest = summary.partition(",")
    return "plan approved" + comma + rest


# action -> (who may read the summary as written, what the others read)
_SUMMARY_ONLY_FOR: dict[str, tuple[Readers, str | Callable[[str], str]]] = {
    Action.APPROVE_PLAN.value: (PLAN_PRICES, _approved_without_price),
    Action.RECORD_PAYMENT.value: (PAYMENTS, "payment recorded"),
    Action.REFUND.value: (REFUNDS, "refund recorded"),
    Action.COMPLETE_FOLLOW_UP.value: (CALLS, "follow-up call recorded"),
}
# action -> who may read the action's record at all
_RECORD_ONLY_FOR: dict[str, Readers] = {
    Action.RECORD_PAYMENT.value: PAYMENTS,
    Action.REFUND.value: REFUNDS,
}
# action -> (a part of its record, by its path of keys (a list's items each), who may read it)
_PARTS_ONLY_FOR: dict[str, tuple[tuple[tuple[str, ...], Readers], ...]] = {
    Action.RECORD_CONSULTATION.value: (
        (("occupation",), OCCUPATION),
        (("plans", "price"), PLAN_PRICES),
    ),
    Action.REQUEST_EXPERT_REVIEW.value: ((("briefing", "price_protection"), PLAN_PRICES),),
    Action.APPROVE_PLAN.value: ((("final_plan", "price"), PLAN_PRICES),),
}


def reads_any(readers: Readers, role: Role | None) -> bool:
    return any(not denied(type_name, field, role) for type_name, field in readers)


def summary_for(role: Role | None, action: str, summary: str) -> str:
    rule = _SUMMARY_ONLY_FOR.get(action)
    if rule is None or reads_any(rule[0], role):
        return summary
    others = rule[1]
    return others if isinstance(others, str) else others(summary)


def record_for(role: Role | None, action: str, record: Any) -> Any:
    whole = _RECORD_ONLY_FOR.get(action)
    if whole is not None and not reads_any(whole, role):
        return None
    for path, readers in _PARTS_ONLY_FOR.get(action, ()):
        if not reads_any(readers, role):
            record = _without(record, path)
    return record


def _without(value: Any, path: tuple[str, ...]) -> Any:
    """`value` less the part at `path`, copied where it changes: the stored record stays whole."""
    if isinstance(value, list):
        return [_without(item, path) for item in value]
    if not isinstance(value, dict) or path[0] not in value:
        return value
    head, rest = path[0], path[1:]
    if not rest:
        return {key: part for key, part in value.items() if key != head}
    return {**value, head: _without(value[head], rest)}
