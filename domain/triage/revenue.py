"""Who is credited with a journey's revenue, under the rules of seed 004 and the skin group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class CreditRule(str, Enum):
    ASSIGNED = "ASSIGNED"
    # The owner (or the consultant assigned) was away and another stood in, credited none of it:
    # "业绩算首诊咨询师的业绩"; a split stands as it was (`stand_in_credit`).
    OWNER_STAND_IN = "OWNER_STAND_IN"
    # The client asked for another consultant: revenue follows the new one.
    CLIENT_REQUEST = "CLIENT_REQUEST"
    # A wrong assignment that was not the consultant's fault: split 50/50 ("业绩平分").
    WRONG_ASSIGNMENT_SHARED = "WRONG_ASSIGNMENT_SHARED"
    # A wrong assignment the consultant caused: everything stays with the original owner.
    WRONG_ASSIGNMENT_BY_CONSULTANT = "WRONG_ASSIGNMENT_BY_CONSULTANT"
    # Handed to another doctor for a joint review: the first keeps 30% ("可得到30%的销售业绩").
    JOINT_REVIEW = "JOINT_REVIEW"
    # The referral surfaced mid-consultation: to the referrer's consultant.
    REFERRAL_FOUND = "REFERRAL_FOUND"
    # The assigned consultant did not come within the acceptance time.
    ACCEPTANCE_TIMEOUT = "ACCEPTANCE_TIMEOUT"


@dataclass(frozen=True)
class Credit:
    consultant_id: str
    percent: int
    rule: CreditRule


JOINT_REVIEW_KEPT = 30


def credits_for(rule: CreditRule, previous: str | None, new: str) -> list[Credit]:
    """The split after a change of consultant from `previous` to `new` under `rule`."""
    if previous is None or previous == new:
        return [Credit(new, 100, rule)]
    if rule is CreditRule.WRONG_ASSIGNMENT_SHARED:
        return [Credit(previous, 50, rule), Credit(new, 50, rule)]
    if rule is CreditRule.WRONG_ASSIGNMENT_BY_CONSULTANT:
        return [Credit(new, 100, rule)]  # `new` is the original owner the client goes back to
    if rule is CreditRule.JOINT_REVIEW:
        kept = JOINT_REVIEW_KEPT
        return [Credit(previous, kept, rule), Credit(new, 100 - kept, rule)]
    return [Credit(new, 100, rule)]


def stand_in_credit(
    credited_to: list[str], previous: str, percents: list[int] | None = None
) -> list[Credit]:
    """A stand-in the supervisor names serves for the consultants the revenue was credited to:
    "业绩算首诊咨询师的业绩", the stand-in gets none of it. One credited (the owner, else the one
    assigned) keeps it whole; a revenue split between consultants (a wrong assignment's 50/50, a
    joint review's 30/70) stays split as it stood, by `percents` (in `credited_to`'s order). A desk
    carried from a run before it kept the percents has none: it credits the consultant assigned
    (`previous`) whole, as that run did."""
    rule = CreditRule.OWNER_STAND_IN
    if len(credited_to) == 1:
        return [Credit(credited_to[0], 100, rule)]
    if len(credited_to) > 1 and percents is not None:
        return [Credit(c, p, rule) for c, p in zip(credited_to, percents, strict=True)]
    return [Credit(previous, 100, rule)]


def split_percents(credits: Sequence[Credit]) -> list[int] | None:
    """The percents an assignment keeps beside the names `credits` credit: only where the revenue
    is split, as one consultant credited whole needs none (and the desk's state stays as it was
    for every other client)."""
    return [c.percent for c in credits] if len(credits) > 1 else None


def assignment_credit(consultant_id: str, credited_to: tuple[str, ...]) -> list[Credit]:
    """At triage: the receiving consultant, unless they stand in for the owner."""
    if credited_to and credited_to != (consultant_id,):
        share = 100 // len(credited_to)
        return [Credit(c, share, CreditRule.OWNER_STAND_IN) for c in credited_to]
    return [Credit(consultant_id, 100, CreditRule.ASSIGNED)]


def owner_after(rule: CreditRule, previous_owner: str | None, new: str) -> str | None:
    """Whether the client's ownership moves with the change: a joint review does not move it."""
    if rule is CreditRule.JOINT_REVIEW:
        return previous_owner
    return new
