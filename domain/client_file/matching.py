"""What makes two registrations the same person's, as reception would judge it at the desk.

A registration matches a client of the same clinic on the phone, on the e-mail (trimmed, case
ignored) or on the name (spacing and case ignored) together with the birth date. Each is an
exact key, so the lookup is an index search.

The phone is put in one form, the international one (E.164) that `phonenumbers` (Google's
libphonenumber metadata) makes of it, read as dialled in the clinic's country: in a Polish
clinic "600 100 200", "+48 600 100 200" and "0048600100200" are one number, in a Russian one
"8 916 123-45-67" (the trunk prefix 8) and "+7 916 123 45 67", in a Chinese one "138 0013 8000"
and "+86 138 0013 8000". A number that is no possible number there but starts with "00" is read
as international ("00 48 600 100 200" in a Russian clinic, or one of no country, is
"+48600100200"); any other keeps its digits only.
The clinic's country is the one its time zone lies in (CLDR's data, as Babel carries it).
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import phonenumbers
from babel.core import get_global

from domain.text import comparable

MAX_KEY = 255  # the column's width; a longer key is cut (the name and e-mail are at most 200)
# CLDR's territories that are no country: "ZZ" unknown (Etc/UTC), "001" the world.
_NO_COUNTRY = {"ZZ", "001"}


class MatchedOn(str, Enum):
    NAME_AND_BIRTH_DATE = "NAME_AND_BIRTH_DATE"
    PHONE = "PHONE"
    EMAIL = "EMAIL"


def clinic_country(timezone: str) -> str | None:
    """The country (ISO 3166 code) a clinic in `timezone` dials from: "Europe/Warsaw" → "PL".
    None for a zone of no country (UTC)."""
    canonical = get_global("zone_aliases").get(timezone, timezone)
    territory = get_global("zone_territories").get(canonical)
    return None if territory is None or territory in _NO_COUNTRY else str(territory)


def phone_key(phone: str, country: str | None) -> str | None:
    """The key of a phone number: "phone:+48600100200" in international form when it is a
    possible number as dialled in `country`, else "phone:" and its digits; None without digits."""
    digits = "".join(c for c in phone if c in "0123456789")
    if not digits:
        return None
    number = _possible_number(phone, country)
    if number is None and digits.startswith("00"):
        # "00" dials abroad from most of the world: a Polish client's "00 48 ..." is read so in a
        # clinic whose country dials abroad otherwise (Russia's "8 10") or that has no country.
        number = _possible_number("+" + digits[2:], None)
    if number is not None:
        international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return f"phone:{international}"[:MAX_KEY]
    return f"phone:{digits}"[:MAX_KEY]


def _possible_number(phone: str, country: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(phone, country)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def name_key(full_name: str | None, birth_date: date) -> str | None:
    """The key of a name with a birth date, the name in its comparable form (`text.comparable`):
    before migration 0051, "Zoe\u0308" (a decomposed letter) or a soft hyphen in a name made
    a key of its own, and the same client registered again was not found."""
    name = comparable(full_name or "")
    return f"name:{birth_date.isoformat()}:{name}"[:MAX_KEY] if name else None


def match_keys(
    full_name: str | None,
    birth_date: date,
    phone: str | None,
    email: str | None,
    country: str | None = None,
) -> dict[str, MatchedOn]:
    """The keys a client's identity is found by, each with what it stands for; `country` is the
    clinic's (`clinic_country`), which a number written without its country code is read in."""
    keys: dict[str, MatchedOn] = {}
    name = name_key(full_name, birth_date)
    if name is not None:
        keys[name] = MatchedOn.NAME_AND_BIRTH_DATE
    number = phone_key(phone or "", country)
    if number is not None:
        keys[number] = MatchedOn.PHONE
    mailbox = (email or "").strip().lower()
    if mailbox:
        keys[f"email:{mailbox}"[:MAX_KEY]] = MatchedOn.EMAIL
    return keys
