"""The clinic's after-care setting: who makes the follow-up calls, when an open task counts as
overdue, and the warranty new treatments are issued with (until procedure types carry their
own). Set by the clinic's supervisor; it applies to tasks and cards written from then on."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.aftercare.tasks import FollowUpAssignee as AssigneeCode
from domain.aftercare.warranty import DEFAULT_TERMS
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store import records
from domain.store.aftercare import AftercareSetting, clinic_setting
from domain.text import shown_or_none
from schema import idempotency
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, from_domain, not_authorized
from schema.text import check_text

FollowUpAssignee = strawberry.enum(
    AssigneeCode, description="Who makes a clinic's follow-up calls."
)
MAX_OVERDUE_HOURS = 24 * 30
MAX_WARRANTY_DAYS = 3660


@strawberry.type(description="Your clinic's after-care setting.")
class AftercarePolicy:
    follow_up_assignee: FollowUpAssignee = strawberry.field(  # type: ignore[valid-type]
        description="Who gets the follow-up calls on their list."
    )
    overdue_after_hours: int = strawberry.field(
        description=(
            "An open task counts as overdue this many hours after it fell due; a call of the "
            "first day after the treatment once that day is over, if sooner (the first call is "
            "made within 24 hours of the treatment), and the ward's tasks by their own schedule."
        )
    )
    warranty_days: int = strawberry.field(description="The warranty period of new treatments.")
    warranty_terms: str = strawberry.field(description="The terms printed on new cards.")


def policy_view(row: AftercareSetting) -> AftercarePolicy:
    return AftercarePolicy(
        follow_up_assignee=AssigneeCode(row.follow_up_assignee),
        overdue_after_hours=row.overdue_after_seconds // 3600,
        warranty_days=row.warranty_days,
        warranty_terms=row.warranty_terms or DEFAULT_TERMS,
    )


@strawberry.input(description="The clinic's after-care setting, all of it.")
class SetAftercarePolicyInput:
    follow_up_assignee: FollowUpAssignee = strawberry.field(  # type: ignore[valid-type]
        description="FOLLOW_UP_STAFF: the clinic's follow-up staff share the calls; "
        "OWNING_CONSULTANT: each client's consultant calls them."
    )
    overdue_after_hours: int = strawberry.field(
        description=f"0 to {MAX_OVERDUE_HOURS}: hours after which an open task is overdue "
        "(a call of the first day after the treatment is overdue once that day is over, if "
        "sooner)."
    )
    warranty_days: int = strawberry.field(
        description=f"0 to {MAX_WARRANTY_DAYS}: the warranty period of new treatments."
    )
    warranty_terms: str | None = strawberry.field(
        default=None, description="The terms printed on new cards; omitted: the default terms."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The setting as it is now.")
class AftercarePolicyPayload:
    policy: AftercarePolicy = strawberry.field(description="The clinic's after-care setting.")


AftercarePolicyResult = Annotated[
    AftercarePolicyPayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("AftercarePolicyResult"),
]


async def aftercare_policy(info: Info[Context, None]) -> AftercarePolicyResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    return AftercarePolicyPayload(policy=policy_view(await clinic_setting(claims.clinic_id)))


async def set_aftercare_policy(
    info: Info[Context, None], input: SetAftercarePolicyInput
) -> AftercarePolicyResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = check_text("warrantyTerms", input.warranty_terms, required=False)
    if not 0 <= input.overdue_after_hours <= MAX_OVERDUE_HOURS:
        problems.append(
            FieldProblem("overdueAfterHours", f"0 to {MAX_OVERDUE_HOURS}", Code.OUT_OF_RANGE)
        )
    if not 0 <= input.warranty_days <= MAX_WARRANTY_DAYS:
        problems.append(
            FieldProblem("warrantyDays", f"0 to {MAX_WARRANTY_DAYS}", Code.OUT_OF_RANGE)
        )
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        failed = DomainValidationFailed(problems + ([bad_key] if bad_key else []))
        return from_domain(failed)  # type: ignore[return-value]
    # The whole setting at once: the same change however often it is made.
    values = {
        "follow_up_assignee": AssigneeCode(input.follow_up_assignee).value,
        "overdue_after_seconds": input.overdue_after_hours * 3600,
        "warranty_days": input.warranty_days,
        # Terms that show nothing are none: kept as sent, every new card printed a blank warranty.
        "warranty_terms": shown_or_none(input.warranty_terms),
    }

    async def replace() -> None:
        await AftercareSetting.update_or_create(values, clinic_id=claims.clinic_id)

    refused = await idempotency.replace_setting(
        info, claims.account_id, input, claims.clinic_id, replace
    )
    return refused or AftercarePolicyPayload(
        policy=policy_view(await clinic_setting(claims.clinic_id))
    )
