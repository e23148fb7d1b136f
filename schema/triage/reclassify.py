"""`reclassifyVisit`: a supervisor or an expert changes the category of a visit the desk placed
today (seed 004: an item the medical director rules out makes it "other", no make-up turn)."""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode as Code
from domain.journey.stages import VisitCategory
from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.commands import ReclassifyRule as DomainRule
from schema import idempotency
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    Unavailable,
    ValidationFailed,
    invalid,
)
from schema.triage.desk import TriageBoardPayload, desk_change, desk_note_problem, refused
from schema.triage.mutations import DeskJourney, desk_journey

# Seed 004: an item the medical director rules out turns the first visit into "other" ("可由初诊
# 改为其他状态"), and an item the clinic does not offer is an invalid consultation, never a turn
# ("无效咨询不计入正常分诊名额"). Only a registration error may put the visit in another category:
# a ruling naming FIRST_VISIT charged the consultant a turn in the medical director's name.
RULE_MAKES: dict[DomainRule, VisitCategory] = {
    DomainRule.RULED_OUT_BY_MEDICAL_DIRECTOR: VisitCategory.OTHER,
    DomainRule.ITEM_NOT_OFFERED: VisitCategory.OTHER,
}


@strawberry.enum(name="ReclassifyRule", description="Why a visit the desk placed changes category.")
class ReclassifyRule(Enum):
    RULED_OUT_BY_MEDICAL_DIRECTOR = strawberry.enum_value(
        DomainRule.RULED_OUT_BY_MEDICAL_DIRECTOR.value,
        description="The medical director ruled the item out: the visit becomes OTHER (the "
        "only category this rule takes) and the consultant gets no make-up turn (seed 004).",
    )
    ITEM_NOT_OFFERED = strawberry.enum_value(
        DomainRule.ITEM_NOT_OFFERED.value,
        description="The clinic does not offer the item asked for: an invalid consultation, "
        "the visit becomes OTHER (the only category this rule takes), not a turn.",
    )
    REGISTRATION_ERROR = strawberry.enum_value(
        DomainRule.REGISTRATION_ERROR.value,
        description="The front desk registered the visit under the wrong category: any "
        "category but RECHECK.",
    )


@strawberry.input(description="A visit the desk placed today, its new category and the rule.")
class ReclassifyVisitInput:
    journey_id: strawberry.ID = strawberry.field(
        description="The journey whose visit the desk placed today."
    )
    category: VisitCategory = strawberry.field(
        description="The visit's new category; only FIRST_VISIT counts as a rotation turn. "
        "OTHER with RULED_OUT_BY_MEDICAL_DIRECTOR and ITEM_NOT_OFFERED (ValidationFailed on "
        "category otherwise)."
    )
    rule: ReclassifyRule = strawberry.field(description="The rule that reclassifies it.")
    reason: str = strawberry.field(
        description="Why, in the words of the supervisor or expert (kept with the desk's log)."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(
    description="The visit as the desk now counts it. An expert cannot read the "
    "desk's board, so the answer is the visit itself."
)
class ReclassifyVisitPayload:
    journey_id: strawberry.ID = strawberry.field(description="The journey reclassified.")
    visit_category: VisitCategory = strawberry.field(description="The visit's category now.")
    counted: bool = strawberry.field(description="Whether it now counts as a rotation turn.")
    desk_version: int = strawberry.field(
        description="The desk's version (its last log entry) after the reclassification; a "
        "retry with the same key is answered with the desk's version as it stands then, as every "
        "desk change's retry answers the board as it stands."
    )


ReclassifyVisitOutcome = (
    ReclassifyVisitPayload
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | Unavailable
)
ReclassifyVisitResult = Annotated[
    ReclassifyVisitOutcome,
    strawberry.union(
        "ReclassifyVisitResult",
        description="The reclassified visit, or why it was not reclassified.",
    ),
]


async def reclassify_visit(
    info: Info[Context, None],
    input: Annotated[
        ReclassifyVisitInput,
        strawberry.argument(description="The visit, its new category and the rule."),
    ],
) -> ReclassifyVisitResult:
    asked = await desk_journey(info, input)
    if not isinstance(asked, DeskJourney):
        return asked
    actor, journey_id = asked.actor, asked.journey_id
    bad_reason = desk_note_problem("reason", input.reason)
    if bad_reason:
        return bad_reason
    rule = DomainRule(input.rule.value)
    made = RULE_MAKES.get(rule)
    command = OverrideCommand(
        actor,
        OverrideKind.RECLASSIFY,
        journey_id=journey_id,
        category=input.category,
        reclassify_rule=rule,
    )
    if made is not None and input.category is not made:
        # (a retry of a reclassification the desk took before this rule is answered)
        mismatch = invalid(
            "category", f"{rule.value} makes the visit {made.value}", Code.INCONSISTENT
        )
        outcome = await refused(info, input, mismatch)
    else:
        outcome = await desk_change(
            info,
            "reclassify_visit",
            input,
            lambda gateway, clinic, key, note: gateway.override(
                clinic, replace(command, note_id=note), key
            ),
            note=input.reason,
        )
    if not isinstance(outcome, TriageBoardPayload):
        return outcome
    # The desk took it (now, or for this key before): the visit is what the input asked for.
    return ReclassifyVisitPayload(
        journey_id=input.journey_id,
        visit_category=input.category,
        counted=input.category is VisitCategory.FIRST_VISIT,
        desk_version=outcome.board.version,
    )
