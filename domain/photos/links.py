"""Short-lived links to one photo, for one purpose, for one viewer.

A link carries the photo id, the purpose, the viewer's account id, an expiry, and the id and
issue time of the bearer token it was asked for with, signed with an HMAC under a key derived
from the server's secret for this use alone. Whoever holds a link can fetch until it expires;
the server checks at every fetch that the client still consents to the purpose, that the
viewer's role may still see it, and that the session the link came from still works, so a
withdrawal, a logout or a new password stops issued links too. Links without the session (those
issued before it was added) are refused: they lived a few minutes at most anyway.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from domain.photos.purposes import PhotoPurpose

_PURPOSE = b"glowpath photo link v1"
MAX_TOKEN_LENGTH = 512


@dataclass(frozen=True)
class PhotoGrant:
    photo_id: str
    purpose: PhotoPurpose
    viewer_id: str
    expires_at: int  # seconds since the epoch
    # The session (bearer token) that asked for the link: it works only while that one does.
    token_id: str
    token_issued_at: float


def _mac(secret: str, body: bytes) -> bytes:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, body, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_grant(secret: str, grant: PhotoGrant) -> str:
    body = json.dumps(
        [
            grant.photo_id,
            grant.purpose.value,
            grant.viewer_id,
            grant.expires_at,
            grant.token_id,
            grant.token_issued_at,
        ],
        separators=(",", ":"),
    ).encode()
    return f"{_b64(body)}.{_b64(_mac(secret, body))}"


def read_grant(secrets: Iterable[str], token: str, now: int) -> PhotoGrant | None:
    """The grant the token carries, or None when it is malformed, forged or expired.
    `secrets`: the current key first, then keys still accepted after a rotation."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        return None
    body_text, mac_text = token.split(".")
    try:
        body, mac = _unb64(body_text), _unb64(mac_text)
    except ValueError:
        return None
    if not any(hmac.compare_digest(mac, _mac(secret, body)) for secret in secrets):
        return None
    try:
        # A link of four fields (no session) fails to unpack here: refused.
        photo_id, purpose, viewer_id, expires_at, token_id, issued_at = json.loads(body)
        grant = PhotoGrant(
            str(photo_id),
            PhotoPurpose(purpose),
            str(viewer_id),
            int(expires_at),
            str(token_id),
            float(issued_at),
        )
    except (ValueError, TypeError):
        return None
    return grant if grant.expires_at > now else None
