"""Links to the images of the photos in a client's own copy of their file (`exportClientFile`).

Handing a client their photos is a delivery of their own data (GDPR art. 15 and 20), not a
use of the photos for any purpose they consent to: these links are issued whatever purposes
stand, withdrawn ones included, with every copy the supervisor takes (a retry of the copy
issues them afresh). Each names one photo, the client and the session that took the copy, and
works only while that session does; the fetch (server/photo_route.py) checks again that the
viewer's role may take copies and that the photo is the client's. Issuing them leaves its own
audit entry (`client.photo.copy_link`), apart from the links `Photo.link` issues for a purpose.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

import strawberry

from domain.auth import AccessToken
from domain.photos.links import ClientCopyGrant, sign_grant
from schema.audit.collector import note_access
from schema.context import ApiConfig
from schema.photos.links import LINK_PATH

COPY_LINK_ISSUED = "client.photo.copy_link"


@strawberry.type(
    description="A short-lived link to the image of one photo in the client's copy of their "
    "file, for handing the copy over: it is no use of the photo for a purpose the client "
    "consents to, so it is issued whatever purposes the client has given or withdrawn."
)
class ClientCopyPhotoLink:
    photo_id: strawberry.ID = strawberry.field(
        description="The photo, as the copy names it: the `id` of its entry in `file.photos`."
    )
    url: str = strawberry.field(
        description="Path on this API's origin (`/photos/<token>`); GET it, no header needed, "
        "for the image's bytes as they were taken (their SHA-256 is the entry's `sha256`). "
        "It serves this photo only, and only until `expiresAt` while the session that took "
        "the copy is signed in and its account may still take copies. A bearer URL: anyone "
        "holding it can fetch the image (audited as you), so fetch the images to go with the "
        "copy at once; do not share, store or log it."
    )
    expires_at: datetime = strawberry.field(description="When it stops working, in UTC.")


def copy_links(
    config: ApiConfig, token: AccessToken, client_id: str, photo_ids: Sequence[str]
) -> list[ClientCopyPhotoLink]:
    """A link to each photo for the copy of `client_id`'s file taken with `token`."""
    expires_at = min(int(time.time()) + config.photo_link_seconds, token.expires_at)
    links = []
    for photo_id in photo_ids:
        grant = ClientCopyGrant(
            photo_id, client_id, token.account_id, expires_at, token.token_id, token.issued_at
        )
        url = f"{LINK_PATH}{sign_grant(config.signing_keys.current, grant)}"
        links.append(
            ClientCopyPhotoLink(
                photo_id=strawberry.ID(photo_id),
                url=url,
                expires_at=datetime.fromtimestamp(expires_at, UTC),
            )
        )
    if links:
        note_access(client_id, COPY_LINK_ISSUED)
    return links
