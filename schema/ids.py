"""Relay global ids and opaque cursors. Anything malformed decodes to None, never an exception."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime

# Every raw id in the read model is at most this long; anything longer cannot name a row.
MAX_RAW_ID = 64
# A whole number in a cursor or an input: ASCII digits only (`int()` also reads other scripts'
# digits, and `isdigit()` passes superscripts it then refuses), and no larger than the column
# it is compared with holds (PostgreSQL refuses the query otherwise: a fault, not "no such row").
_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1


def _fits(raw_id: str) -> bool:
    # A NUL can be base64-encoded into an id; no row has one, and PostgreSQL refuses it in a query.
    return 0 < len(raw_id) <= MAX_RAW_ID and "\x00" not in raw_id


def encode_id(type_name: str, raw_id: str) -> str:
    return base64.b64encode(f"{type_name}:{raw_id}".encode()).decode()


def decode_id(global_id: str, expected_type: str) -> str | None:
    try:
        text = base64.b64decode(global_id.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, raw_id = text.partition(":")
    fits = _fits(raw_id)
    return raw_id if type_name == expected_type and fits else None


def decode_any(global_id: str) -> tuple[str, str] | None:
    try:
        text = base64.b64decode(global_id.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, raw_id = text.partition(":")
    fits = _fits(raw_id)
    return (type_name, raw_id) if type_name and fits else None


def encode_cursor(at: datetime, raw_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{raw_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    """The cursor's moment in UTC and its row id. The API's own cursors carry a zone; a time
    without one, made by hand, is read as UTC (compared with the zoned times of rows it would be
    a TypeError), and one that cannot be moved to UTC (year 1 at +14:00) is no cursor (the
    database driver's conversion would overflow)."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        at_text, _, raw_id = text.partition("|")
        at = datetime.fromisoformat(at_text)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        return (at, raw_id) if _fits(raw_id) else None
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        return None


def whole_number(text: str, maximum: int = BIGINT_MAX) -> int | None:
    """A non-negative whole number in ASCII digits, at most `maximum`; else None."""
    number = int(text) if _WHOLE_NUMBER.fullmatch(text) else None
    return number if number is not None and number <= maximum else None
