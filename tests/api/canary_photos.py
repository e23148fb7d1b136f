"""The canary's photo: a purpose given, then one uploaded as a multipart request, its body area
typed with the marker. None of it touches a workflow (the journey it is tagged with only names
it)."""

from __future__ import annotations

from domain.roles import Role
from tests.api.canary_visits import Visit
from tests.api.photo_support import png, post_multipart


async def take_a_photo(visit: Visit) -> None:
    client = await visit.client()
    journey = await visit.start(client=client)
    # The client consents to photos for their record first: without it no photo is taken
    await visit.call(
        Role.FRONT_DESK,
        "setPhotoConsent",
        "PhotoConsentPayload",
        "... on PhotoConsentPayload { change { given } }",
        clientId=client,
        purpose="CLINICAL_RECORD",
        given=True,
    )
    mutation = "uploadPhoto"
    document = visit.canary.document(mutation, "... on PhotoPayload { photo { id } }")
    given = {"clientId": client, "journeyId": journey, "stage": "BEFORE", "file": None}
    headers = {
        "Authorization": f"Bearer {visit.token(Role.NURSE)}",
        "GraphQL-Require-Preflight": "1",
    }
    variables = {"input": visit.canary.fill(mutation, given)}
    status, body = await post_multipart(visit.api.url, document, variables, png(), headers=headers)
    assert status == 200 and body["data"][mutation]["__typename"] == "PhotoPayload", body
