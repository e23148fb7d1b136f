"""What becomes of an uploaded image before it is stored: its stated size checked, then its
metadata taken out (`domain.photos.metadata`, `domain.photos.heif`). The stored photo, its size
and its hash are those of the stripped bytes."""

from __future__ import annotations

from domain.photos.dimensions import size_refusal
from domain.photos.heif import blank_heif_metadata
from domain.photos.metadata import UnreadableImage, strip_jpeg, strip_png
from domain.photos.sniff import ImageType

_STRIPPERS = {
    ImageType.JPEG: strip_jpeg,
    ImageType.PNG: strip_png,
    ImageType.HEIC: blank_heif_metadata,
}


def prepared_image(data: bytes, image_type: ImageType) -> tuple[bytes, str | None]:
    """The bytes to store, or why the image is refused (empty bytes then)."""
    refusal = size_refusal(data, image_type)
    if refusal is not None:
        return b"", refusal
    try:
        return _STRIPPERS[image_type](data), None
    except UnreadableImage as unreadable:
        return b"", f"{unreadable}, so its metadata cannot be removed"
