"""An upload's image type, told from its first bytes: the client's content type is never trusted.

JPEG starts with the SOI marker and another marker (FF D8 FF); PNG with its 8-byte signature;
HEIC is an ISO base media file whose `ftyp` box names a HEIF brand.
"""

from __future__ import annotations

from enum import Enum


class ImageType(str, Enum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    HEIC = "image/heic"


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def sniff_image(data: bytes) -> ImageType | None:
    """The type the bytes are, or None when they are none of JPEG, PNG and HEIC."""
    if data.startswith(_PNG) and len(data) > len(_PNG):
        return ImageType.PNG
    if data.startswith(_JPEG) and len(data) > len(_JPEG):
        return ImageType.JPEG
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return ImageType.HEIC
    return None
