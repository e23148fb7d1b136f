"""Follow-ups and closing: calls made by follow-up staff, journeys closed by a supervisor."""

from __future__ import annotations

import re

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails
from domain.journey.stages import FollowUpOutcome
from domain.journey.table import Action
from schema import idempotency
from schema.context import Context
from schema.journeys.actions import (
    JourneyResult,
    load_visible_journey,
    run_noted_action,
    run_recorded_action,
)
from schema.text import check_text

# The ids the journey gives its follow-ups (`domain.journey.followups`). Anything else is refused
# here, so text typed into the id never travels to the journey's workflow.
FOLLOW_UP_ID = re.compile(r"fu-[0-9]{1,3}")


@strawberry.input
class CompleteFollowUpInput:
    journey_id: strawberry.ID
    follow_up_id: str
    outcome: FollowUpOutcome
    satisfaction: int | None = strawberry.field(
        default=None,
        description="1 to 5, needed when reached; left out for a client who asked not to be "
        "asked about her results (the task's `mayAskAboutResults` false), whose score is kept "
        "when she gives one all the same.",
    )
    note: str | None = None
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class CloseJourneyInput:
    journey_id: strawberry.ID
    reason: str
    idempotency_key: str | None = idempotency.key_field()


async def complete_follow_up(
    info: Info[Context, None], input: CompleteFollowUpInput
) -> JourneyResult:
    problems: list[FieldProblem] = check_text("note", input.note, required=False)
    if not FOLLOW_UP_ID.fullmatch(input.follow_up_id):
        problems.append(
            FieldProblem("followUpId", "a follow-up of this journey, such as fu-1", Code.BAD_FORMAT)
        )
    if input.outcome is FollowUpOutcome.COMPLICATION:
        problems.append(
            FieldProblem(
                "outcome", "a complication is reported with reportComplication", Code.UNKNOWN_VALUE
            )
        )
    details = ActionDetails(
        follow_up_id=input.follow_up_id,
        follow_up_outcome=input.outcome,
        satisfaction=input.satisfaction,
        results_not_asked=await _results_not_asked(info, input),
    )
    return await run_recorded_action(
        info,
        input,
        Action.COMPLETE_FOLLOW_UP,
        problems=problems,
        details=details,
        record_kind="follow_up",
    )


async def _results_not_asked(info: Info[Context, None], input: CompleteFollowUpInput) -> bool:
    """Whether the call reaches a client who asked not to be asked about her results (seed 001):
    her PHONE_WISHES as the call's task shows them, read only for a reached call without a score."""
    if input.outcome is not FollowUpOutcome.REACHED or input.satisfaction is not None:
        return False
    journey = await load_visible_journey(info, input.journey_id)
    if journey is None:
        return False  # the step answers that it finds no such journey
    return await info.context.loaders.may_ask_about_results.load(journey.client_id) is False


async def close_follow_ups(info: Info[Context, None], input: CloseJourneyInput) -> JourneyResult:
    return await _close(info, input, Action.CLOSE_FOLLOW_UPS)


async def close_not_converted(info: Info[Context, None], input: CloseJourneyInput) -> JourneyResult:
    return await _close(info, input, Action.CLOSE_NOT_CONVERTED)


async def _close(
    info: Info[Context, None], input: CloseJourneyInput, action: Action
) -> JourneyResult:
    return await run_noted_action(
        info, input, action, field="reason", text=input.reason, required=True
    )
