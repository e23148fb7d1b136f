"""A photo's EXIF orientation, the one EXIF tag kept when the rest is stripped.

Phone cameras store the sensor's pixels as they came and say in the EXIF `Orientation` tag how
to turn them for display; dropping the tag would show a portrait photo lying on its side. So
the stripped image carries a new EXIF block that holds that tag alone (a TIFF header and one
directory entry, 26 bytes), and nothing else of the camera's.
"""

from __future__ import annotations

import struct
from typing import Literal

_ORIENTATION_TAG, _SHORT = 0x0112, 3
_ORDERS: dict[bytes, Literal["little", "big"]] = {b"II*\x00": "little", b"MM\x00*": "big"}


def read_orientation(tiff: bytes) -> int | None:
    """The `Orientation` (2 to 8) of the first directory of a TIFF-structured EXIF block, or
    None when it is absent, 1 (as stored) or unreadable."""
    order = _ORDERS.get(tiff[:4])
    if order is None or len(tiff) < 8:
        return None
    directory = int.from_bytes(tiff[4:8], order)
    if directory + 2 > len(tiff):
        return None
    count = int.from_bytes(tiff[directory : directory + 2], order)
    for entry in range(directory + 2, directory + 2 + 12 * count, 12):
        if entry + 12 > len(tiff):
            return None
        tag = int.from_bytes(tiff[entry : entry + 2], order)
        kind = int.from_bytes(tiff[entry + 2 : entry + 4], order)
        if tag == _ORIENTATION_TAG and kind == _SHORT:
            value = int.from_bytes(tiff[entry + 8 : entry + 10], order)
            return value if 2 <= value <= 8 else None
    return None


def orientation_only(value: int) -> bytes:
    """A TIFF-structured EXIF block holding `Orientation` = `value` and nothing else."""
    entry = struct.pack(">HHIHH", _ORIENTATION_TAG, _SHORT, 1, value, 0)
    return b"MM\x00*" + struct.pack(">IH", 8, 1) + entry + struct.pack(">I", 0)
