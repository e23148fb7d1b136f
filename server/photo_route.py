"""`GET /photos/<token>`: a photo's bytes through a link `Photo.link` issued.

The link names the photo, the purpose, the viewer and the viewer's session (bearer token), and
expires within minutes. At every fetch the server asks again what it asked when issuing it: the
session still works as a request's would (not signed out, not revoked by a logout everywhere, a
new or reset password, a deactivation or a new role; `domain.auth.session_problem`), the account
need not choose its own password first, it is in the photo's clinic, with a role the permission
table lets see photos for the purpose, and the client still consents to the purpose. So a
withdrawn purpose, a changed role or an ended session stops links already issued. Each fetch
served is written to the audit trail before the bytes leave (no entry, no bytes). No token in
the request: an `<img src>` can show it.

A link for a client's own copy of their file (`exportClientFile`'s `photoLinks`) names no
purpose and asks no consent: handing the client their photos is no use of them. Its fetch asks
the rest as above, with the role checked against the table's row for taking the copy, and that
the photo is of the client the copy is for; it is audited as a delivery of the copy.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from domain.audit import Access, Viewer
from domain.auth import AccessToken, SigningKeys, session_problem
from domain.permissions import MUTATIONS, PHOTO_VIEWERS
from domain.photos.links import ClientCopyGrant, Grant, copy_refusal, read_grant
from domain.photos.purposes import viewing_refusal
from domain.photos.storage import PhotoStore, PhotoStoreError
from domain.roles import Role
from domain.store import accounts
from domain.store.audit_chain import append_accesses
from domain.store.photos import Photo, purposes_given
from schema.photos.links import LINK_PATH
from server import middleware

PHOTO_VIEWED = "client.photo.view"
COPY_PHOTO_SENT = "client.photo.copy_view"
# Who may fetch a photo for a client's copy: who may take the copy.
COPY_TAKERS = MUTATIONS["exportClientFile"]
log = logging.getLogger(__name__)


def _refused(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _refusal(grant: Grant, photo: Photo, role: Role) -> str | None:
    """Why the grant's viewer, in `role`, may not see the photo through it; None: they may."""
    if isinstance(grant, ClientCopyGrant):
        return copy_refusal(COPY_TAKERS.admits(role), photo.client_id == grant.client_id)
    consented = grant.purpose in await purposes_given(photo.client_id)
    return viewing_refusal(PHOTO_VIEWERS[grant.purpose].admits(role), consented, grant.purpose)


def photo_handler(
    keys: SigningKeys, store: PhotoStore
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    secrets = (keys.current, *keys.previous)

    async def serve_photo(request: web.Request) -> web.StreamResponse:
        now = time.time()
        grant = read_grant(secrets, request.match_info["token"], int(now))
        if grant is None:
            return _refused(403, "the link is not valid or has expired")
        photo = await Photo.get_or_none(id=grant.photo_id)
        session = AccessToken(
            grant.viewer_id, grant.token_id, grant.token_issued_at, grant.expires_at
        )
        found = await accounts.look_up(session)
        viewer = found.account
        if photo is None or viewer is None:
            return _refused(404, "no such photo")
        state = accounts.state_of(viewer)
        if session_problem(session, state, found.token_signed_out, now) is not None:
            return _refused(403, "the session the link was issued to has ended")
        if viewer.must_change_password or viewer.clinic_id != photo.clinic_id:
            return _refused(403, "the link's viewer may no longer see this photo")
        role = Role(viewer.role)
        why = await _refusal(grant, photo, role)
        if why is not None:
            return _refused(403, why)
        try:
            data = await store.get(photo.storage_key)
        except PhotoStoreError as exc:  # the reason (which setting) is for the operator's log
            log.error("photo %s: the photo store did not answer: %s", photo.id, exc)
            return _refused(503, "the photo store is not available; try again later")
        if data is None or hashlib.sha256(data).hexdigest() != photo.sha256:
            # Lost or changed behind the API's back: never serve other bytes than were taken.
            log.error("photo %s: its stored image is missing or does not match", photo.id)
            return _refused(404, "the photo's image is missing from the store")
        seen_by = Viewer(viewer.id, role.value, photo.clinic_id, middleware.request_id(request))
        what = COPY_PHOTO_SENT if isinstance(grant, ClientCopyGrant) else PHOTO_VIEWED
        await append_accesses(seen_by, [Access(photo.client_id, what)])
        return web.Response(
            body=data,
            content_type=photo.content_type,
            headers={
                "Cache-Control": middleware.NO_STORE,
                "X-Content-Type-Options": "nosniff",
                "Content-Disposition": "inline",
            },
        )

    return serve_photo


def add_photo_route(app: web.Application, keys: SigningKeys, store: PhotoStore) -> None:
    # No HEAD: every answer of this route is a view of the photo, in the audit trail.
    app.router.add_get(LINK_PATH + "{token}", photo_handler(keys, store), allow_head=False)
