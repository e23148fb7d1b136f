"""The images of the photos in a client's own copy of their file: `photoLinks` serve each photo
to the supervisor who took the copy, whatever photo purposes the client has withdrawn, and only
that photo, only the client's, only while the session that took the copy works."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from domain.auth import AccessToken, SigningKeys, read_token
from domain.photos import links
from domain.photos.links import ClientCopyGrant, sign_grant
from domain.roles import Role
from domain.store.audit_models import AuditEntry
from schema.ids import decode_id
from tests.api.audit_support import raw_client
from tests.api.conftest import SECRET_KEY
from tests.api.flow import JourneyDriver, end_journey
from tests.api.photo_support import (
    LINK,
    consenting_client,
    fetch,
    new_key,
    png,
    set_consent,
    upload,
)
from tests.api.sessions import LOGOUT, login

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
EXPORT = """
mutation Export($input: ExportClientFileInput!) {
  exportClientFile(input: $input) {
    __typename
    ... on ClientFileExportPayload { asOf file photoLinks { photoId url expiresAt } }
    ... on UserError { code message }
  }
}
"""


async def _export(clinic: JourneyDriver, token: str, key: str, client: str) -> dict[str, Any]:
    data = await clinic.api.run(EXPORT, token, input={"clientId": client, "idempotencyKey": key})
    return data["exportClientFile"]  # type: ignore[no-any-return]


async def _signed_in(clinic: JourneyDriver, role: Role) -> str:
    answer = await login(clinic.api, clinic.staff[role].username)
    assert answer["__typename"] == "LoginPayload", answer
    return str(answer["token"])


def _session(token: str) -> AccessToken:
    session = read_token(token, SigningKeys(SECRET_KEY), time.time())
    assert session is not None
    return session


def _copy_link(photo_id: str, client_id: str, session: AccessToken) -> str:
    """A genuinely signed copy link, as the API would issue it to `session`."""
    grant = ClientCopyGrant(
        photo_id,
        client_id,
        session.account_id,
        int(time.time()) + 60,
        session.token_id,
        session.issued_at,
    )
    return "/photos/" + sign_grant(SECRET_KEY, grant)


async def _record_links(clinic: JourneyDriver, client: str) -> list[dict[str, Any]]:
    """What the supervisor gets from `Photo.link(purpose: CLINICAL_RECORD)` for each photo."""
    data = await clinic.api.run(
        LINK, clinic.token(Role.SUPERVISOR), id=client, purpose="CLINICAL_RECORD"
    )
    return [edge["node"]["link"] for edge in data["client"]["photos"]["edges"]]


async def _statuses(clinic: JourneyDriver, urls: list[str]) -> list[int]:
    return [(await fetch(clinic, url))[0] for url in urls]


async def test_the_copy_hands_over_her_photos_after_she_withdrew_her_clinical_record(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client photographed twice under her clinical-record consent, and another client's
    # photo in the same clinic
    clinic, client, tags = await consenting_client(fresh_clinic)
    images = [png(b"before"), png(b"after")]
    for image in images:
        taken = await upload(clinic, Role.NURSE, image, idempotencyKey=new_key(), **tags)
        assert taken["__typename"] == "PhotoPayload", taken
    stranger = await clinic.register_client("Ewa Lis")
    visit = await clinic.start(stranger)
    await set_consent(clinic, stranger, "CLINICAL_RECORD", True)
    elsewhere_tags = {"clientId": stranger, "journeyId": visit["id"]}
    theirs = await upload(
        clinic, Role.NURSE, png(b"theirs"), idempotencyKey=new_key(), **elsewhere_tags
    )
    assert theirs["__typename"] == "PhotoPayload", theirs
    # When she withdraws her clinical-record consent (and never gave teaching or marketing)
    consents = await set_consent(clinic, client, "CLINICAL_RECORD", False)
    assert consents["inForce"] == []
    # Then no link for her clinical record is issued, not even to the supervisor
    refused = await _record_links(clinic, client)
    assert [answer["__typename"] for answer in refused] == ["NotAuthorized"] * 2
    assert all("not consented" in answer["message"] for answer in refused), refused
    # When the supervisor, signed in on a phone, takes her copy
    raw = raw_client(client)
    phone = await _signed_in(clinic, Role.SUPERVISOR)
    key = new_key()
    copy = await _export(clinic, phone, key, client)
    assert copy["__typename"] == "ClientFileExportPayload", copy
    # Then it carries a link to each of her photos, in the copy's order, serving the stored bytes
    photo_ids = [photo["id"] for photo in copy["file"]["photos"]]
    assert [found["photoId"] for found in copy["photoLinks"]] == photo_ids
    assert len(photo_ids) == 2
    phone_urls = [found["url"] for found in copy["photoLinks"]]
    for url, image in zip(phone_urls, images, strict=True):
        assert await fetch(clinic, url) == (200, image, "image/png")
    # And the links issued and the images sent are in the audit trail as the copy's own
    trail = await AuditEntry.filter(client_id=raw, action__startswith="client.photo.").order_by(
        "seq"
    )
    assert [(row.action, row.actor_role) for row in trail] == [
        ("client.photo.copy_link", "SUPERVISOR"),
        ("client.photo.copy_view", "SUPERVISOR"),
        ("client.photo.copy_view", "SUPERVISOR"),
    ]
    # And the normal clinical-record link stays refused after the copy
    again = await _record_links(clinic, client)
    assert [answer["__typename"] for answer in again] == ["NotAuthorized"] * 2
    # And a link serves only its own photo: another photo's id in its body breaks its seal
    body, mac = phone_urls[0].removeprefix("/photos/").split(".")
    fields = json.loads(links._unb64(body))
    fields[1] = decode_id(theirs["photo"]["id"], "Photo")
    bent = f"/photos/{links._b64(json.dumps(fields, separators=(',', ':')).encode())}.{mac}"
    status, answer, _ = await fetch(clinic, bent)
    assert status == 403 and b"not valid" in answer, answer
    # And even one genuinely signed for another client's photo under her copy is refused
    elsewhere = _copy_link(str(fields[1]), raw, _session(phone))
    status, answer, _ = await fetch(clinic, elsewhere)
    assert status == 403 and b"not of the client" in answer, answer
    # And a nurse gets no copy, nor any image through a copy link made out to her session
    nurse = clinic.token(Role.NURSE)
    assert (await _export(clinic, nurse, new_key(), client))["__typename"] == "NotAuthorized"
    as_nurse = _copy_link(photo_ids[0], raw, _session(nurse))
    status, answer, _ = await fetch(clinic, as_nurse)
    assert status == 403 and b"your role" in answer, answer
    await end_journey(clinic, tags["journeyId"])
    await end_journey(clinic, visit["id"])


async def test_copy_links_work_only_while_the_session_that_took_the_copy_works(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client's photo, her clinical record withdrawn, and the supervisor on two devices
    clinic, client, tags = await consenting_client(fresh_clinic)
    image = png(b"record")
    taken = await upload(clinic, Role.NURSE, image, idempotencyKey=new_key(), **tags)
    assert taken["__typename"] == "PhotoPayload", taken
    await set_consent(clinic, client, "CLINICAL_RECORD", False)
    phone, laptop = (
        await _signed_in(clinic, Role.SUPERVISOR),
        await _signed_in(clinic, Role.SUPERVISOR),
    )
    # When she takes the copy on the phone and retries it with its key on the laptop
    key = new_key()
    first = await _export(clinic, phone, key, client)
    retry = await _export(clinic, laptop, key, client)
    # Then the retry answers the same copy, with a link issued afresh to the laptop's session
    assert (retry["asOf"], retry["file"]) == (first["asOf"], first["file"])
    (from_phone,), (from_laptop,) = first["photoLinks"], retry["photoLinks"]
    assert from_phone["photoId"] == from_laptop["photoId"]
    assert from_phone["url"] != from_laptop["url"]
    urls = [from_phone["url"], from_laptop["url"]]
    assert await _statuses(clinic, urls) == [200, 200]
    # And the phone's link is the phone session's: it does not pass as the laptop's
    laptop_session = _session(laptop)
    body, mac = from_phone["url"].removeprefix("/photos/").split(".")
    fields = json.loads(links._unb64(body))
    fields[-2:] = [laptop_session.token_id, laptop_session.issued_at]
    moved = f"/photos/{links._b64(json.dumps(fields, separators=(',', ':')).encode())}.{mac}"
    assert (await fetch(clinic, moved))[0] == 403
    # When the phone signs out: its link stops, the laptop's still works
    signed_out = await clinic.api.run(LOGOUT, phone, input={})
    assert signed_out["logout"]["__typename"] == "LogoutPayload", signed_out
    status, answer, _ = await fetch(clinic, from_phone["url"])
    assert status == 403 and b"session" in answer, answer
    assert await fetch(clinic, from_laptop["url"]) == (200, image, "image/png")
    # When she logs out everywhere: the laptop's link stops too
    everywhere = await clinic.api.run(LOGOUT, laptop, input={"everywhere": True})
    assert everywhere["logout"]["__typename"] == "LogoutPayload", everywhere
    assert await _statuses(clinic, urls) == [403, 403]
    await end_journey(clinic, tags["journeyId"])
