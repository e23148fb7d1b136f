"""An upload's image type, told from its bytes: the client's content type is never trusted.

The first bytes name the type (JPEG starts with the SOI marker and another marker, FF D8 FF; PNG
with its 8-byte signature; HEIC is an ISO base media file whose `ftyp` box names a HEIF brand),
and the file must then be built as that type is: a PNG's chunks with their checksums from IHDR
to IEND with image data between, a JPEG's segments up to a frame and a scan that an EOI ends,
a HEIC's boxes tiling the file with its `meta`. Opening bytes alone let the PNG signature
followed by a web page, or four bytes FF D8 FF 00, be kept as photos. Nothing is decoded: the
walk reads lengths and markers only, so a crafted file cannot make it expand anything. Bytes
after a JPEG's or a PNG's end are allowed (some phone cameras append their own data after a
JPEG), and so are stray bytes between a JPEG's segments, which decoders pass over.
"""

from __future__ import annotations

import zlib
from enum import Enum


class ImageType(str, Enum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    HEIC = "image/heic"


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
# Start-of-frame markers (C4, C8 and CC are other tables, not frames).
JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_SCAN, _JPEG_END = 0xDA, b"\xff\xd9"


def _number(data: bytes, at: int, size: int) -> int:
    return int.from_bytes(data[at : at + size], "big")


def _png_is_whole(data: bytes) -> bool:
    """IHDR first, image data, IEND; every chunk inside the file with its CRC right."""
    at, kinds = len(_PNG), []
    while at + 12 <= len(data):
        length, kind = _number(data, at, 4), data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data) or zlib.crc32(data[at + 4 : end - 4]) != _number(data, end - 4, 4):
            return False
        kinds.append(kind)
        at = end
        if kind == b"IEND":
            break
    return kinds[:1] == [b"IHDR"] and b"IDAT" in kinds and kinds[-1] == b"IEND"


def _jpeg_is_whole(data: bytes) -> bool:
    """Segments of stated lengths within the file up to a frame and then a scan, whose data an
    EOI marker ends."""
    at, framed = 2, False
    while at + 4 <= len(data):
        if data[at] != 0xFF:  # stray bytes before a marker, which decoders pass over
            at = data.find(b"\xff", at)
            if at == -1:
                return False
            continue
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == 0x00 or 0xD0 <= marker <= 0xD9:  # no segment: not where a header goes
            return False
        length = _number(data, at + 2, 2)
        if length < 2 or at + 2 + length > len(data):
            return False
        framed = framed or marker in JPEG_FRAMES
        if marker == _JPEG_SCAN:
            return framed and data.find(_JPEG_END, at + 2 + length) != -1
        at += 2 + length
    return False


def _heif_is_whole(data: bytes) -> bool:
    """Boxes of stated sizes tiling the file, `ftyp` first, a `meta` among them."""
    at, kinds = 0, []
    while at < len(data):
        if at + 8 > len(data):
            return False
        size, kind, header = _number(data, at, 4), data[at + 4 : at + 8], 8
        if size == 1:  # a 64-bit size follows the type
            size, header = _number(data, at + 8, 8), 16
        elif size == 0:  # to the end of the file
            size = len(data) - at
        if size < header or at + size > len(data) or not all(32 <= b < 127 for b in kind):
            return False
        kinds.append(kind)
        at += size
    return kinds[:1] == [b"ftyp"] and b"meta" in kinds


def sniff_image(data: bytes) -> ImageType | None:
    """The type the bytes are, or None when they are not a whole JPEG, PNG or HEIC."""
    if data.startswith(_PNG):
        return ImageType.PNG if _png_is_whole(data) else None
    if data.startswith(_JPEG):
        return ImageType.JPEG if _jpeg_is_whole(data) else None
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return ImageType.HEIC if _heif_is_whole(data) else None
    return None
