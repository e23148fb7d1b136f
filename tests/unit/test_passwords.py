"""Password hashes: argon2id with its parameters inside, the scrypt hashes made before it, the
decoy for unknown usernames, and the rules for a new password."""

from __future__ import annotations

import hashlib

import pytest
from argon2 import extract_parameters

from domain.errors import FieldProblem, FieldProblemCode
from domain.passwords import (
    Verdict,
    _decoy_hash,
    hash_password,
    new_password_problems,
    verify_password,
    verify_without_account,
)

PASSWORD = "correct horse battery"


def legacy_scrypt_hash(password: str, salt: bytes = b"0123456789abcdef") -> str:
    """A hash as the previous scheme wrote it (scrypt, n=2**14, r=8, p=1)."""
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def test_a_hash_is_argon2id_and_carries_its_parameters() -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hash_password(PASSWORD) != stored  # a new salt each time
    assert verify_password(PASSWORD, stored) == Verdict(matches=True, needs_rehash=False)
    assert verify_password("wrong " + PASSWORD, stored) == Verdict(matches=False)


def test_a_hash_with_weaker_parameters_asks_to_be_rehashed() -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    assert verify_password(PASSWORD, weak) == Verdict(matches=True, needs_rehash=True)


def test_a_legacy_scrypt_hash_verifies_and_asks_to_be_rehashed() -> None:
    stored = legacy_scrypt_hash(PASSWORD)
    assert verify_password(PASSWORD, stored) == Verdict(matches=True, needs_rehash=True)
    assert verify_password("nope", stored).matches is False


@pytest.mark.parametrize("stored", ["", "scrypt$zz$00", "scrypt$only-two", "$argon2id$garbage"])
def test_a_malformed_hash_never_matches(stored: str) -> None:
    assert verify_password(PASSWORD, stored).matches is False


def test_an_unknown_username_costs_what_a_wrong_password_costs() -> None:
    # The cost of a verify is set by the hash's parameters: the decoy an unknown username is
    # checked against is made with exactly those of a real password's hash, so both paths do
    # the same argon2 work. (Checked by construction, not by timing: timings lie under load.)
    stored = hash_password(PASSWORD)
    assert extract_parameters(_decoy_hash()) == extract_parameters(stored)
    assert _decoy_hash().startswith("$argon2id$")
    assert verify_without_account(PASSWORD) == Verdict(matches=False)
    assert verify_without_account("glowpath-decoy-password") == Verdict(matches=False)


@pytest.mark.parametrize(
    ("new", "problem", "code"),
    [
        ("short", "12 to 256 characters", FieldProblemCode.TOO_SHORT),
        ("x" * 257, "12 to 256 characters", FieldProblemCode.TOO_LONG),
        ("glowpath-demo-1", "must differ from the current password", FieldProblemCode.INCONSISTENT),
        ("Front-Desk-Anna", "must not be your username", FieldProblemCode.INCONSISTENT),
    ],
)
def test_rules_for_a_new_password(new: str, problem: str, code: FieldProblemCode) -> None:
    assert new_password_problems(new, "glowpath-demo-1", "front-desk-anna") == [
        FieldProblem("newPassword", problem, code)
    ]


def test_a_good_new_password_has_no_problems() -> None:
    assert new_password_problems("a much longer passphrase", "glowpath-demo", "nurse") == []
