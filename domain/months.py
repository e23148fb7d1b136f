"""A calendar month as the API takes it: "YYYY-MM", ASCII digits only."""

from __future__ import annotations

import re

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
# The years a month may name: its first and last instant, in any clinic's time zone and in UTC,
# must stay within what a datetime holds (0001-01 and 9999-12 overflowed, a fault, not an answer).
FIRST_YEAR, LAST_YEAR = 1900, 9998
MONTH_RULE = f"a month as YYYY-MM, years {FIRST_YEAR} to {LAST_YEAR}"


def is_month(text: str) -> bool:
    return _MONTH.fullmatch(text) is not None and FIRST_YEAR <= int(text[:4]) <= LAST_YEAR
