"""Small, whole images of each type a photo may be, built here so every test sends a real one
(the upload checks a file's structure, not its first bytes)."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

from PIL import Image


def png(extra: bytes = b"") -> bytes:
    """A 1x1 PNG, valid to any reader (plus `extra` bytes in a private chunk)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    private = chunk(b"teXt", extra) if extra else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + private
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
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
    return brands + box(b"meta", b"\x00" * 12) + box(b"mdat", b"\x00" * 16)


JPEG = jpeg()
