"""A member of staff as a record keeps them: the StaffMember's global id the API took (or a raw
account id written as such), read back as the account id the copy and the store name them by.
Pure: the store's records and the FHIR Bundle of her copy read a recorded performer alike."""

from __future__ import annotations

import base64
import binascii
from typing import Any

# A record keeps a member of staff as the API took them, a StaffMember's global id.
_STAFF_MEMBER = "StaffMember:"
_MAX_ACCOUNT_ID = 64


def account_named(named: Any) -> str | None:
    """The raw account id of a StaffMember's global id a record keeps (or of a raw id written
    as such); None for anything else."""
    if not isinstance(named, str) or not named:
        return None
    try:
        text = base64.b64decode(named.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    raw = text.removeprefix(_STAFF_MEMBER) if text.startswith(_STAFF_MEMBER) else named
    return raw if 0 < len(raw) <= _MAX_ACCOUNT_ID and "\x00" not in raw else None
