"""An image's width and height, read from its header, and the bounds they must keep.

A header can claim any size: a PNG of a few hundred bytes may say 100,000 x 100,000 pixels, and
a viewer that believes it allocates tens of gigabytes and crashes (a pixel bomb). Nothing here
decodes the image; the size is read where each type states it (PNG IHDR, the JPEG frame header,
each HEIC `ispe`) and refused when empty or larger than any camera takes.
"""

from __future__ import annotations

from domain.photos import heif
from domain.photos.metadata import UnreadableImage
from domain.photos.sniff import JPEG_FRAMES, ImageType

MAX_SIDE = 16_384  # pixels on either side
MAX_PIXELS = 100_000_000  # 100 megapixels; a phone's largest photo is under a quarter of it
_IHDR_SIZE = 13


def _png_size(data: bytes) -> tuple[int, int]:
    if int.from_bytes(data[8:12], "big") != _IHDR_SIZE:
        raise UnreadableImage("the PNG's IHDR chunk is not 13 bytes")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """The first frame header's size: height at 3, width at 5 of its payload."""
    at = 2
    while (at := data.find(b"\xff", at)) != -1 and at + 9 <= len(data):
        marker = data[at + 1]
        if marker in (0xFF, 0x01) or 0xD0 <= marker <= 0xD8:
            at += 1 if marker == 0xFF else 2
            continue
        if marker in JPEG_FRAMES:
            return int.from_bytes(data[at + 7 : at + 9], "big"), int.from_bytes(
                data[at + 5 : at + 7], "big"
            )
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    raise UnreadableImage("the JPEG has no frame header")


def image_sizes(data: bytes, image_type: ImageType) -> list[tuple[int, int]]:
    """(width, height) of the image, or of each image a HEIC holds (a tiled photo's tiles and
    the whole), as the header states them."""
    if image_type is ImageType.PNG:
        return [_png_size(data)]
    if image_type is ImageType.JPEG:
        return [_jpeg_size(data)]
    sizes = heif.image_sizes(data)
    if not sizes:
        raise UnreadableImage("the HEIC states no image size (ispe)")
    return sizes


def size_refusal(data: bytes, image_type: ImageType) -> str | None:
    """Why the image's stated size is refused, or None when it is within the bounds."""
    try:
        sizes = image_sizes(data, image_type)
    except UnreadableImage as unreadable:
        return str(unreadable)
    for width, height in sizes:
        if width == 0 or height == 0:
            return f"the image states a size of {width:,} x {height:,} pixels: it has none"
        if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
            return (
                f"the image is {width:,} x {height:,} pixels; at most {MAX_SIDE:,} on a side"
                f" and {MAX_PIXELS // 1_000_000} megapixels are taken"
            )
    return None
