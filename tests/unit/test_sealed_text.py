"""Sealed text (`domain.sealed_text`): what a subscription's cursor is handed out as."""

from __future__ import annotations

import base64

from domain.auth import SigningKeys
from domain.sealed_text import NONCE_BYTES, PAD_TO, TAG_BYTES, seal, sealed_length, unseal

CURRENT, OLD, OTHER = "c" * 40, "o" * 40, "x" * 40
PURPOSE = b"journey log cursor"
# Longer than one keystream block, so a second block's counter is used too.
TEXT = "BoardUpdate:18.12.17|3.2|1767225600000000" * 2


def _raw(sealed: str) -> bytearray:
    return bytearray(base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4)))


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_a_sealed_text_opens_to_itself_under_its_key() -> None:
    keys = SigningKeys(CURRENT)
    for text in (TEXT, "", "é|ü"):
        sealed = seal(keys, PURPOSE, text)
        assert unseal(keys, PURPOSE, sealed) == text
        assert len(sealed) == sealed_length(len(text.encode()))


def test_a_sealed_text_shows_nothing_of_the_text_and_two_seals_of_it_differ() -> None:
    # Given one text sealed twice
    keys = SigningKeys(CURRENT)
    first, second = seal(keys, PURPOSE, TEXT), seal(keys, PURPOSE, TEXT)
    # Then the seals differ, and neither carries the text nor its digits
    assert first != second
    for sealed in (first, second):
        raw = bytes(_raw(sealed))
        assert b"BoardUpdate" not in raw and b"18.12" not in raw and "18.12" not in sealed
    # and a text's length shows only in whole steps, not digit by digit
    short, longer = seal(keys, PURPOSE, "BoardUpdate:18"), seal(keys, PURPOSE, "BoardUpdate:1800")
    assert len(short) == len(longer) == sealed_length(0)
    assert len(seal(keys, PURPOSE, "x" * PAD_TO)) > len(short)


def test_a_changed_seal_is_refused() -> None:
    keys = SigningKeys(CURRENT)
    sealed = seal(keys, PURPOSE, TEXT)
    # Given each byte flipped in turn (nonce, ciphertext, tag), and the seal cut or lengthened
    raw = _raw(sealed)
    for at in range(len(raw)):
        changed = bytearray(raw)
        changed[at] ^= 0x01
        assert unseal(keys, PURPOSE, _text(changed)) is None, at
    for bent in (sealed[:-1], sealed + "A", _text(raw[: NONCE_BYTES + TAG_BYTES - 1]), ""):
        assert unseal(keys, PURPOSE, bent) is None
    # and text that is no seal at all
    for garbage in ("garbage", "QkFEIQ==", "é" * 60, "+/" * 40):
        assert unseal(keys, PURPOSE, garbage) is None


def test_a_seal_opens_only_under_its_own_key_and_use() -> None:
    sealed = seal(SigningKeys(CURRENT), PURPOSE, TEXT)
    assert unseal(SigningKeys(OTHER), PURPOSE, sealed) is None
    assert unseal(SigningKeys(OTHER, (OLD,)), PURPOSE, sealed) is None
    assert unseal(SigningKeys(CURRENT), b"another use", sealed) is None


def test_a_seal_made_under_a_previous_key_still_opens_after_a_rotation() -> None:
    # Given a text sealed before the key rotated
    sealed = seal(SigningKeys(OLD), PURPOSE, TEXT)
    # When the old key is kept as a previous one, Then the seal opens
    rotated = SigningKeys(CURRENT, (OLD,))
    assert unseal(rotated, PURPOSE, sealed) == TEXT
    # and what is sealed from then on is sealed under the new key alone
    assert unseal(SigningKeys(CURRENT), PURPOSE, seal(rotated, PURPOSE, TEXT)) == TEXT
    assert unseal(SigningKeys(OLD), PURPOSE, seal(rotated, PURPOSE, TEXT)) is None
