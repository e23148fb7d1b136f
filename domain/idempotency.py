"""What makes two calls with one idempotency key the same request: a keyed digest of the
operation's name and its input in a canonical form, the key itself left out.

The digest is an HMAC under a server-side secret, not a bare hash: inputs carry passwords and
personal data, and a bare digest of a short input (a temporary password, a phone number) in the
ledger could be reversed by guessing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.errors import FieldProblem, FieldProblemCode
from domain.text import has_visible_text

# The field that carries the key, in any input: never part of what the key stands for.
KEY_FIELD = "idempotency_key"
# The HMAC key is derived from the server's secret for this use alone, so the digest can never
# be mistaken for (or help forge) anything else the secret signs.
_PURPOSE = b"glowpath idempotency request digest v1"


def canonical(value: Any) -> Any:
    """A JSON-ready form in which equal inputs are equal: enums by value, dates in ISO form,
    decimals normalised (100.00 and 100.0 are one amount), objects by field name."""
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


# An input may name fields it gained after keys were first claimed for it, each with the values
# (canonical) that mean what the input meant without the field: at those values the field is
# left out of the digest, so a request sent without it before the field existed, and retried
# after, is still the same request (`RecordRefundInput.kind`).
LEFT_OUT_AT = "digest_leaves_out"


def request_fields(input_: Any) -> dict[str, Any]:
    """An input object's fields, less the idempotency key and those at a value meaning what
    the input meant without them (`LEFT_OUT_AT`)."""
    fields = canonical(input_) if dataclasses.is_dataclass(input_) else canonical(vars(input_))
    left_out: Mapping[str, Iterable[Any]] = getattr(input_, LEFT_OUT_AT, {})
    return {
        k: v
        for k, v in fields.items()
        if k != KEY_FIELD and not (k in left_out and v in left_out[k])
    }


def request_digest(secret: str, operation: str, fields: Mapping[str, Any]) -> str:
    """64 hex characters naming (operation, fields) under `secret`."""
    body = json.dumps([operation, canonical(fields)], sort_keys=True, separators=(",", ":"))
    purpose_key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(purpose_key, body.encode(), hashlib.sha256).hexdigest()


def request_digests(
    secrets: Iterable[str], operation: str, fields: Mapping[str, Any]
) -> tuple[str, ...]:
    """The digest under each secret, the current one first: a retry sent across a rotation of
    the server's secret is still recognised as the same request."""
    return tuple(request_digest(secret, operation, fields) for secret in secrets)


def new_key_problem(key: str) -> FieldProblem | None:
    """What a key may not be when it is claimed: blank (spaces, or characters that show
    nothing) or holding a control character (a line break, an escape). No random key is; one
    that is was built by mistake (a value never set, sent as " "), and would stand for every
    request its sender builds so. A key claimed before this rule is still answered: only
    a key never claimed is held to it (`schema.new_keys`)."""
    if not has_visible_text(key):
        return FieldProblem(
            "idempotencyKey", "shows nothing: send a random key (a UUID)", FieldProblemCode.REQUIRED
        )
    control = next((c for c in key if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        return FieldProblem(
            "idempotencyKey",
            f"contains a control character (U+{ord(control):04X})",
            FieldProblemCode.BAD_FORMAT,
        )
    return None
