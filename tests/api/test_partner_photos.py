"""A partner's premises photos over the real API: a registration never names a client's photo,
of its own clinic or of another, stored or not, nor the same photo twice; a refused one writes
nothing, and the refusal tells nothing of which photo ids are stored."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.partners import PartnerRegistration
from schema.ids import decode_id, encode_id
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver, new_key
from tests.api.partner_documents import REGISTER, SALON
from tests.api.photo_support import JPEG, consenting_client, upload

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
NOT_PREMISES = "has the form of a client photo's id (uploadPhoto), not of a photo of the premises"


async def register(d: JourneyDriver, **input: Any) -> dict[str, Any]:
    data = await d.api.run(REGISTER, d.token(Role.SUPERVISOR), input=input)
    return data["registerPartner"]  # type: ignore[no-any-return]


async def test_premises_photos_never_name_a_clients_photo_nor_one_photo_twice(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic holding a client's clinical photo, another clinic, and a salon registered
    clinic, _, tags = await consenting_client(fresh_clinic)
    stored = await upload(clinic, Role.NURSE, JPEG, idempotencyKey=new_key(), **tags)
    photo = stored["photo"]["id"]
    raw_photo = decode_id(photo, "Photo")
    assert raw_photo is not None
    other = await fresh_clinic()
    salon = await register(clinic, **SALON)
    partner = salon["partner"]
    # When the supervisors name the client's photo (by its global or raw id, in either clinic),
    # or one premises photo twice, for a new partner or a new version
    cases = [
        (clinic, {"premisesPhotoIds": ["front.jpg", photo]}, "premisesPhotoIds[1]", NOT_PREMISES),
        (clinic, {"premisesPhotoIds": [raw_photo]}, "premisesPhotoIds[0]", NOT_PREMISES),
        (other, {"premisesPhotoIds": [photo]}, "premisesPhotoIds[0]", NOT_PREMISES),
        (
            clinic,
            {"premisesPhotoIds": ["front.jpg", "front.jpg"], "partnerId": partner["id"]},
            "premisesPhotoIds[1]",
            "repeats premisesPhotoIds[0]",
        ),
        (
            clinic,
            {"premisesPhotoIds": [photo], "partnerId": partner["id"]},
            "premisesPhotoIds[0]",
            NOT_PREMISES,
        ),
    ]
    for d, given, field, message in cases:
        refused = await register(d, **{**SALON, **given, "idempotencyKey": new_key()})
        # Then each is refused naming the photo, with the same words in either clinic
        assert refused["__typename"] == "ValidationFailed", (given, refused)
        assert refused["problems"] == [{"field": field, "message": message}], given
    # And nothing was written: the salon keeps its one version, the other clinic has none
    assert await PartnerRegistration.filter(clinic_id=await clinic_of(clinic)).count() == 1
    assert await PartnerRegistration.filter(clinic_id=await clinic_of(other)).count() == 0
    # While distinct photos of the premises make the next version
    kept = await register(
        clinic, **{**SALON, "premisesPhotoIds": ["front.jpg", "sign.jpg"]}, partnerId=partner["id"]
    )
    assert kept["__typename"] == "RegisterPartnerPayload", kept
    assert (kept["partner"]["version"], kept["partner"]["premisesPhotoIds"]) == (
        2,
        ["front.jpg", "sign.jpg"],
    )


async def test_a_photo_of_another_clinic_is_refused_as_an_unknown_photo_id_is(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic holding a client's photo, and a supervisor of another clinic
    # (found by a review: the other clinic's photo id was refused, an unknown one accepted and
    # written, so the answer told whether a photo id exists anywhere)
    clinic, _, tags = await consenting_client(fresh_clinic)
    stored = await upload(clinic, Role.NURSE, JPEG, idempotencyKey=new_key(), **tags)
    photo = stored["photo"]["id"]
    raw_photo = decode_id(photo, "Photo")
    assert raw_photo is not None
    other = await fresh_clinic()
    unknown = str(uuid.uuid4())
    # When that supervisor names the photo, by its global or raw id, and a photo id no photo
    # has, in the same two forms
    named = [photo, raw_photo, encode_id("Photo", unknown), unknown, unknown.upper()]
    answers = [
        await register(other, **{**SALON, "premisesPhotoIds": [p], "idempotencyKey": new_key()})
        for p in named
    ]
    # Then every answer is the same refusal, word for word
    refusal = {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": f"premisesPhotoIds[0]: {NOT_PREMISES}",
        "problems": [{"field": "premisesPhotoIds[0]", "message": NOT_PREMISES}],
    }
    assert answers == [refusal] * len(named), list(zip(named, answers, strict=True))
    # And nothing was written in the other clinic
    assert await PartnerRegistration.filter(clinic_id=await clinic_of(other)).count() == 0
