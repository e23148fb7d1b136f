"""A photo link lives no longer than the session it was issued to: a logout, a new or reset
password end both, and a link of the first release (no session in it) is refused."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable

from domain.photos import links
from domain.roles import Role
from domain.store.photos import Photo
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.audit_support import raw_client
from tests.api.conftest import SECRET_KEY
from tests.api.flow import JourneyDriver, end_journey
from tests.api.photo_support import (
    LINK,
    consenting_client,
    fetch,
    new_key,
    png,
    upload,
)
from tests.api.sessions import CHANGE_PASSWORD, LOGOUT, login

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
RESET_PASSWORD = """
mutation Reset($input: ResetStaffPasswordInput!) {
  resetStaffPassword(input: $input) { __typename ... on StaffAccountPayload { active } }
}
"""


async def _signed_in(clinic: JourneyDriver, role: Role, password: str = DEMO_PASSWORD) -> str:
    answer = await login(clinic.api, clinic.staff[role].username, password)
    assert answer["__typename"] == "LoginPayload", answer
    return str(answer["token"])


async def _link(clinic: JourneyDriver, token: str, client: str) -> str:
    data = await clinic.api.run(LINK, token, id=client, purpose="CLINICAL_RECORD")
    (edge,) = data["client"]["photos"]["edges"]
    answer = edge["node"]["link"]
    assert answer["__typename"] == "PhotoLink", answer
    return str(answer["url"])


async def _status(clinic: JourneyDriver, url: str) -> int:
    return (await fetch(clinic, url))[0]


async def _signed_out(clinic: JourneyDriver, token: str) -> bool:
    return bool((await clinic.api.run(documents.ME, token))["me"]["__typename"] == "NotAuthorized")


async def test_a_photo_link_stops_with_the_session_it_was_issued_to(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client's photo for their clinical record, and the expert signed in on two devices
    clinic, client, tags = await consenting_client(fresh_clinic)
    tags = {**tags, "idempotencyKey": new_key()}
    assert (await upload(clinic, Role.NURSE, png(b"record"), **tags))["__typename"] == (
        "PhotoPayload"
    )
    phone, laptop = await _signed_in(clinic, Role.EXPERT), await _signed_in(clinic, Role.EXPERT)
    from_phone = await _link(clinic, phone, client)
    from_laptop = await _link(clinic, laptop, client)
    assert (await _status(clinic, from_phone), await _status(clinic, from_laptop)) == (200, 200)
    # When she signs the phone out: its link stops, the laptop's still works
    signed_out = await clinic.api.run(LOGOUT, phone, input={})
    assert signed_out["logout"]["__typename"] == "LogoutPayload", signed_out
    assert (await _status(clinic, from_phone), await _status(clinic, from_laptop)) == (403, 200)
    # When she logs out everywhere: the laptop's link stops too
    everywhere = await clinic.api.run(LOGOUT, laptop, input={"everywhere": True})
    assert everywhere["logout"]["__typename"] == "LogoutPayload", everywhere
    assert await _signed_out(clinic, laptop)
    status, body, _ = await fetch(clinic, from_laptop)
    assert status == 403 and b"session" in body, body
    # When she signs in again and changes her password: the link she took before stops
    again = await _signed_in(clinic, Role.EXPERT)
    before_change = await _link(clinic, again, client)
    assert await _status(clinic, before_change) == 200
    change = {"currentPassword": DEMO_PASSWORD, "newPassword": f"new-{uuid.uuid4().hex}"}
    changed = await clinic.api.run(CHANGE_PASSWORD, again, input=change)
    assert changed["changePassword"]["__typename"] == "ChangePasswordPayload", changed
    assert await _status(clinic, before_change) == 403
    # When an administrator resets the nurse's password: her link stops
    nurse = await _signed_in(clinic, Role.NURSE)
    nurse_link = await _link(clinic, nurse, client)
    assert await _status(clinic, nurse_link) == 200
    reset = {"staffId": clinic.staff[Role.NURSE].global_id, "temporaryPassword": "temporary-1234"}
    answer = await clinic.api.run(RESET_PASSWORD, clinic.token(Role.ADMIN), input=reset)
    assert answer["resetStaffPassword"]["__typename"] == "StaffAccountPayload", answer
    assert await _status(clinic, nurse_link) == 403
    await end_journey(clinic, tags["journeyId"])


async def test_a_link_without_its_session_as_the_first_release_issued_them_is_refused(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a photo and a genuine link of four fields (photo, purpose, viewer, expiry)
    clinic, client, tags = await consenting_client(fresh_clinic)
    tags = {**tags, "idempotencyKey": new_key()}
    await upload(clinic, Role.NURSE, png(b"old link"), **tags)
    photo = await Photo.get(client_id=raw_client(client))
    expert = clinic.staff[Role.EXPERT].account_id
    body = f'["{photo.id}","CLINICAL_RECORD","{expert}",{int(time.time()) + 60}]'.encode()
    first_release = f"{links._b64(body)}.{links._b64(links._mac(SECRET_KEY, body))}"
    # Then it is refused as a link that is not valid, and a link issued now is served
    status, answer, _ = await fetch(clinic, "/photos/" + first_release)
    assert status == 403 and b"not valid" in answer, answer
    assert await _status(clinic, await _link(clinic, clinic.token(Role.EXPERT), client)) == 200
    await end_journey(clinic, tags["journeyId"])
