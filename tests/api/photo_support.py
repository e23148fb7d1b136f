"""Documents and helpers of the photo tests: multipart uploads, links, consents by purpose."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.images import JPEG, png

__all__ = ["JPEG", "png"]  # the images the photo tests send, from tests.images

PHOTO_FIELDS = (
    "id journeyId stage bodyArea contentType sizeBytes sha256 takenById takenByRole"
    " uploadedAt uploadedAtLocal"
)
UPLOAD = f"""
mutation Upload($input: UploadPhotoInput!) {{
  uploadPhoto(input: $input) {{
    __typename
    ... on PhotoPayload {{ photo {{ {PHOTO_FIELDS} }} }}
    ... on UserError {{ code message }}
    ... on ValidationFailed {{ problems {{ field message }} }}
  }}
}}
"""
CONSENTS = "inForce changes { id purpose given signatureId recordedById recordedByRole }"
SET_CONSENT = f"""
mutation Consent($input: SetPhotoConsentInput!) {{
  setPhotoConsent(input: $input) {{
    __typename
    ... on PhotoConsentPayload {{ change {{ purpose given }} consents {{ {CONSENTS} }} }}
    ... on UserError {{ code message }}
  }}
}}
"""
LINK = """
query Link($id: ID!, $purpose: PhotoPurpose!) {
  client(id: $id) {
    ... on Client {
      photos { ... on PhotoConnection { edges { node { id link(purpose: $purpose) {
        __typename
        ... on PhotoLink { url purpose expiresAt }
        ... on UserError { code message }
      } } } } }
    }
  }
}
"""
PHOTOS = f"""
query Photos($id: ID!) {{
  client(id: $id) {{
    ... on Client {{
      photos {{ ... on PhotoConnection {{ edges {{ node {{ {PHOTO_FIELDS} }} }} }} }}
      photoConsents {{ {CONSENTS} }}
    }}
  }}
}}
"""


def new_key() -> str:
    return f"photo-{uuid.uuid4().hex}"


async def post_multipart(
    url: str,
    document: str,
    variables: dict[str, Any],
    data: bytes,
    *,
    headers: dict[str, str],
    content_type: str = "image/png",
) -> tuple[int, Any]:
    """One request of the graphql-multipart-request spec: `operations`, `map`, the file."""
    form = aiohttp.FormData()
    form.add_field("operations", json.dumps({"query": document, "variables": variables}))
    form.add_field("map", json.dumps({"0": ["variables.input.file"]}))
    form.add_field("0", data, filename="photo", content_type=content_type)
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=form, headers=headers) as answer:
            return answer.status, await answer.json()


async def upload(
    driver: JourneyDriver, role: Role, data: bytes, content_type: str = "image/png", **input: Any
) -> dict[str, Any]:
    """`uploadPhoto` as the role; the union member it answered."""
    headers = {"Authorization": f"Bearer {driver.token(role)}", "GraphQL-Require-Preflight": "1"}
    variables = {"input": {"stage": "BEFORE", "bodyArea": "left cheek", **input, "file": None}}
    status, body = await post_multipart(
        driver.api.url, UPLOAD, variables, data, headers=headers, content_type=content_type
    )
    assert status == 200, body
    return body["data"]["uploadPhoto"]  # type: ignore[no-any-return]


async def set_consent(
    driver: JourneyDriver, client: str, purpose: str, given: bool, role: Role = Role.FRONT_DESK
) -> dict[str, Any]:
    data = await driver.api.run(
        SET_CONSENT,
        driver.token(role),
        input={"clientId": client, "purpose": purpose, "given": given, "idempotencyKey": new_key()},
    )
    result = data["setPhotoConsent"]
    assert result["__typename"] == "PhotoConsentPayload", result
    return result["consents"]  # type: ignore[no-any-return]


async def consenting_client(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], *more_purposes: str
) -> tuple[JourneyDriver, str, dict[str, Any]]:
    """A fresh clinic's client on a journey who gives CLINICAL_RECORD photos (and
    `more_purposes`): the clinic, the client and what an upload names them by (client, journey)."""
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    journey = await clinic.start(client)
    for purpose in ("CLINICAL_RECORD", *more_purposes):
        await set_consent(clinic, client, purpose, True)
    return clinic, client, {"clientId": client, "journeyId": journey["id"]}


async def sign_photo_consent(
    driver: JourneyDriver, journey_id: str, purposes: list[str]
) -> dict[str, Any]:
    """A PHOTO consent for `purposes`, signed on a paper form; the journey after it."""
    return await driver.ok(
        documents.SIGN_CONSENT,
        Role.NURSE,
        journeyId=journey_id,
        kind="PHOTO",
        signerName="Anna Nowak",
        templateId="photo-consent",
        templateVersion="1",
        rightsExplained=True,
        photoPurposes=purposes,
        idempotencyKey=new_key(),
    )


async def link(driver: JourneyDriver, role: Role, client: str, purpose: str) -> dict[str, Any]:
    """The link `role` gets to the client's one photo for `purpose` (or the refusal)."""
    data = await driver.api.run(LINK, driver.token(role), id=client, purpose=purpose)
    (edge,) = data["client"]["photos"]["edges"]
    return edge["node"]["link"]  # type: ignore[no-any-return]


async def fetch(driver: JourneyDriver, path: str) -> tuple[int, bytes, str]:
    """GET a link's path on the API's origin, with no header at all (as an `<img src>`)."""
    origin = driver.api.url.removesuffix("/graphql")
    async with aiohttp.ClientSession() as session:
        async with session.get(origin + path) as answer:
            return answer.status, await answer.read(), answer.content_type
