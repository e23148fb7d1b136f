"""Issuing a link to a photo's bytes: for one purpose, to one viewer, for a few minutes.

A link is issued only to a role the permission table lets see photos for the purpose
(`PHOTO_VIEWERS`) and only while the client consents to it; the fetch checks both again
(server/photo_route.py), so a withdrawal or a new role stops links already issued. Issuing
a link is a read of the client's photos and leaves its audit entry.
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
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    role_allowed = PHOTO_VIEWERS[purpose].admits(claims.role)
    given = await purposes_now(info, row.client_id)
    why = viewing_refusal(role_allowed, purpose in given, purpose)
    if why is not None:
        return not_authorized(why)
    config = info.context.config
    expires_at = int(time.time()) + config.photo_link_seconds
    grant = PhotoGrant(row.id, purpose, claims.account_id, expires_at)
    token = sign_grant(config.signing_keys.current, grant)
    note_access(row.client_id, LINK_ISSUED)
    return PhotoLink(
        url=f"{LINK_PATH}{token}",
        purpose=purpose,
        expires_at=datetime.fromtimestamp(expires_at, UTC),
    )
