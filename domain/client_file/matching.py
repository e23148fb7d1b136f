"""What makes two registrations the same person's, as reception would judge it at the desk.

A registration matches a client of the same clinic on the phone (its digits only: "+48 600
100 200" and "+48600100200" are one number; a number written once with and once without its
country code is not), on the e-mail (trimmed, case ignored) or on the name (spacing and case
ignored) together with the birth date. Each is an exact key, so the lookup is an index search.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

MAX_KEY = 255  # the column's width; a longer key is cut (the name and e-mail are at most 200)


class MatchedOn(str, Enum):
    NAME_AND_BIRTH_DATE = "NAME_AND_BIRTH_DATE"
    PHONE = "PHONE"
    EMAIL = "EMAIL"


def match_keys(
    full_name: str | None, birth_date: date, phone: str | None, email: str | None
) -> dict[str, MatchedOn]:
    """The keys a client's identity is found by, each with what it stands for."""
    keys: dict[str, MatchedOn] = {}
    name = " ".join((full_name or "").split()).lower()
    if name:
        keys[f"name:{birth_date.isoformat()}:{name}"[:MAX_KEY]] = MatchedOn.NAME_AND_BIRTH_DATE
    digits = "".join(c for c in phone or "" if c in "0123456789")
    if digits:
        keys[f"phone:{digits}"[:MAX_KEY]] = MatchedOn.PHONE
    mailbox = (email or "").strip().lower()
    if mailbox:
        keys[f"email:{mailbox}"[:MAX_KEY]] = MatchedOn.EMAIL
    return keys
