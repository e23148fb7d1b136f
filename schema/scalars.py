"""The `Decimal`, `Date` and `DateTime` scalars, refusing what they cannot read in plain words.

`Decimal`: money and rates as exact decimal strings, finite and of sane size.

Python's `Decimal` reads "NaN", "sNaN", "Infinity" and exponents in the billions, and Strawberry's
scalar passes them on: a comparison or a multiplication in a resolver then raises, and the client
hears "Unexpected error." (or a message about decimal places). The scalar itself refuses them,
so every `Decimal` argument is a plain finite number before any resolver sees it.

`Date` and `DateTime` read ISO 8601 as Strawberry's own scalars do, and a refusal shows a
short piece of the value as the client sent it (a JSON object was shown as a Python dict,
`{'y': 1}`; a 3,000-character string came back whole) and says what is expected instead of the
parser's own words ("day is out of range for month"). A `DateTime` is a moment UTC can hold:
0001-01-01T00:00:00+14:00 is in year 0 in UTC, 9999-12-31T23:59:59-14:00 in year 10000, which
no `datetime` holds, and each resolver's conversion of one raised ("Unexpected error.").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import methodcaller
from typing import Any

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

# Far beyond any price or rate (the largest amount is 10^13), far within what `Decimal`
# computes exactly: a value of more digits or a wilder exponent is a mistake, not money.
MAX_DIGITS = 40
MAX_EXPONENT = 40
# ASCII digits only: `\d` and `Decimal` also read other scripts' digits (full-width "1200" as 1200).
_NUMBER = re.compile(r"-?(?P<mantissa>[0-9]+(\.[0-9]+)?)([eE](?P<exponent>[+-]?[0-9]+))?")

DECIMAL_DESCRIPTION = (
    'An exact decimal number as a string, such as "1200.00" (a JSON number is read the same '
    "way), in ASCII digits. Finite only: NaN and Infinity are refused, as are more than "
    f"{MAX_DIGITS} digits or an exponent beyond ±{MAX_EXPONENT}."
)


def _shown(value: object) -> str:
    """The value as the client sent it, cut short; a JSON value of another kind by its kind."""
    if isinstance(value, bool) or value is None:
        return "true or false" if value is not None else "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    if isinstance(value, int | float):
        return text if len(text) <= 40 else text[:40] + "…"
    return '"' + (text if len(text) <= 40 else text[:40] + "…") + '"'


def _refused(value: object, why: str, scalar: str = "Decimal") -> StrawberryInputCoercionError:
    return StrawberryInputCoercionError(f"{scalar} cannot represent {_shown(value)}: {why}.")


def parse_decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _refused(value, "expected a number as a string")
    text = str(value)
    if isinstance(value, float) and not text.lstrip("-")[:1].isdigit():
        raise _refused(value, "a finite number is required")
    match = _NUMBER.fullmatch(text)
    if match is None:
        lowered = text.strip().lstrip("+-").lower()
        if lowered in ("nan", "snan", "inf", "infinity"):
            raise _refused(value, "a finite number is required (no NaN or Infinity)")
        raise _refused(value, "expected digits with an optional point and exponent")
    if sum(c.isdigit() for c in match["mantissa"]) > MAX_DIGITS:
        raise _refused(value, f"at most {MAX_DIGITS} digits")
    # The exponent's own digits are bounded first: `int()` of thousands of digits is refused
    # by Python, and `Decimal` of a huge one is slow or raises.
    exponent = (match["exponent"] or "0").lstrip("+-").lstrip("0")
    number = Decimal(text) if len(exponent) <= 3 else None
    if number is None or abs(number.adjusted()) > MAX_EXPONENT:
        raise _refused(value, f"the exponent is beyond ±{MAX_EXPONENT}")
    return number


DecimalScalar = ScalarDefinition(
    name="Decimal",
    description=DECIMAL_DESCRIPTION,
    specified_by_url=None,
    serialize=str,
    parse_value=parse_decimal,
    parse_literal=None,
    origin=Decimal,
)


def _moment_parser(scalar: str, parse: Callable[[str], object] | None, expected: str) -> Any:
    assert parse is not None  # Strawberry's scalars all parse

    def parse_value(value: object) -> object:
        if not isinstance(value, str):
            raise _refused(value, f"expected {expected}", scalar)
        try:
            return parse(value)
        except (ValueError, OverflowError, StrawberryInputCoercionError):
            raise _refused(value, f"expected {expected}", scalar) from None

    return parse_value


# Python reads more than the description promises (20261204, 2026-W49-5): those are refused,
# so that what a client sends is what every other reader of the API would read.
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _calendar_date(text: str) -> date:
    if not _CALENDAR_DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _utc_moment(text: str) -> datetime:
    """Strawberry's reading (dateutil's isoparse: what clients sent before still reads), of a
    moment UTC can hold (OverflowError otherwise)."""
    parse = DateTimeDefinition.parse_value
    assert parse is not None  # Strawberry's scalars all parse
    moment = parse(text)
    if not isinstance(moment, datetime):
        raise ValueError(text)
    if moment.tzinfo is not None:
        moment.astimezone(UTC)
    return moment


DateScalar = ScalarDefinition(
    name="Date",
    description="A calendar date, YYYY-MM-DD (ISO 8601).",
    specified_by_url=None,
    serialize=methodcaller("isoformat"),
    parse_value=_moment_parser("Date", _calendar_date, "a date as YYYY-MM-DD"),
    parse_literal=None,
    origin=date,
)
DateTimeScalar = ScalarDefinition(
    name="DateTime",
    description="A moment, ISO 8601 with its offset, such as 2026-03-02T10:00:00+01:00.",
    specified_by_url=None,
    serialize=methodcaller("isoformat"),
    parse_value=_moment_parser(
        "DateTime", _utc_moment, "an ISO 8601 moment such as 2026-03-02T10:00:00Z"
    ),
    parse_literal=None,
    origin=datetime,
)
SCALAR_OVERRIDES = {Decimal: DecimalScalar, date: DateScalar, datetime: DateTimeScalar}
