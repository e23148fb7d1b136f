"""Text the server hands a client to give back unread and unchanged (a subscription's cursor),
sealed: encrypted, so the client learns nothing from it, and authenticated, so a changed one is
refused. Standard library only: the runtime has no cipher package.

A nonce of 16 random bytes; a keystream of HMAC-SHA256(enc_key, nonce || block counter) blocks
XORed with the text; a tag HMAC-SHA256(mac_key, nonce || ciphertext) cut to 16 bytes, checked
before anything is decrypted (encrypt-then-MAC). Both keys are derived with HMAC from the
server's secret and the use (`purpose`), so no other use of the secret (tokens, photo links)
can make or read a sealed text. The current key seals; previous keys still open what they
sealed, so a key rotation leaves cursors held across it working. Two seals of one text differ
(each has its own nonce): nothing shows whether two cursors name the same place. The text is
padded to a whole number of `PAD_TO` bytes (a 0x80 byte, then zeros) before it is encrypted, so
a seal's length shows the text's only in those steps: a cursor's does not grow digit by digit
as the ids in it do.
Pure functions of their inputs, but for the nonce.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from functools import lru_cache

from domain.auth import SigningKeys

NONCE_BYTES = 16
TAG_BYTES = 16
PAD_TO = 64
_BLOCK = hashlib.sha256().digest_size


def _padded(text_bytes: int) -> int:
    return (text_bytes // PAD_TO + 1) * PAD_TO


def sealed_length(text_bytes: int) -> int:
    """The characters of the seal of a text of `text_bytes` bytes."""
    return -(-(NONCE_BYTES + _padded(text_bytes) + TAG_BYTES) * 4 // 3)


@lru_cache(maxsize=16)
def _keys(secret: str, purpose: bytes) -> tuple[bytes, bytes]:
    """The encryption and MAC keys of one use of one secret."""
    root = hmac.new(secret.encode(), b"glowpath sealed text v1\0" + purpose, hashlib.sha256)
    enc_key = hmac.new(root.digest(), b"encrypt", hashlib.sha256).digest()
    mac_key = hmac.new(root.digest(), b"authenticate", hashlib.sha256).digest()
    return enc_key, mac_key


def _xor_keystream(enc_key: bytes, nonce: bytes, data: bytes) -> bytes:
    stream = bytearray()
    for counter in range(-(-len(data) // _BLOCK)):
        block = nonce + counter.to_bytes(4, "big")
        stream += hmac.new(enc_key, block, hashlib.sha256).digest()
    return bytes(a ^ b for a, b in zip(data, stream, strict=False))


def _tag(mac_key: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    return hmac.new(mac_key, nonce + ciphertext, hashlib.sha256).digest()[:TAG_BYTES]


def seal(keys: SigningKeys, purpose: bytes, text: str) -> str:
    """`text` sealed under the current key, for `purpose`: URL-safe base64, no padding."""
    enc_key, mac_key = _keys(keys.current, purpose)
    nonce = secrets.token_bytes(NONCE_BYTES)
    data = text.encode()
    padded = data + b"\x80" + bytes(_padded(len(data)) - len(data) - 1)
    ciphertext = _xor_keystream(enc_key, nonce, padded)
    sealed = nonce + ciphertext + _tag(mac_key, nonce, ciphertext)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def unseal(keys: SigningKeys, purpose: bytes, sealed: str) -> str | None:
    """The text `seal` sealed for `purpose` under the current or a previous key; None for
    anything else (changed, sealed for another use or under another key, not a seal)."""
    if not sealed.isascii() or "=" in sealed:
        return None
    try:
        raw = base64.b64decode(sealed + "=" * (-len(sealed) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        return None
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    for secret in (keys.current, *keys.previous):
        enc_key, mac_key = _keys(secret, purpose)
        if hmac.compare_digest(_tag(mac_key, nonce, ciphertext), tag):
            padded = _xor_keystream(enc_key, nonce, ciphertext)
            data, end, rest = padded.rstrip(b"\0").rpartition(b"\x80")
            try:
                return data.decode() if end and not rest else None
            except UnicodeDecodeError:
                return None
    return None
