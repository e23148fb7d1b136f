"""Issuing a link to a photo's bytes: for one purpose, to one viewer, for a few minutes.

A link is issued only to a role the permission table lets see photos for the purpose
(`PHOTO_VIEWERS`) and only while the client consents to it; the fetch checks both again
(server/photo_route.py), so a withdrawal or a new role stops links already issued. The link
names the bearer token it was asked with: it works only while that session does (no longer
than the token, and not past a logout, a new password or a deactivation). Issuing a link is a
read of the client's photos and leaves its audit entry.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from strawberry.types import Info

from domain.permissions import PHOTO_VIEWERS
from domain.photos.links import PhotoGrant, sign_grant
from domain.photos.purposes import PhotoPurpose, viewing_refusal
from domain.store.photos import Photo as PhotoRow
from schema.audit.collector import note_access
from schema.context import Context
from schema.errors import NotAuthorized, not_authorized
from schema.photos.fields import purposes_now
from schema.photos.types import PhotoLink

LINK_ISSUED = "client.photo.link"
LINK_PATH = "/photos/"


async def issue_link(
    info: Info[Context, None], row: PhotoRow, purpose: PhotoPurpose
) -> PhotoLink | NotAuthorized:
    claims, session = info.context.claims, info.context.session
    if claims is None or session is None:
        return not_authorized()
    role_allowed = PHOTO_VIEWERS[purpose].admits(claims.role)
    given = await purposes_now(info, row.client_id)
    why = viewing_refusal(role_allowed, purpose in given, purpose)
    if why is not None:
        return not_authorized(why)
    config = info.context.config
    token = session.token
    expires_at = min(int(time.time()) + config.photo_link_seconds, token.expires_at)
    grant = PhotoGrant(
        row.id, purpose, claims.account_id, expires_at, token.token_id, token.issued_at
    )
    signed = sign_grant(config.signing_keys.current, grant)
    note_access(row.client_id, LINK_ISSUED)
    return PhotoLink(
        url=f"{LINK_PATH}{signed}",
        purpose=purpose,
        expires_at=datetime.fromtimestamp(expires_at, UTC),
    )
