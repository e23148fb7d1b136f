"""Staff passwords: argon2id hashes that carry their own parameters, and the rules for a new one.

Pure CPU work, tens of milliseconds a call: callers run these in a thread, never on an event
loop. Hashes made before argon2id (``scrypt$<salt>$<digest>``, fixed parameters) still verify,
and say they need rehashing, so each is replaced at its account's next sign-in.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import FieldProblem, FieldProblemCode

# OWASP's argon2id configuration (19 MiB, 2 passes, 1 lane): about 50 ms on a 2-core server,
# and the memory of a hash stays small enough to run two at once on any replica.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_LEGACY_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

MIN_LENGTH = 12
MAX_LENGTH = 256  # bounds the work a single sign-in can ask for


@dataclass(frozen=True)
class Verdict:
    matches: bool
    needs_rehash: bool = False  # matches, but the stored hash is older than the current scheme


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password: str, stored: str) -> Verdict:
    if stored.startswith("scrypt$"):
        return Verdict(_verify_scrypt(password, stored), needs_rehash=True)
    try:
        HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Verdict(False)
    return Verdict(True, needs_rehash=HASHER.check_needs_rehash(stored))


@functools.cache
def _decoy_hash() -> str:
    return HASHER.hash("glowpath-decoy-password")


def verify_without_account(password: str) -> Verdict:
    """For an unknown username: verifies against a decoy hash, so this path costs what a wrong
    password costs and timing does not tell which usernames exist. Never matches."""
    verify_password(password, _decoy_hash())
    return Verdict(False)


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        _, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    digest = hashlib.scrypt(password.encode(), salt=salt, **_LEGACY_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def new_password_problems(new: str, current: str, username: str) -> list[FieldProblem]:
    """What is wrong with a new password: length, the same as now, the username."""
    problems: list[FieldProblem] = []
    if not MIN_LENGTH <= len(new) <= MAX_LENGTH:
        short = len(new) < MIN_LENGTH
        code = FieldProblemCode.TOO_SHORT if short else FieldProblemCode.TOO_LONG
        problems.append(
            FieldProblem("newPassword", f"{MIN_LENGTH} to {MAX_LENGTH} characters", code)
        )
    elif new == current:
        same = "must differ from the current password"
        problems.append(FieldProblem("newPassword", same, FieldProblemCode.INCONSISTENT))
    elif new.strip().casefold() == username.strip().casefold():
        named = "must not be your username"
        problems.append(FieldProblem("newPassword", named, FieldProblemCode.INCONSISTENT))
    return problems
