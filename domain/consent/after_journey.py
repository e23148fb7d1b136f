"""Consents that outlive their journey: withdrawn once the journey has ended, too.

A photo consent decides how the client's photos are used long after the visit: in after-care
for a year (the photos at suture removal, 3 months, 1 year), in marketing later, and marketing
needs its own explicit consent (seeds 000, 002, 003). A data-processing consent decides what is
done with the client's file, which outlives every journey (GDPR: consent is withdrawn at any
time), and a data-sharing consent whether the file may go to anyone outside the clinic. All
three may be withdrawn whatever became of their journey.

A procedure's or an anesthesia's consent is for one treatment: once its journey has ended, that
treatment was given or never will be, and the signature is history, not a permission still in
use. Withdrawing it then is refused, as before.
"""

from __future__ import annotations

from collections.abc import Collection

from domain.errors import DomainError, FieldProblem, NotAuthorized, ValidationFailed
from domain.errors import FieldProblemCode as Code
from domain.journey.access import authorization_problem
from domain.journey.facts import Actor, JourneyFacts
from domain.journey.stages import ConsentKind
from domain.journey.table import Action

OUTLIVE_THEIR_JOURNEY = frozenset(
    {ConsentKind.PHOTO, ConsentKind.DATA_PROCESSING, ConsentKind.DATA_SHARING}
)


def outlives_its_journey(kind: ConsentKind) -> bool:
    return kind in OUTLIVE_THEIR_JOURNEY


def in_force_after_journey(
    facts: JourneyFacts, withdrawn_since: Collection[ConsentKind]
) -> list[ConsentKind]:
    """The consents of the ended journey `facts` describe that may still be withdrawn: those
    that outlive it, signed in it and not withdrawn, in it or since (`withdrawn_since`)."""
    signed = [k for k in facts.consents_signed if outlives_its_journey(k)]
    return [k for k in dict.fromkeys(signed) if k not in withdrawn_since]


def may_offer_withdrawal(facts: JourneyFacts, actor: Actor) -> bool:
    """Whether `actor` may be offered a withdrawal on the ended journey `facts` describe, were
    its consents not withdrawn since: only then are the withdrawals since worth reading."""
    return (
        facts.stage.is_terminal
        and bool(in_force_after_journey(facts, ()))
        and authorization_problem(facts, Action.WITHDRAW_CONSENT, actor) is None
    )


def withdrawn_since_summary(kind: ConsentKind) -> str:
    """What the journey's history says of a consent withdrawn after the journey ended."""
    return f"{kind.value} consent withdrawn after the journey ended"


def not_in_force(kind: ConsentKind, field: str = "kind") -> ValidationFailed:
    """The answer to withdrawing a consent of `kind` never signed, or withdrawn in the journey,
    on the input's `field` that names whose consent it is (`kind` of a journey's; `clientId` of
    the client's own DATA_SHARING consent, whose input has no kind)."""
    return ValidationFailed(
        [FieldProblem(field, f"no {kind.value} consent is in force", Code.NOT_ALLOWED_NOW)]
    )


def withdrawn_already(kind: ConsentKind) -> ValidationFailed:
    """The answer to withdrawing a consent of `kind` withdrawn after its journey ended."""
    message = f"the {kind.value} consent is withdrawn already"
    return ValidationFailed([FieldProblem("kind", message, Code.NOT_ALLOWED_NOW)])


def late_withdrawal_refusal(
    facts: JourneyFacts, actor: Actor, kind: ConsentKind, withdrawn_since: bool
) -> DomainError | None:
    """Why `actor` may not withdraw the `kind` consent (one that outlives its journey) of the
    ended journey `facts` describe; None: they may. `withdrawn_since`: it was withdrawn after
    the journey ended (the journey's facts, frozen at its end, do not say so)."""
    problem = authorization_problem(facts, Action.WITHDRAW_CONSENT, actor)
    if problem:
        return NotAuthorized(problem)
    if withdrawn_since:
        return withdrawn_already(kind)
    if kind not in facts.consents_signed:
        return not_in_force(kind)
    return None
