"""An uploaded photo's metadata is taken out byte for byte, pixels untouched; its stated size is
bounded."""

from __future__ import annotations

import struct
from io import BytesIO

from PIL import Image

from domain.photos.dimensions import MAX_PIXELS, MAX_SIDE, size_refusal
from domain.photos.heif import blank_heif_metadata, image_sizes
from domain.photos.intake import prepared_image
from domain.photos.metadata import strip_jpeg, strip_png
from domain.photos.sniff import ImageType, sniff_image
from tests.images import (
    ARTIST,
    GPS_IFD,
    ORIENTATION_TAG,
    camera_exif,
    camera_heic,
    camera_jpeg,
    heic,
    jpeg,
    png,
    png_chunk,
    png_with,
    tagged_png,
)


def scan_data(data: bytes) -> bytes:
    """The bytes from the first scan on: the compressed pixels."""
    return data[data.index(b"\xff\xda") :]


def test_a_jpeg_loses_who_where_and_what_device_but_keeps_its_pixels_and_orientation() -> None:
    sent = camera_jpeg(orientation=6) + b"phone's extra image after the end"
    stripped = strip_jpeg(sent)
    assert ARTIST.encode() not in stripped and b"PhoneMaker" not in stripped
    assert b"xmpmeta" not in stripped and b"phone's extra" not in stripped
    assert scan_data(stripped) == scan_data(sent).split(b"phone's")[0]  # not re-encoded
    assert sniff_image(stripped) is ImageType.JPEG
    with Image.open(BytesIO(sent)) as before, Image.open(BytesIO(stripped)) as after:
        assert after.tobytes() == before.tobytes()
        exif = after.getexif()
        assert dict(exif) == {ORIENTATION_TAG: 6}  # still shown the right way up
        assert not exif.get_ifd(GPS_IFD)
        assert "comment" not in after.info and "xmp" not in after.info
    assert strip_jpeg(stripped) == stripped


def test_a_jpeg_stored_upright_carries_no_exif_at_all() -> None:
    stripped = strip_jpeg(camera_jpeg(orientation=1))
    assert b"Exif" not in stripped
    assert strip_jpeg(jpeg()) == jpeg()  # nothing to take out of a plain one


def test_a_png_loses_its_text_time_and_exif_chunks() -> None:
    sent = tagged_png() + b"trailing"
    stripped = strip_png(sent)
    assert ARTIST.encode() not in stripped and b"tIME" not in stripped
    assert b"trailing" not in stripped and sniff_image(stripped) is ImageType.PNG
    with Image.open(BytesIO(sent)) as before, Image.open(BytesIO(stripped)) as after:
        assert after.tobytes() == before.tobytes()
        assert dict(after.getexif()) == {ORIENTATION_TAG: 6}
        assert not {"Author", "Comment", "Title"} & set(after.info)
    assert strip_png(png(b"plain")) == png(b"plain")  # nothing to take out of a plain one


def test_a_png_keeps_only_the_chunks_that_draw_it() -> None:
    # Given a PNG carrying an app's private chunk and an unknown public one beside its colour
    sent = png_with(
        png_chunk(b"gAMA", struct.pack(">I", 45455)),
        png_chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)),
        png_chunk(b"prVt", ARTIST.encode()),
        png_chunk(b"vpAg", ARTIST.encode()),
    )
    stripped = strip_png(sent)
    # Then what names someone is gone, and what the viewer needs to draw it is kept
    assert ARTIST.encode() not in stripped
    assert b"gAMA" in stripped and b"pHYs" in stripped
    with Image.open(BytesIO(sent)) as before, Image.open(BytesIO(stripped)) as after:
        assert after.tobytes() == before.tobytes()


def test_a_heic_has_its_exif_and_xmp_items_blanked_in_place() -> None:
    sent = camera_heic()
    blanked = blank_heif_metadata(sent)
    assert len(blanked) == len(sent) and sniff_image(blanked) is ImageType.HEIC
    assert ARTIST.encode() not in blanked and b"Exif" not in blanked
    assert b"xmpmeta" not in blanked and b"rdf+xml" in blanked  # the item entry stays, renamed
    assert image_sizes(blanked) == [(4032, 3024)]
    assert blank_heif_metadata(heic()) == heic()


def test_a_stated_size_of_nothing_or_past_the_bounds_is_refused() -> None:
    for width, height in ((0, 0), (1, 0), (2**31 - 1, 2**31 - 1), (100_000, 100_000)):
        assert size_refusal(tagged_png(width, height), ImageType.PNG), (width, height)
        assert size_refusal(camera_heic(width, height), ImageType.HEIC), (width, height)
    assert size_refusal(tagged_png(MAX_SIDE + 1, 1), ImageType.PNG)
    assert size_refusal(tagged_png(MAX_SIDE, MAX_PIXELS // MAX_SIDE + 1), ImageType.PNG)
    assert size_refusal(tagged_png(MAX_SIDE, MAX_PIXELS // MAX_SIDE), ImageType.PNG) is None
    assert size_refusal(tagged_png(ihdr_size=14), ImageType.PNG) == (
        "the PNG's IHDR chunk is not 13 bytes"
    )
    assert size_refusal(camera_jpeg(), ImageType.JPEG) is None
    assert size_refusal(heic(), ImageType.HEIC) is None


def test_a_jpeg_frame_states_its_size() -> None:
    wide = Image.new("RGB", (MAX_SIDE + 1, 1))
    out = BytesIO()
    wide.save(out, "JPEG")
    refusal = size_refusal(out.getvalue(), ImageType.JPEG)
    assert refusal is not None and "16,385 x 1 pixels" in refusal
    stored, refused = prepared_image(out.getvalue(), ImageType.JPEG)
    assert (stored, refused) == (b"", refusal)


def test_a_progressive_or_restart_marked_jpeg_keeps_every_scan() -> None:
    picture = Image.effect_noise((64, 48), 80).convert("RGB")
    for options in ({"progressive": True}, {"restart_marker_blocks": 1}):
        out = BytesIO()
        picture.save(out, "JPEG", exif=camera_exif(), **options)
        stripped = strip_jpeg(out.getvalue())
        assert ARTIST.encode() not in stripped
        with Image.open(BytesIO(stripped)) as after, Image.open(out) as before:
            assert after.tobytes() == before.tobytes(), options
