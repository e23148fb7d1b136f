"""Staff passwords and bearer tokens: pure functions of their inputs (no I/O, no clock)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from domain.roles import Role

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass(frozen=True)
class TokenClaims:
    account_id: str
    role: Role
    clinic_id: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(body: str, secret: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def issue_token(claims: TokenClaims, secret: str) -> str:
    payload = {
        "a": claims.account_id,
        "r": claims.role.value,
        "c": claims.clinic_id,
        "e": claims.expires_at,
    }
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{_sign(body, secret)}"


def read_token(token: str, secret: str, now: int) -> TokenClaims | None:
    """The claims of a genuine, unexpired token; None for anything else."""
    body, _, signature = token.partition(".")
    if not body or not hmac.compare_digest(_sign(body, secret), signature):
        return None
    try:
        payload = json.loads(_unb64(body))
        claims = TokenClaims(payload["a"], Role(payload["r"]), payload["c"], int(payload["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    return claims if claims.expires_at > now else None
