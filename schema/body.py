"""Turns a mutation's input into the JSON body of its clinical record."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.errors import FieldProblem, FieldProblemCode
from domain.journey.validation import MAX_MINOR_UNITS
from domain.money.hundredths import hundredths_problem
from domain.money.money import in_use, is_currency
from domain.text import one_line

_NOT_RECORDED = {"journey_id", "idempotency_key"}
# The people a record names (who signed a consent, their guardian): on one line, as every name
# kept (`domain.text.one_line`), in the record and in a correction of it.
_NAMES = frozenset({"signer_name", "guardian_name"})
# Far above any treatment's price; keeps amounts exact in integer minor units everywhere.
MAX_AMOUNT = Decimal(MAX_MINOR_UNITS) / 100


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def record_body(input_: Any) -> dict[str, Any]:
    body = _plain(input_)
    return names_on_one_line({k: v for k, v in body.items() if k not in _NOT_RECORDED})


def names_on_one_line(body: dict[str, Any]) -> dict[str, Any]:
    return {k: one_line(v) if k in _NAMES and isinstance(v, str) else v for k, v in body.items()}


def to_minor_units(
    field: str, amount: Decimal, currency: str, problems: list[FieldProblem]
) -> int | None:
    """A final plan's price or a payment without a bill: whole hundredths, whatever the
    currency (`domain.money.hundredths`), and an amount the currency itself can hold: ¥1,000.50
    or 1.255 KWD is an input error, as more than two decimals of euros is."""
    not_kept = hundredths_problem(amount, currency)
    if not_kept is not None:
        problems.append(FieldProblem(field, not_kept, FieldProblemCode.BAD_FORMAT))
        return None
    if abs(amount) > MAX_AMOUNT:
        problems.append(
            FieldProblem(field, f"at most {MAX_AMOUNT:,}", FieldProblemCode.OUT_OF_RANGE)
        )
        return None
    return int(amount * 100)


def check_currency(
    field: str, currency: str, problems: list[FieldProblem], *, kept: bool = False
) -> None:
    """A currency in use, not only a code's shape: "XYZ", "ÄÖÜ", the test code XTS or the
    withdrawn HRK name no currency a new price could be in. `kept`: money tied to what a
    clinic keeps (its billing currency, a bill's), which may be one withdrawn since: any code
    of ISO 4217's list, the record it must match checked by the caller."""
    if not (is_currency(currency) if kept else in_use(currency)):
        problems.append(
            FieldProblem(
                field, "an ISO 4217 code such as EUR or PLN", FieldProblemCode.UNKNOWN_VALUE
            )
        )
