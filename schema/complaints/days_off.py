"""`clinicDaysOff` and `setClinicDaysOff`: the days the clinic is closed besides weekends, a
calendar year at a time (`domain.clinic_days`). A complaint's first answer counts working days
without them; a complaint received before a change keeps the due time it was given."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.clinic_days import MAX_DAYS_OFF_PER_YEAR, REASON_LIMIT, DayOff, days_off_problems
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store import records
from domain.store.clinic_calendar import days_off_of_year, replace_year
from schema import idempotency
from schema.clients.file_access import zone_of
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, from_domain, not_authorized


@strawberry.type(description="A day the clinic is closed.")
class ClinicDayOff:
    day: date = strawberry.field(description="The day, in the clinic's calendar.")
    reason: str | None = strawberry.field(
        description="Why: a public holiday's name, a closure; null when none was given."
    )


@strawberry.type(description="The days of a year the clinic is closed besides weekends.")
class ClinicDaysOff:
    year: int = strawberry.field(description="The calendar year.")
    days: list[ClinicDayOff] = strawberry.field(description="Its closed days, by date.")


@strawberry.input(description="A day the clinic is closed.")
class ClinicDayOffInput:
    day: date = strawberry.field(description="A day of the input's `year`, each listed once.")
    reason: str | None = strawberry.field(
        default=None, description=f"Why, up to {REASON_LIMIT} characters; may be omitted."
    )


@strawberry.input(description="A year's closed days, all of them: the list replaces the year's.")
class SetClinicDaysOffInput:
    year: int = strawberry.field(
        description="The calendar year: from last year to five years ahead."
    )
    days: list[ClinicDayOffInput] = strawberry.field(
        description=f"At most {MAX_DAYS_OFF_PER_YEAR}, any order; empty: the clinic opens "
        "every weekday of the year."
    )
    idempotency_key: str | None = idempotency.key_field()


ClinicDaysOffResult = Annotated[
    ClinicDaysOff | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("ClinicDaysOffResult"),
]


async def _year_view(clinic_id: str, year: int) -> ClinicDaysOff:
    rows = await days_off_of_year(clinic_id, year)
    return ClinicDaysOff(
        year=year, days=[ClinicDayOff(day=row.day, reason=row.reason) for row in rows]
    )


async def _this_year(info: Info[Context, None], clinic_id: str) -> int:
    return datetime.now(UTC).astimezone(await zone_of(info, clinic_id)).year


async def clinic_days_off(
    info: Info[Context, None],
    year: Annotated[
        int, strawberry.argument(description="The calendar year: from last year to five ahead.")
    ],
) -> ClinicDaysOffResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = days_off_problems(year, [], await _this_year(info, claims.clinic_id))
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    return await _year_view(claims.clinic_id, year)


async def set_clinic_days_off(
    info: Info[Context, None], input: SetClinicDaysOffInput
) -> ClinicDaysOffResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    days = [DayOff(entry.day, entry.reason) for entry in input.days]
    problems = days_off_problems(input.year, days, await _this_year(info, claims.clinic_id))
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_domain(DomainValidationFailed([*problems, bad_key]))  # type: ignore[return-value]
    if problems:
        # The years a list may be set for move on with the clock: a retry of a list set before
        # New Year is answered as its first attempt was, not refused for the year it set.
        refusal = from_domain(DomainValidationFailed(problems))
        refused = await idempotency.refusal_answer(info, claims.account_id, input, refusal)
        if refused is not None:
            return refused  # type: ignore[return-value]

    # The whole year at once: the same change however often it is made.
    async def replace() -> None:
        at = datetime.now(UTC)
        await replace_year(claims.clinic_id, input.year, days, claims.account_id, at)

    refused = await idempotency.replace_setting(
        info, claims.account_id, input, claims.clinic_id, replace
    )
    return refused or await _year_view(claims.clinic_id, input.year)
