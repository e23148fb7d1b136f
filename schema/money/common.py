"""What every money mutation shares: reading an amount, the clinic's settings, a keyed write."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info
from tortoise.models import Model

from domain.errors import ErrorCode, FieldProblem, FieldProblemCode
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.money.catalog import DEFAULT_SETTINGS, BillingSettings, PaymentPolicy
from domain.money.money import MAX_AMOUNT, Money, MoneyError, in_use, is_currency, minor_units
from domain.store import records
from domain.store.billing import ClinicBilling
from domain.store.records import KeyClaim
from schema import idempotency
from schema.context import Context
from schema.errors import Conflict, ValidationFailed, from_domain
from schema.money.types import MoneyInput

T = TypeVar("T")


def conflict(message: str) -> Conflict:
    return Conflict(code=ErrorCode.CONFLICT, message=message)


def invalid(problems: list[FieldProblem]) -> ValidationFailed:
    failed = from_domain(DomainValidationFailed(problems))
    assert isinstance(failed, ValidationFailed)
    return failed


def read_money(
    field: str, given: MoneyInput | None, problems: list[FieldProblem], currency: str | None
) -> Money | None:
    """The input as Money, or None with the problem named; `currency`: the one required."""
    if given is None:
        return None
    # The currency required (the clinic's, a payment's) is taken as it is kept; any other must
    # be in use today.
    if not (is_currency(given.currency) if given.currency == currency else in_use(given.currency)):
        unknown = "an ISO 4217 code such as EUR or PLN"
        problems.append(FieldProblem(f"{field}.currency", unknown, FieldProblemCode.UNKNOWN_VALUE))
        return None
    if currency is not None and given.currency != currency:
        other = f"amounts here are in {currency}"
        problems.append(FieldProblem(f"{field}.currency", other, FieldProblemCode.INCONSISTENT))
        return None
    try:
        money = Money(given.amount, given.currency)
    except MoneyError as error:
        places = minor_units(given.currency)
        why = f"at most {places} decimal places" if "decimal" in str(error) else str(error)
        too_much = given.amount.is_finite() and abs(given.amount) > MAX_AMOUNT
        code = FieldProblemCode.OUT_OF_RANGE if too_much else FieldProblemCode.BAD_FORMAT
        problems.append(FieldProblem(f"{field}.amount", why, code))
        return None
    if money.amount < 0:
        negative = "cannot be negative"
        problems.append(FieldProblem(f"{field}.amount", negative, FieldProblemCode.OUT_OF_RANGE))
        return None
    return money


async def billing_settings(clinic_id: str) -> BillingSettings:
    row = await ClinicBilling.get_or_none(clinic_id=clinic_id)
    if row is None:
        return DEFAULT_SETTINGS
    return BillingSettings(
        currency=row.currency,
        locale=row.locale,
        discount_threshold_percent=row.discount_threshold_percent,
        payment_policy=PaymentPolicy(row.payment_policy),
    )


def row_written(kind: str, model: type[Model]) -> Callable[[KeyClaim], Awaitable[bool]]:
    """Whether the row `keyed` derives for a request (of `kind`, from its key's claim) was
    written: a first attempt whose answer was lost went through
    (`idempotency.refusal_answer`)."""

    async def written(ledger: KeyClaim) -> bool:
        row_id = idempotency.derived_id(ledger, kind)
        return row_id is not None and await model.exists(id=row_id)

    return written


async def keyed(
    info: Info[Context, None],
    account_id: str,
    input: object,
    kind: str,
    answer: Callable[[str], Awaitable[T]],
    write: Callable[[str], Awaitable[T | str]],
) -> T | ValidationFailed | object:
    """Runs `write(row_id)` once per idempotency key: a retry answers `answer(first_id)`, the
    key reused for another request is a Conflict. `write` returns the row's id when it wrote
    (or found its own row), anything else (an error payload) when it refused."""
    bad_key = records.key_problem(idempotency.key_of(input))
    if bad_key:
        return invalid([bad_key])
    ledger = await idempotency.claim(info, account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        return await answer(first)
    row_id = idempotency.derived_id(ledger, kind) or str(uuid.uuid4())
    written = await write(row_id)
    if not isinstance(written, str):
        return written
    await idempotency.settle(account_id, input, written)
    return await answer(written)
