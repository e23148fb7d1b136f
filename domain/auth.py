"""Bearer tokens: signed JWTs with an issuer, issue and expiry times, an id of their own, and
the id of the key that signed them, so keys can rotate.

Pure functions of their inputs (no I/O, no clock): the caller passes the time. Whether a
genuine token still works is decided against the account as it is now (`session_problem`):
active, not re-keyed since the token was issued (`tokens_valid_after`), the token not signed out.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from domain.passwords import hash_password
from domain.roles import Role

__all__ = [  # hash_password is re-exported: seeds and tests create accounts through it
    "AccessToken",
    "AccountState",
    "SigningKeys",
    "TokenClaims",
    "hash_password",
    "issue_token",
    "key_id",
    "read_token",
    "session_problem",
]

ISSUER = "glowpath"
ALGORITHM = "HS256"
# A token issued by a replica whose clock runs ahead is still taken, within this margin.
CLOCK_SKEW_SECONDS = 60
_REQUIRED = ["iss", "sub", "jti", "iat", "exp"]


def key_id(secret: str) -> str:
    """The `kid` of a key: a fingerprint that names it without revealing it."""
    return hashlib.sha256(b"glowpath-key-id\0" + secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKeys:
    """The current key signs; previous keys are still accepted, so a rotation logs nobody out."""

    current: str
    previous: tuple[str, ...] = ()

    def by_id(self) -> dict[str, str]:
        return {key_id(key): key for key in (self.current, *self.previous)}


@dataclass(frozen=True)
class AccessToken:
    """What a genuine token says. `issued_at` keeps microseconds: a token issued in the same
    second as a revocation, before it, must not survive it."""

    account_id: str
    token_id: str
    issued_at: float
    expires_at: int

    @classmethod
    def new(cls, account_id: str, now: float, ttl_seconds: int) -> AccessToken:
        return cls(
            account_id=account_id,
            token_id=secrets.token_urlsafe(16),
            issued_at=round(now, 6),
            expires_at=math.ceil(now) + ttl_seconds,
        )


@dataclass(frozen=True)
class TokenClaims:
    """Who is asking: the account behind a token that still works, its role and clinic as the
    account has them now."""

    account_id: str
    role: Role
    clinic_id: str
    expires_at: int


@dataclass(frozen=True)
class AccountState:
    active: bool
    tokens_valid_after: float | None  # seconds since the epoch; None: never revoked
    # False when the account's stored role is none this release knows (a later release's, read
    # after a rollback): its holder cannot be told what they may do, so they are signed out.
    role_known: bool = True


def issue_token(token: AccessToken, keys: SigningKeys) -> str:
    payload = {
        "iss": ISSUER,
        "sub": token.account_id,
        "jti": token.token_id,
        "iat": token.issued_at,
        "exp": token.expires_at,
    }
    return jwt.encode(
        payload, keys.current, algorithm=ALGORITHM, headers={"kid": key_id(keys.current)}
    )


def read_token(raw: str, keys: SigningKeys, now: float) -> AccessToken | None:
    """The token if it is genuine (a known key, our issuer) and unexpired; None otherwise."""
    token = _genuine_tokens.get((raw, keys))
    if token is None:
        token = _verified(raw, keys)
        if token is None:
            return None
        _genuine_tokens.remember((raw, keys), token)
    # Times are checked here against `now` on every read, never by PyJWT against its own clock:
    # a remembered token expires as it would unremembered.
    if token.expires_at <= now or token.issued_at > now + CLOCK_SKEW_SECONDS:
        return None
    return token


def _verified(raw: str, keys: SigningKeys) -> AccessToken | None:
    try:
        kid = jwt.get_unverified_header(raw).get("kid")
        key = keys.by_id().get(kid) if isinstance(kid, str) else None
        if key is None:
            return None
        payload = jwt.decode(
            raw,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False},
        )
        return _token_from(payload)
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


class _GenuineTokens:
    """Tokens whose signature was verified, by (token, keys): an SPA sends the same token with
    every request, and verifying it (decoding, the HMAC, PyJWT's checks) was about a twentieth
    of a journey step's CPU in the API. The same token under the same keys verifies the same
    way every time, so remembering the answer changes no answer; a key retired from `keys` is
    another entry. Only genuine tokens are kept, so a sender of forged ones cannot crowd them
    out, and at most `most` of them, the oldest forgotten first."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._tokens: dict[tuple[str, SigningKeys], AccessToken] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def get(self, entry: tuple[str, SigningKeys]) -> AccessToken | None:
        return self._tokens.get(entry)

    def remember(self, entry: tuple[str, SigningKeys], token: AccessToken) -> None:
        if len(self._tokens) >= self.most:
            del self._tokens[next(iter(self._tokens))]
        self._tokens[entry] = token


# A clinic's staff on duty at once are a few dozen; the API's processes each keep their own.
_genuine_tokens = _GenuineTokens(most=4096)


def _token_from(payload: Mapping[str, Any]) -> AccessToken:
    subject, token_id = payload["sub"], payload["jti"]
    issued_at, expires_at = payload["iat"], payload["exp"]
    if not isinstance(subject, str) or not isinstance(token_id, str):
        raise TypeError("sub and jti are strings")
    if not isinstance(issued_at, int | float) or not isinstance(expires_at, int):
        raise TypeError("iat is a number and exp a whole number")
    return AccessToken(subject, token_id, float(issued_at), expires_at)


def session_problem(
    token: AccessToken, account: AccountState | None, signed_out: bool, now: float
) -> str | None:
    """Why a genuine token no longer works, or None while it does."""
    if token.expires_at <= now:
        return "the token has expired"
    if account is None or not account.active:
        return "the account is not active"
    if not account.role_known:
        return "the account's role is not one this release knows"
    if signed_out:
        return "the token was signed out"
    if account.tokens_valid_after is not None and token.issued_at <= account.tokens_valid_after:
        return "the token was revoked"
    return None
