"""The photo rules without I/O: types told from bytes, consent by purpose, signed links."""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, datetime, timedelta

from domain.permissions import PHOTO_VIEWERS
from domain.photos import links
from domain.photos.links import (
    ClientCopyGrant,
    PhotoGrant,
    copy_refusal,
    read_grant,
    sign_grant,
)
from domain.photos.purposes import (
    ConsentChange,
    PhotoPurpose,
    purposes_in_force,
    taking_refusal,
    withdrawn_with_consent,
)
from domain.photos.sniff import ImageType, sniff_image
from domain.roles import Role
from tests.images import box, heic, jpeg, png

P = PhotoPurpose
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_type_is_told_from_the_bytes_alone() -> None:
    assert sniff_image(png()) is ImageType.PNG
    assert sniff_image(jpeg()) is ImageType.JPEG
    assert sniff_image(heic()) is ImageType.HEIC
    assert sniff_image(jpeg() + b"camera trailer") is ImageType.JPEG  # data after the end
    app0_end = 4 + int.from_bytes(jpeg()[4:6], "big")  # SOI, then APP0's marker and length
    stray = jpeg()[:app0_end] + b"\x00\x00" + jpeg()[app0_end:]
    assert sniff_image(stray) is ImageType.JPEG  # stray bytes between segments, as decoders
    video = box(b"ftyp", b"mp42\x00\x00\x00\x00") + box(b"moov", b"")
    assert sniff_image(video) is None
    for not_an_image in (b"", b"\x89PNG\r\n\x1a\n", b"GIF89a....", b"<svg/>", b"name,phone\n"):
        assert sniff_image(not_an_image) is None


def test_only_the_opening_bytes_of_an_image_are_no_image() -> None:
    # Found by a hostile pass: each was kept as a photo, served as an image
    page = b"<html><script>alert(1)</script></html>"
    disguised = [
        b"\x89PNG\r\n\x1a\n" + page,  # a PNG's signature, then a web page
        b"\x00\x00\x00\x18ftypheic<svg onload=alert(1)>",  # a HEIC's opening, then SVG
        b"\xff\xd8\xff\x00",  # four bytes of a JPEG's start
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
        png()[:-12],  # cut before its IEND
        png().replace(b"IDAT", b"IDAX"),  # a chunk whose checksum no longer fits
        jpeg()[: len(jpeg()) // 2],  # cut in its scan, no end
        heic()[:-4],  # a box running past the file
        box(b"ftyp", b"heic\x00\x00\x00\x00") + box(b"mdat", b""),  # no meta
    ]
    for bytes_ in disguised:
        assert sniff_image(bytes_) is None, bytes_[:40]


def test_each_purpose_is_decided_by_its_own_latest_change() -> None:
    def at(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    changes = [
        ConsentChange(P.MARKETING, True, at(1)),
        ConsentChange(P.CLINICAL_RECORD, True, at(0)),
        ConsentChange(P.MARKETING, False, at(2)),
        ConsentChange(P.TEACHING, False, at(3)),
        ConsentChange(P.TEACHING, True, at(3), seq="b"),  # same instant: the later row wins
    ]
    assert purposes_in_force(changes) == {P.CLINICAL_RECORD, P.TEACHING}
    assert purposes_in_force(reversed(changes)) == {P.CLINICAL_RECORD, P.TEACHING}
    assert purposes_in_force([]) == frozenset()


def test_a_photo_is_taken_only_under_the_clinical_record_consent() -> None:
    # Seed 000: a special consent for taking the photos; seed 002: authorised, the use stated
    assert taking_refusal(frozenset({P.CLINICAL_RECORD})) is None
    assert taking_refusal(frozenset({P.CLINICAL_RECORD, P.MARKETING})) is None
    for beyond_the_record in (frozenset(), frozenset({P.MARKETING, P.TEACHING})):
        refusal = taking_refusal(beyond_the_record)
        assert refusal is not None and "CLINICAL_RECORD" in refusal


def test_a_link_holds_only_while_unexpired_and_unchanged_under_a_known_key() -> None:
    secret, old = "s" * 40, "o" * 40
    grant = PhotoGrant("photo-1", P.TEACHING, "account-7", 1_000, "token-3", 900.25)
    token = sign_grant(secret, grant)
    assert read_grant([secret], token, now=999) == grant
    assert read_grant([secret], token, now=1_000) is None  # expired
    assert read_grant([old, secret], token, now=0) == grant  # a rotation keeps it working
    assert read_grant([old], token, now=0) is None
    body, mac = token.split(".")
    bent = sign_grant(secret, PhotoGrant("photo-1", P.MARKETING, "account-7", 1_000, "token-3", 0))
    for forged in (f"{bent.split('.')[0]}.{mac}", f"{body}.{mac[::-1]}", body, "", "a.b.c"):
        assert read_grant([secret], forged, now=0) is None
    # A link of the first release, with no session in it, is refused though genuine
    before = b'["photo-1","TEACHING","account-7",1000]'
    first_release = f"{links._b64(before)}.{links._b64(links._mac(secret, before))}"
    assert read_grant([secret], first_release, now=0) is None


def test_a_link_for_the_clients_copy_is_its_own_kind_and_purpose_links_read_as_before() -> None:
    secret = "s" * 40
    # A link for a purpose signed as this module signed them before copy links existed
    before = b'["photo-1","CLINICAL_RECORD","account-7",1000,"token-3",900.25]'
    issued_before = f"{links._b64(before)}.{links._b64(links._mac(secret, before))}"
    purpose = PhotoGrant("photo-1", P.CLINICAL_RECORD, "account-7", 1_000, "token-3", 900.25)
    assert read_grant([secret], issued_before, now=0) == purpose
    assert sign_grant(secret, purpose) == issued_before
    # A link for the client's copy names her, no purpose, and reads back as its own kind
    copy = ClientCopyGrant("photo-1", "client-2", "account-7", 1_000, "token-3", 900.25)
    token = sign_grant(secret, copy)
    assert read_grant([secret], token, now=999) == copy
    assert read_grant([secret], token, now=1_000) is None  # expired
    # Its body cannot be bent into a purpose link, nor another photo's copy link, under its mac
    mac = token.split(".")[1]
    other_photo = sign_grant(secret, ClientCopyGrant("photo-9", *astuple(copy)[1:]))
    for forged in (f"{issued_before.split('.')[0]}.{mac}", f"{other_photo.split('.')[0]}.{mac}"):
        assert read_grant([secret], forged, now=0) is None
    # A body of another shape, even signed, is no link: a purpose named as the copy's kind,
    # a copy of six fields
    for shape in (
        b'["client-copy","photo-1","account-7",1000,"token-3",900.25]',
        b'["photo-1","client-copy","client-2","account-7",1000,"token-3",900.25]',
    ):
        signed = f"{links._b64(shape)}.{links._b64(links._mac(secret, shape))}"
        assert read_grant([secret], signed, now=0) is None


def test_a_copy_link_serves_the_role_that_takes_copies_and_only_the_clients_own_photos() -> None:
    assert copy_refusal(True, True) is None
    assert "role" in (copy_refusal(False, True) or "")
    assert "not of the client" in (copy_refusal(True, False) or "")


def test_marketing_photos_are_for_supervisors_and_the_record_for_the_care_team() -> None:
    assert PHOTO_VIEWERS[P.MARKETING].roles == {Role.SUPERVISOR}
    assert Role.FOLLOW_UP_STAFF in PHOTO_VIEWERS[P.CLINICAL_RECORD].roles
    assert Role.FOLLOW_UP_STAFF not in PHOTO_VIEWERS[P.TEACHING].roles
    assert not any(
        audience.admits(role)
        for audience in PHOTO_VIEWERS.values()
        for role in (Role.FRONT_DESK, Role.CASHIER, Role.ADMIN)
    )


def test_a_withdrawn_consent_takes_back_what_its_giving_still_decides() -> None:
    # A consent gave the clinical record, marketing and teaching (its changes c-1, c-2, c-3)
    granted = {P.CLINICAL_RECORD: "c-1", P.MARKETING: "c-2", P.TEACHING: "c-3"}
    latest = [
        ConsentChange(P.CLINICAL_RECORD, True, T0, "c-1"),  # still its giving
        ConsentChange(P.MARKETING, False, T0 + timedelta(days=1), "s-1"),  # withdrawn since
        ConsentChange(P.TEACHING, True, T0 + timedelta(days=2), "c-9"),  # given again since
    ]
    assert withdrawn_with_consent(granted, latest) == [P.CLINICAL_RECORD]
    # A purpose it never gave stands, whoever gave it
    staff = [ConsentChange(P.MARKETING, True, T0, "s-2")]
    assert withdrawn_with_consent({P.TEACHING: "c-3"}, staff) == []
