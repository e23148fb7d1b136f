"""Small, whole images of each type a photo may be, built here so every test sends a real one
(the upload checks a file's structure, not its first bytes)."""

from __future__ import annotations

import hashlib
import struct
import zlib
from io import BytesIO

from PIL import Image


def png(extra: bytes = b"") -> bytes:
    """A 1x1 PNG, valid to any reader, its one pixel's colour drawn from `extra`: each `extra`
    gives another image, which is stored as sent (it holds only the chunks that draw it)."""
    colour = hashlib.sha256(extra).digest()[:3] if extra else b"\xff\x80\x00"
    return png_with(pixels=b"\x00" + colour)


def png_with(*chunks: bytes, pixels: bytes = b"\x00\xff\x80\x00") -> bytes:
    """A 1x1 RGB PNG with `chunks` between its header and its image data."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + b"".join(chunks)
        + png_chunk(b"IDAT", zlib.compress(pixels))
        + png_chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A 1x1 baseline JPEG, as a camera or an editor writes one."""
    out = BytesIO()
    Image.new("RGB", (1, 1), (255, 128, 0)).save(out, "JPEG")
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def heic() -> bytes:
    """The box layout of a HEIC (ftyp naming a HEIF brand, meta, mdat); the image data is not
    real, which the upload never decodes."""
    brands = box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")
    size = box(b"iprp", box(b"ipco", box(b"ispe", b"\x00" * 4 + struct.pack(">II", 1, 1))))
    return brands + box(b"meta", b"\x00" * 4 + size) + box(b"mdat", b"\x00" * 16)


JPEG = jpeg()


ARTIST = "Anna Nowak (client)"
GPS_IFD, ARTIST_TAG, MAKE_TAG, ORIENTATION_TAG = 0x8825, 0x013B, 0x010F, 0x0112


def camera_exif(orientation: int = 6) -> Image.Exif:
    """EXIF as a phone writes it: who, which device, where, and how to turn the pixels."""
    exif = Image.Exif()
    exif[ARTIST_TAG] = ARTIST
    exif[MAKE_TAG] = "PhoneMaker"
    exif[ORIENTATION_TAG] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 13.0, 7.5), 3: "E", 4: (21.0, 0.0, 42.0)})
    return exif


def camera_jpeg(orientation: int = 6) -> bytes:
    """A 16x8 JPEG with EXIF (artist, make, GPS, orientation), XMP and a comment."""
    out = BytesIO()
    picture = Image.new("RGB", (16, 8), (200, 120, 90))
    picture.putpixel((3, 2), (0, 0, 255))
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{ARTIST}</dc:creator></x:xmpmeta>'
    exif = camera_exif(orientation)
    picture.save(out, "JPEG", exif=exif, comment=ARTIST, xmp=xmp.encode())
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def tagged_png(width: int = 1, height: int = 1, ihdr_size: int = 13) -> bytes:
    """A PNG whose header states `width` x `height` (its data is one pixel's), with text, time
    and EXIF chunks naming the client."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0).ljust(ihdr_size, b"\x00")
    exif = camera_exif().tobytes().removeprefix(b"Exif\x00\x00")  # eXIf holds the TIFF alone
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header[:ihdr_size])
        + png_chunk(b"tEXt", b"Author\x00" + ARTIST.encode())
        + png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(ARTIST.encode()))
        + png_chunk(b"iTXt", b"Title\x00\x00\x00\x00\x00" + ARTIST.encode())
        + png_chunk(b"tIME", struct.pack(">HBBBBB", 2024, 5, 1, 12, 0, 0))
        + png_chunk(b"eXIf", exif)
        + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00"))
        + png_chunk(b"IEND", b"")
    )


def full_box(kind: bytes, version: int, payload: bytes) -> bytes:
    return box(kind, bytes((version, 0, 0, 0)) + payload)


def camera_heic(width: int = 4032, height: int = 3024) -> bytes:
    """A HEIC's boxes as a phone writes them: an image item of `width` x `height` (its `ispe`)
    and an `Exif` and an XMP (`mime`) item, whose bytes `iloc` places in `mdat`."""
    exif = b"\x00\x00\x00\x06" + camera_exif().tobytes()
    xmp = f"<x:xmpmeta><dc:creator>{ARTIST}</dc:creator></x:xmpmeta>".encode()
    picture = b"\x00" * 16  # not real image data, which the upload never decodes

    def entry(item: int, kind: bytes, extra: bytes = b"") -> bytes:
        return full_box(b"infe", 2, struct.pack(">HH", item, 0) + kind + b"\x00" + extra)

    items = [
        entry(1, b"hvc1"),
        entry(2, b"Exif"),
        entry(3, b"mime", b"application/rdf+xml\x00"),
    ]
    info = full_box(b"iinf", 0, struct.pack(">H", len(items)) + b"".join(items))
    size = full_box(b"ispe", 0, struct.pack(">II", width, height))
    properties = box(b"iprp", box(b"ipco", size))

    def meta(start: int) -> bytes:
        places, at = [], start
        for item, data in ((1, picture), (2, exif), (3, xmp)):
            places.append(struct.pack(">HHHII", item, 0, 1, at, len(data)))
            at += len(data)
        location = full_box(b"iloc", 0, b"\x44\x00" + struct.pack(">H", 3) + b"".join(places))
        return full_box(b"meta", 0, info + location + properties)

    brands = box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")
    start = len(brands) + len(meta(0)) + 8
    return brands + meta(start) + box(b"mdat", picture + exif + xmp)
