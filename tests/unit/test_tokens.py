"""Bearer tokens: what makes one genuine, key rotation, and when a genuine one stops working."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from domain.auth import (
    ISSUER,
    AccessToken,
    AccountState,
    SigningKeys,
    _genuine_tokens,
    _GenuineTokens,
    issue_token,
    key_id,
    read_token,
    session_problem,
)
from server.settings import DEV_SECRET_KEY

NOW = 1_750_000_000.25
KEY = "k" * 40
OLD_KEY = "o" * 40
KEYS = SigningKeys(KEY)


def token_at(now: float = NOW, ttl: int = 3600, account_id: str = "staff-1") -> AccessToken:
    return AccessToken.new(account_id, now, ttl)


def test_a_token_reads_back_as_issued_with_its_kid_issuer_and_times() -> None:
    token = token_at()
    raw = issue_token(token, KEYS)
    assert read_token(raw, KEYS, NOW + 1) == token
    assert jwt.get_unverified_header(raw) == {"alg": "HS256", "typ": "JWT", "kid": key_id(KEY)}
    claims = jwt.decode(
        raw, KEY, algorithms=["HS256"], issuer=ISSUER, options={"verify_exp": False}
    )
    assert claims == {
        "iss": "glowpath",
        "sub": "staff-1",
        "jti": token.token_id,
        "iat": NOW,
        "exp": 1_750_003_601,
    }


def test_each_token_has_its_own_id() -> None:
    assert token_at().token_id != token_at().token_id


def test_an_expired_token_is_not_read() -> None:
    raw = issue_token(token_at(ttl=60), KEYS)
    assert read_token(raw, KEYS, NOW + 59) is not None
    assert read_token(raw, KEYS, NOW + 61) is None


def test_a_token_from_the_future_is_not_read() -> None:
    raw = issue_token(token_at(now=NOW + 3600), KEYS)
    assert read_token(raw, KEYS, NOW) is None


def test_previous_keys_still_verify_but_only_the_current_key_signs() -> None:
    # Given a token signed before the key was rotated
    before = issue_token(token_at(), SigningKeys(OLD_KEY))
    rotated = SigningKeys(KEY, previous=(OLD_KEY,))
    # Then it is still accepted while the old key is listed as previous
    assert read_token(before, rotated, NOW) is not None
    # And new tokens are signed with the new key
    after = issue_token(token_at(), rotated)
    assert jwt.get_unverified_header(after)["kid"] == key_id(KEY)
    # And once the old key is dropped, its tokens stop working
    assert read_token(before, SigningKeys(KEY), NOW) is None
    assert read_token(after, SigningKeys(KEY), NOW) is not None


def test_a_token_made_with_the_public_development_key_is_refused() -> None:
    # Anyone can read the development key in the source and sign any claims with it.
    forged = issue_token(
        token_at(account_id="staff-supervisor", ttl=10**8), SigningKeys(DEV_SECRET_KEY)
    )
    assert read_token(forged, KEYS, NOW) is None
    # Even when it claims the kid of the real key
    payload = jwt.decode(forged, options={"verify_signature": False})
    lying = jwt.encode(payload, DEV_SECRET_KEY, algorithm="HS256", headers={"kid": key_id(KEY)})
    assert read_token(lying, KEYS, NOW) is None


def _unsigned(payload: dict[str, object], header: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}."


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-3] + ("AAA" if not raw.endswith("AAA") else "BBB"),  # signature
        lambda raw: "not-a-token",
        lambda raw: "",
        lambda raw: "a.b.c",
        lambda raw: _unsigned(
            jwt.decode(raw, options={"verify_signature": False}),
            {"alg": "none", "kid": key_id(KEY)},
        ),
    ],
    ids=["tampered", "garbage", "empty", "three-parts", "alg-none"],
)
def test_anything_but_a_genuine_token_is_refused(mangle: object) -> None:
    raw = issue_token(token_at(), KEYS)
    assert callable(mangle)
    assert read_token(mangle(raw), KEYS, NOW) is None


@pytest.mark.parametrize(
    "payload",
    [
        {"iss": "someone-else", "sub": "s", "jti": "j", "iat": NOW, "exp": NOW + 60},
        {"sub": "s", "jti": "j", "iat": NOW, "exp": NOW + 60},  # no issuer
        {"iss": ISSUER, "sub": "s", "iat": NOW, "exp": NOW + 60},  # no token id
        {"iss": ISSUER, "sub": "s", "jti": "j", "exp": NOW + 60},  # no issue time
        {"iss": ISSUER, "sub": "s", "jti": "j", "iat": NOW},  # no expiry
        {"iss": ISSUER, "sub": 7, "jti": "j", "iat": NOW, "exp": NOW + 60},  # sub not a string
        {"iss": ISSUER, "sub": "s", "jti": "j", "iat": "x", "exp": int(NOW) + 60},
    ],
)
def test_claims_must_all_be_there_and_well_formed(payload: dict[str, object]) -> None:
    raw = jwt.encode(payload, KEY, algorithm="HS256", headers={"kid": key_id(KEY)})
    assert read_token(raw, KEYS, NOW) is None


def test_a_token_read_before_is_refused_once_expired_or_its_key_retired() -> None:
    # Read once, so the verified token is remembered
    raw = issue_token(token_at(ttl=60), SigningKeys(OLD_KEY))
    rotated = SigningKeys(KEY, previous=(OLD_KEY,))
    assert read_token(raw, rotated, NOW) is not None
    # Then the remembered answer still expires with the token, and is no answer under other keys
    assert read_token(raw, rotated, NOW + 61) is None
    assert read_token(raw, SigningKeys(KEY), NOW) is None


def test_only_genuine_tokens_are_remembered_and_at_most_so_many() -> None:
    remembered = len(_genuine_tokens)
    for n in range(50):
        assert read_token(f"forged.{n}.token", KEYS, NOW) is None
    assert len(_genuine_tokens) == remembered
    tokens = _GenuineTokens(most=2)
    first, second, third = (token_at(account_id=f"staff-{n}") for n in range(3))
    for token in (first, second, third):
        tokens.remember((token.account_id, KEYS), token)
    assert len(tokens) == 2
    assert tokens.get(("staff-0", KEYS)) is None
    assert tokens.get(("staff-2", KEYS)) == third


ACTIVE = AccountState(active=True, tokens_valid_after=None)


def test_a_fresh_token_of_an_active_account_works() -> None:
    assert session_problem(token_at(), ACTIVE, signed_out=False, now=NOW) is None


def test_a_revocation_ends_tokens_issued_before_it_even_in_the_same_second() -> None:
    token = token_at(now=NOW)
    revoked = AccountState(active=True, tokens_valid_after=NOW + 0.0004)
    assert session_problem(token, revoked, False, NOW + 1) == "the token was revoked"
    # And a token issued a moment after the revocation works
    after = token_at(now=NOW + 0.001)
    assert session_problem(after, revoked, False, NOW + 1) is None


@pytest.mark.parametrize(
    ("account", "signed_out", "now", "problem"),
    [
        (ACTIVE, False, NOW + 3601, "the token has expired"),
        (
            AccountState(active=False, tokens_valid_after=None),
            False,
            NOW,
            "the account is not active",
        ),
        (None, False, NOW, "the account is not active"),
        (ACTIVE, True, NOW, "the token was signed out"),
        (
            AccountState(active=True, tokens_valid_after=None, role_known=False),
            False,
            NOW,
            "the account's role is not one this release knows",
        ),
    ],
)
def test_why_a_genuine_token_stops_working(
    account: AccountState | None, signed_out: bool, now: float, problem: str
) -> None:
    assert session_problem(token_at(), account, signed_out, now) == problem
