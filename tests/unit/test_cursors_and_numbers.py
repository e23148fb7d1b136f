"""Cursors and numbers read from text: anything odd is None (a refused input), never an
exception, and a cursor's moment is always in UTC, comparable with the rows' zoned times."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from schema.ids import INTEGER_MAX, decode_cursor, encode_cursor, whole_number


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_a_cursor_comes_back_as_it_was_made_in_utc() -> None:
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor(at, "row-1")) == (at, "row-1")
    moved = decode_cursor(_cursor("2026-03-01T10:30:00+01:00|row-1"))
    assert moved is not None and moved[0].utcoffset() is not None and moved[0] == at


def test_a_cursor_without_a_zone_is_read_as_utc() -> None:
    assert decode_cursor(_cursor("2026-03-01T09:30:00|row-1")) == (
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "row-1",
    )


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+14:00|x", "9999-12-31T23:00:00-14:00|x", "yesterday|x", "x"]
)
def test_a_cursor_no_moment_can_hold_is_none(text: str) -> None:
    assert decode_cursor(_cursor(text)) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("42", 42), ("9" * 18, int("9" * 18)), (str(2**63 - 1), 2**63 - 1)],
)
def test_whole_numbers_in_ascii_digits_are_read(text: str, number: int) -> None:
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text", ["", "-1", "+1", "1.0", " 1", "\u0661", "\u00b2", "\uff11", str(2**63), "9" * 40]
)
def test_anything_else_is_no_number(text: str) -> None:
    assert whole_number(text) is None


def test_a_number_past_the_column_it_is_compared_with_is_none() -> None:
    assert whole_number(str(INTEGER_MAX), INTEGER_MAX) == INTEGER_MAX
    assert whole_number(str(INTEGER_MAX + 1), INTEGER_MAX) is None
