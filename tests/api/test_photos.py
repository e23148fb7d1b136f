"""Photos by purpose: uploaded as multipart requests, typed by their bytes, served through
short-lived signed links only for a purpose the client consents to, to a role the permission
table allows, and every view in the audit trail. A refused upload stores nothing."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable

import aiohttp

from domain.photos.links import PhotoGrant, sign_grant
from domain.photos.purposes import PhotoPurpose, taking_refusal
from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import IdempotencyKey
from domain.store.photos import Photo
from schema.ids import decode_id
from tests.api.audit_support import raw_client
from tests.api.conftest import PHOTO_DIR, PHOTO_MAX_BYTES, SECRET_KEY
from tests.api.consent_support import WITHDRAW_CONSENT
from tests.api.flow import JourneyDriver, end_journey
from tests.api.photo_support import (
    JPEG,
    PHOTOS,
    UPLOAD,
    consenting_client,
    fetch,
    link,
    new_key,
    png,
    post_multipart,
    set_consent,
    sign_photo_consent,
    upload,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
NO_CONSENT = taking_refusal(frozenset())


def stored_files() -> set[str]:
    return {path.name for path in PHOTO_DIR.iterdir()} if PHOTO_DIR.exists() else set()


async def test_a_photo_is_served_only_for_a_purpose_consented_to_and_every_view_is_audited(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client with a journey who consents to photos for their clinical record, and a PNG
    # the nurse takes before the treatment
    clinic, client, tags = await consenting_client(fresh_clinic)
    image = png(b"before")
    key = new_key()
    tags = {**tags, "idempotencyKey": key}
    # When she uploads it (and her retry sends it again)
    first = await upload(clinic, Role.NURSE, image, **tags)
    again = await upload(clinic, Role.NURSE, image, **tags)
    # Then it is stored once, typed from its bytes, tagged, with who took it
    assert first["__typename"] == "PhotoPayload", first
    photo = first["photo"]
    assert again == first
    assert (photo["contentType"], photo["sizeBytes"]) == ("image/png", len(image))
    assert photo["sha256"] == hashlib.sha256(image).hexdigest()
    assert (photo["stage"], photo["bodyArea"], photo["journeyId"]) == (
        "BEFORE",
        "left cheek",
        tags["journeyId"],
    )
    assert photo["takenById"] == clinic.staff[Role.NURSE].account_id
    assert photo["takenByRole"] == "NURSE"
    raw_id = decode_id(photo["id"], "Photo")
    assert raw_id in stored_files()
    assert await Photo.filter(client_id=raw_client(client)).count() == 1
    # And the same key with other bytes is a conflict
    clash = await upload(clinic, Role.NURSE, png(b"other"), **tags)
    assert clash["__typename"] == "Conflict", clash
    # Given no consent to marketing yet: no marketing link, even for a role that may see them
    refused = await link(clinic, Role.SUPERVISOR, client, "MARKETING")
    assert refused["__typename"] == "NotAuthorized", refused
    assert "not consented" in refused["message"]
    # When the client gives marketing too
    consents = await set_consent(clinic, client, "MARKETING", True)
    assert consents["inForce"] == ["CLINICAL_RECORD", "MARKETING"]
    # Then the expert's clinical link serves the very bytes, with no token in the request
    clinical = await link(clinic, Role.EXPERT, client, "CLINICAL_RECORD")
    assert clinical["__typename"] == "PhotoLink", clinical
    assert await fetch(clinic, clinical["url"]) == (200, image, "image/png")
    # And a role the table keeps from marketing gets no marketing link though it was given
    follow_up = await link(clinic, Role.FOLLOW_UP_STAFF, client, "MARKETING")
    assert follow_up["__typename"] == "NotAuthorized", follow_up
    assert "your role" in follow_up["message"]
    # When the supervisor takes a marketing link and the client then withdraws marketing
    marketing = await link(clinic, Role.SUPERVISOR, client, "MARKETING")
    assert marketing["__typename"] == "PhotoLink", marketing
    assert (await fetch(clinic, marketing["url"]))[0] == 200
    consents = await set_consent(clinic, client, "MARKETING", False)
    # Then the link already issued stops, no new one is issued, and the clinical one still works
    assert consents["inForce"] == ["CLINICAL_RECORD"]
    assert [(c["purpose"], c["given"]) for c in consents["changes"]] == [
        ("CLINICAL_RECORD", True),
        ("MARKETING", True),
        ("MARKETING", False),
    ]
    status, body, _ = await fetch(clinic, marketing["url"])
    assert status == 403 and b"not consented" in body
    assert (await link(clinic, Role.SUPERVISOR, client, "MARKETING"))["__typename"] == (
        "NotAuthorized"
    )
    assert (await fetch(clinic, clinical["url"]))[0] == 200
    # And bytes changed on the disk behind the API's back are never served as the photo
    (PHOTO_DIR / str(raw_id)).write_bytes(png(b"swapped"))
    assert (await fetch(clinic, clinical["url"]))[0] == 404
    # And a forged link, an expired one and another viewer's link bent to marketing are refused
    token = clinical["url"].removeprefix("/photos/")
    body_part, mac = token.split(".")
    forged = f"/photos/{body_part}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}"
    assert (await fetch(clinic, forged))[0] == 403
    expert = clinic.staff[Role.EXPERT].account_id
    now, session = int(time.time()), ("a-token-id", time.time())
    expired = PhotoGrant(str(raw_id), PhotoPurpose.CLINICAL_RECORD, expert, now - 1, *session)
    assert (await fetch(clinic, "/photos/" + sign_grant(SECRET_KEY, expired)))[0] == 403
    nurse_marketing = PhotoGrant(str(raw_id), PhotoPurpose.MARKETING, expert, now + 60, *session)
    assert (await fetch(clinic, "/photos/" + sign_grant(SECRET_KEY, nurse_marketing)))[0] == 403
    # And the audit trail holds every link issued and every view served, by whom
    rows = await AuditEntry.filter(client_id=raw_client(client)).order_by("seq")
    trail = [(r.action, r.actor_role) for r in rows if r.action.startswith("client.photo.")]
    assert trail == [
        ("client.photo.link", "EXPERT"),
        ("client.photo.view", "EXPERT"),
        ("client.photo.link", "SUPERVISOR"),
        ("client.photo.view", "SUPERVISOR"),
        ("client.photo.view", "EXPERT"),
    ]
    # (the upload and its retry, which answered the photo again)
    assert [r.action for r in rows if r.action == "uploadPhoto"] == ["uploadPhoto"] * 2
    await end_journey(clinic, tags["journeyId"])


async def test_a_refused_upload_stores_nothing_and_signed_photo_purposes_count_as_given(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client at the consent stage, and the files and rows there are before
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    tags = {"clientId": client, "journeyId": journey["id"]}
    before = stored_files()
    # When the nurse sends an image one byte over the limit, and a text file called a PNG
    oversized = png() + b"x" * PHOTO_MAX_BYTES
    too_large = await upload(clinic, Role.NURSE, oversized, idempotencyKey=new_key(), **tags)
    text = b"name,phone\nAnna Nowak,+48 600 100 200\n"
    disguised = await upload(clinic, Role.NURSE, text, idempotencyKey=new_key(), **tags)
    # Then each is refused with a typed error naming the file, and the consent not yet given
    for refused, why in ((too_large, "larger than"), (disguised, "not a JPEG, PNG or HEIC")):
        assert refused["__typename"] == "ValidationFailed", refused
        consent, problem = refused["problems"]
        assert consent == {"field": "clientId", "message": NO_CONSENT}
        assert problem["field"] == "file" and why in problem["message"]
    # And a multipart request without the preflight header or without a token never runs
    variables = {"input": {"stage": "BEFORE", "bodyArea": "chin", **tags, "file": None}}
    token = {"Authorization": f"Bearer {clinic.token(Role.NURSE)}"}
    status, body = await post_multipart(clinic.api.url, UPLOAD, variables, JPEG, headers=token)
    assert status == 400 and "GraphQL-Require-Preflight" in body["errors"][0]["message"]
    preflight = {"GraphQL-Require-Preflight": "1"}
    status, body = await post_multipart(clinic.api.url, UPLOAD, variables, JPEG, headers=preflight)
    assert status == 401, body
    # And nothing was stored: no file, no row
    assert stored_files() == before
    assert await Photo.filter(client_id=raw_client(client)).count() == 0
    # When the client signs a photo consent for the record and teaching, and a JPEG is sent
    # as octet-stream
    await sign_photo_consent(clinic, journey["id"], ["CLINICAL_RECORD", "TEACHING"])
    jpeg = await upload(
        clinic, Role.EXPERT, JPEG, "application/octet-stream", idempotencyKey=new_key(), **tags
    )
    assert jpeg["__typename"] == "PhotoPayload", jpeg
    assert jpeg["photo"]["contentType"] == "image/jpeg"
    # Then both are given by the signature, and the expert may fetch the photo for teaching
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    consents = data["client"]["photoConsents"]
    assert consents["inForce"] == ["CLINICAL_RECORD", "TEACHING"]
    assert [(c["given"], c["recordedByRole"]) for c in consents["changes"]] == [(True, "NURSE")] * 2
    teaching = await link(clinic, Role.EXPERT, client, "TEACHING")
    assert teaching["__typename"] == "PhotoLink", teaching
    assert await fetch(clinic, teaching["url"]) == (200, JPEG, "image/jpeg")
    # When the client withdraws the photo consent (before treatment, which does not need it:
    # the journey goes on)
    withdrawn = await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, journeyId=journey["id"], kind="PHOTO")
    assert withdrawn["stage"] == journey["stage"] == "CONSENT"
    # Then its purposes are withdrawn with it, and the teaching link stops
    data = await clinic.api.run(PHOTOS, clinic.token(Role.EXPERT), id=client)
    assert data["client"]["photoConsents"]["inForce"] == []
    assert (await fetch(clinic, teaching["url"]))[0] == 403


async def test_a_photo_is_taken_only_once_the_client_consents_to_their_clinical_record(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client with a journey who has given no photo consent (seed 000: a special consent
    # for taking the photos; seed 002: photos need the client's authorisation, the use stated)
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    journey = await clinic.start(client)
    tags = {"clientId": client, "journeyId": journey["id"]}
    before = stored_files()
    # When the nurse uploads a photo of them
    refused = await upload(clinic, Role.NURSE, png(b"no consent"), idempotencyKey=new_key(), **tags)
    # Then it is refused on the client, and nothing is kept: no file, no row
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [{"field": "clientId", "message": NO_CONSENT}]
    assert stored_files() == before
    assert await Photo.filter(client_id=raw_client(client)).count() == 0
    # When the client gives marketing and teaching only, the photo is still not taken
    await set_consent(clinic, client, "MARKETING", True)
    await set_consent(clinic, client, "TEACHING", True)
    beyond = await upload(clinic, Role.NURSE, png(b"beyond"), idempotencyKey=new_key(), **tags)
    assert beyond["problems"] == [{"field": "clientId", "message": NO_CONSENT}], beyond
    # While once the client gives the clinical record it is taken
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    taken = await upload(clinic, Role.NURSE, png(b"taken"), idempotencyKey=new_key(), **tags)
    assert taken["__typename"] == "PhotoPayload", taken
    # And once they withdraw it, no other photo is
    await set_consent(clinic, client, "CLINICAL_RECORD", False)
    after = await upload(clinic, Role.NURSE, png(b"after"), idempotencyKey=new_key(), **tags)
    assert after["problems"] == [{"field": "clientId", "message": NO_CONSENT}], after
    assert len(stored_files() - before) == 1
    assert await Photo.filter(client_id=raw_client(client)).count() == 1
    await end_journey(clinic, journey["id"])


async def test_an_upload_that_went_through_is_answered_on_retry_though_the_consent_ended(
    fresh_clinic: FreshClinic,
) -> None:
    # Given two photos the nurse uploaded under the client's clinical-record consent, the second
    # one stored with its answer lost (the process died before recording it under the key)
    clinic, client, tags = await consenting_client(fresh_clinic)
    answered = {**tags, "idempotencyKey": new_key()}
    lost = {**tags, "idempotencyKey": new_key(), "bodyArea": "chin"}
    first = await upload(clinic, Role.NURSE, png(b"answered"), **answered)
    stored = await upload(clinic, Role.NURSE, png(b"lost"), **lost)
    assert (first["__typename"], stored["__typename"]) == ("PhotoPayload", "PhotoPayload")
    nurse = clinic.staff[Role.NURSE].account_id
    key = IdempotencyKey.filter(account_id=nurse, key=lost["idempotencyKey"])
    assert await key.update(result_id="") == 1
    # When the client withdraws the consent, and each upload is retried with its key
    await set_consent(clinic, client, "CLINICAL_RECORD", False)
    again = await upload(clinic, Role.NURSE, png(b"answered"), **answered)
    recovered = await upload(clinic, Role.NURSE, png(b"lost"), **lost)
    # Then each is answered as the first time, and the client still has two photos
    assert (again, recovered) == (first, stored)
    assert await Photo.filter(client_id=raw_client(client)).count() == 2
    # While the same photo under a new key is refused: the consent ended
    fresh = await upload(clinic, Role.NURSE, png(b"answered"), **tags, idempotencyKey=new_key())
    assert fresh["problems"] == [{"field": "clientId", "message": NO_CONSENT}], fresh
    await end_journey(clinic, tags["journeyId"])


async def test_a_multipart_request_of_the_wrong_shape_or_size_is_refused_before_it_runs(
    driver: JourneyDriver,
) -> None:
    # Given a signed-in nurse sending uploads as a browser would after its preflight
    headers = {
        "Authorization": f"Bearer {driver.token(Role.NURSE)}",
        "GraphQL-Require-Preflight": "1",
    }
    variables = {"input": {"file": None}}
    url = driver.api.url
    before = stored_files()

    async def send(form: aiohttp.FormData) -> tuple[int, str]:
        async with aiohttp.ClientSession() as session:
            async with session.post(url, data=form, headers=headers) as answer:
                return answer.status, (await answer.json())["errors"][0]["message"]

    def form(operations: object, files: object, *parts: bytes) -> aiohttp.FormData:
        built = aiohttp.FormData()
        built.add_field("operations", json.dumps(operations))
        built.add_field("map", json.dumps(files))
        for number, data in enumerate(parts):
            built.add_field(str(number), data, filename="p", content_type="image/png")
        return built

    operations = {"query": UPLOAD, "variables": variables}
    # When the map leads through a value that is not an object, or names a missing file
    assert (await send(form(operations, {"0": ["variables.input.file.x"]}, JPEG)))[0] == 400
    assert (await send(form(operations, {"9": ["variables.input.file"]}, JPEG)))[0] == 400
    assert (await send(form([operations], {"0": ["0.variables.input.file"]}, JPEG)))[0] == 400
    # And when it carries two files, or a body past the ceiling
    two = form(operations, {"0": ["variables.input.file"]}, JPEG, JPEG)
    assert await send(two) == (400, "at most 1 file per request")
    huge = form(operations, {"0": ["variables.input.file"]}, b"\0" * (3 * 1024**2))
    status, message = await send(huge)
    # Then each is a GraphQL error with its status, and nothing is stored
    assert (status, message.startswith("the request body is larger than")) == (413, True)
    # And a file mapped where the document wants text is named as the schema's Upload, never by
    # the server's own class
    text_field = {"query": UPLOAD, "variables": {"input": {"file": None, "bodyArea": None}}}
    status, message = await send(form(text_field, {"0": ["variables.input.bodyArea"]}, JPEG))
    assert status == 200
    assert "<Upload instance>" in message and "UploadedFile" not in message, message
    assert stored_files() == before
