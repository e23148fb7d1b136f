"""An uploaded photo is stored and served without what its file says about who took it, where
and with what (EXIF, GPS, XMP, comments, PNG text), its pixels unchanged; a header stating no
size or a size past the bounds is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from io import BytesIO

from PIL import Image

from domain.roles import Role
from domain.store.photos import Photo
from tests.api.audit_support import raw_client
from tests.api.flow import JourneyDriver, end_journey
from tests.api.photo_support import consenting_client, fetch, link, new_key, upload
from tests.images import ARTIST, GPS_IFD, ORIENTATION_TAG, camera_jpeg, tagged_png

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_photo_is_served_without_its_exif_gps_or_text_and_with_its_pixels(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who consents to photos for the record and for teaching, and a phone's JPEG
    # naming them as its artist, with GPS, XMP and a comment
    clinic, client, tags = await consenting_client(fresh_clinic, "TEACHING")
    sent = camera_jpeg(orientation=6)
    tags = {**tags, "idempotencyKey": new_key()}
    # When the nurse uploads it, and her retry sends it again
    first = await upload(clinic, Role.NURSE, sent, "image/jpeg", **tags)
    again = await upload(clinic, Role.NURSE, sent, "image/jpeg", **tags)
    assert first["__typename"] == "PhotoPayload", first
    assert again == first
    # Then the teaching link serves it without the artist, the device, the place or the XMP
    teaching = await link(clinic, Role.EXPERT, client, "TEACHING")
    status, served, content_type = await fetch(clinic, teaching["url"])
    assert (status, content_type) == (200, "image/jpeg")
    assert ARTIST.encode() not in served and b"PhoneMaker" not in served
    with Image.open(BytesIO(served)) as after, Image.open(BytesIO(sent)) as before:
        exif = after.getexif()
        assert not exif.get_ifd(GPS_IFD) and dict(exif) == {ORIENTATION_TAG: 6}
        assert "xmp" not in after.info and "comment" not in after.info
        assert after.tobytes() == before.tobytes()  # the very pixels, still shown upright
    # And the photo states the size and hash of what is stored
    photo = first["photo"]
    assert (photo["sizeBytes"], photo["sha256"]) == (
        len(served),
        hashlib.sha256(served).hexdigest(),
    )
    # When a PNG with text, time and EXIF chunks goes up, and another file under the first key
    place = {"clientId": client, "journeyId": tags["journeyId"]}
    png = await upload(clinic, Role.NURSE, tagged_png(), idempotencyKey=new_key(), **place)
    clash = await upload(clinic, Role.NURSE, camera_jpeg(orientation=3), "image/jpeg", **tags)
    # Then the PNG is kept without them, and the other file is a conflict
    assert png["__typename"] == "PhotoPayload", png
    assert clash["__typename"] == "Conflict", clash
    stored = await Photo.filter(client_id=raw_client(client))
    assert len(stored) == 2
    png_row = next(row for row in stored if row.content_type == "image/png")
    assert png_row.size_bytes == png["photo"]["sizeBytes"] < len(tagged_png())
    await end_journey(clinic, tags["journeyId"])


async def test_an_image_stating_no_size_or_a_size_past_the_bounds_is_refused(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who consents to photos
    clinic, client, tags = await consenting_client(fresh_clinic)
    # When PNGs whose headers state 0x0, 2^31-1 on each side and 100,000 x 100,000 go up
    for width, height in ((0, 0), (2**31 - 1, 2**31 - 1), (100_000, 100_000)):
        image = tagged_png(width, height)
        refused = await upload(clinic, Role.NURSE, image, idempotencyKey=new_key(), **tags)
        # Then each is refused on `file`, saying why, and nothing is stored
        assert refused["__typename"] == "ValidationFailed", refused
        (problem,) = refused["problems"]
        assert problem["field"] == "file" and f"{width:,} x {height:,} pixels" in problem["message"]
    assert await Photo.filter(client_id=raw_client(client)).count() == 0
    await end_journey(clinic, tags["journeyId"])
