"""Short-lived links to one photo, for one viewer: for one purpose, or for the client's copy.

A link for a purpose (`PhotoGrant`) carries the photo id, the purpose, the viewer's account id,
an expiry, and the id and issue time of the bearer token it was asked for with, signed with an
HMAC under a key derived from the server's secret for this use alone. Whoever holds a link can
fetch until it expires; the server checks at every fetch that the client still consents to the
purpose, that the viewer's role may still see it, and that the session the link came from still
works, so a withdrawal, a logout or a new password stops issued links too. Links without the
session (those issued before it was added) are refused: they lived a few minutes at most anyway.

A link for the client's own copy of their file (`ClientCopyGrant`) is a delivery to them, not a
use of the photo for any purpose they consent to, so it names no purpose: it names the client
whose copy it serves instead, and the server checks at every fetch that the photo is theirs, that
the viewer's role may still hand over copies and that the session still works. Its body opens
with its kind (`COPY_KIND`) and has seven fields where a purpose link has six, so neither reads
as the other and links for a purpose issued before it verify as they did.
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
COPY_KIND = "client-copy"


@dataclass(frozen=True)
class PhotoGrant:
    photo_id: str
    purpose: PhotoPurpose
    viewer_id: str
    expires_at: int  # seconds since the epoch
    # The session (bearer token) that asked for the link: it works only while that one does.
    token_id: str
    token_issued_at: float


@dataclass(frozen=True)
class ClientCopyGrant:
    """A photo of the client `client_id`, for the copy of their file `viewer_id` took."""

    photo_id: str
    client_id: str
    viewer_id: str
    expires_at: int  # seconds since the epoch
    # The session that took the copy: the link works only while that one does.
    token_id: str
    token_issued_at: float


Grant = PhotoGrant | ClientCopyGrant


def _mac(secret: str, body: bytes) -> bytes:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, body, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _fields(grant: Grant) -> list[object]:
    session = [grant.viewer_id, grant.expires_at, grant.token_id, grant.token_issued_at]
    if isinstance(grant, ClientCopyGrant):
        return [COPY_KIND, grant.photo_id, grant.client_id, *session]
    return [grant.photo_id, grant.purpose.value, *session]


def sign_grant(secret: str, grant: Grant) -> str:
    body = json.dumps(_fields(grant), separators=(",", ":")).encode()
    return f"{_b64(body)}.{_b64(_mac(secret, body))}"


def _grant_of(fields: object) -> Grant | None:
    """The grant a signed body spells; None for any other shape. A link of four fields (the
    first release's, without the session) is no shape here: refused."""
    if not isinstance(fields, list):
        return None
    if len(fields) == 7 and fields[0] == COPY_KIND:
        _, photo_id, client_id, viewer_id, expires_at, token_id, issued_at = fields
        return ClientCopyGrant(
            str(photo_id),
            str(client_id),
            str(viewer_id),
            int(expires_at),
            str(token_id),
            float(issued_at),
        )
    if len(fields) == 6:
        photo_id, purpose, viewer_id, expires_at, token_id, issued_at = fields
        return PhotoGrant(
            str(photo_id),
            PhotoPurpose(purpose),
            str(viewer_id),
            int(expires_at),
            str(token_id),
            float(issued_at),
        )
    return None


def read_grant(secrets: Iterable[str], token: str, now: int) -> Grant | None:
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
        grant = _grant_of(json.loads(body))
    except (ValueError, TypeError):
        return None
    return grant if grant is not None and grant.expires_at > now else None


def copy_refusal(role_allowed: bool, clients_own: bool) -> str | None:
    """Why a photo may not be fetched through a link for a client's copy (the role's row for
    taking the copy, then whether the photo is of the client the copy is for); None: it may."""
    if not role_allowed:
        return "your role may not hand clients the copies of their files"
    if not clients_own:
        return "the photo is not of the client whose copy the link was issued for"
    return None
