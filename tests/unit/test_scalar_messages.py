"""What the Date, DateTime and Decimal scalars say when they cannot read a value: a short piece
of it as sent, or its JSON kind, and what is expected; never a Python repr or the parser's
own words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from strawberry.exceptions import StrawberryInputCoercionError

from schema.scalars import DateScalar, DateTimeScalar, DecimalScalar

DATE = "expected a date as YYYY-MM-DD."
_WIDE = '"\uff12\uff10\uff12\uff16-12-04"'


@pytest.mark.parametrize(
    ("scalar", "value", "message"),
    [
        (DateScalar, {"y": 1}, f"Date cannot represent an object: {DATE}"),
        (DateScalar, [1, True, None], f"Date cannot represent a list: {DATE}"),
        (DateScalar, True, f"Date cannot represent true or false: {DATE}"),
        (DateScalar, "2026-02-30", f'Date cannot represent "2026-02-30": {DATE}'),
        (DateScalar, "9" * 3000, f'Date cannot represent "{"9" * 40}…": {DATE}'),
        # Python's reader takes these too; the API reads only the form it describes
        (DateScalar, "20261204", f'Date cannot represent "20261204": {DATE}'),
        (DateScalar, "2026-W49-5", f'Date cannot represent "2026-W49-5": {DATE}'),
        # Digits of another script (full-width 2026) that Python's int() reads
        (DateScalar, "\uff12\uff10\uff12\uff16-12-04", f"Date cannot represent {_WIDE}: {DATE}"),
        (
            DateTimeScalar,
            "2026-13-01T00:00Z",
            'DateTime cannot represent "2026-13-01T00:00Z": expected an ISO 8601 moment such as '
            "2026-03-02T10:00:00Z.",
        ),
        (
            DecimalScalar,
            {"x": [1, 2]},
            "Decimal cannot represent an object: expected a number as a string.",
        ),
    ],
)
def test_a_value_a_scalar_cannot_read_is_named_shortly(
    scalar: object, value: object, message: str
) -> None:
    with pytest.raises(StrawberryInputCoercionError) as refused:
        scalar.parse_value(value)  # type: ignore[attr-defined]
    assert str(refused.value) == message


def test_what_they_read_is_unchanged() -> None:
    assert DateScalar.parse_value("2026-02-28") == date(2026, 2, 28)
    moment = DateTimeScalar.parse_value("2026-03-02T10:00:00Z")
    assert moment == datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert DateTimeScalar.serialize(moment) == "2026-03-02T10:00:00+00:00"
