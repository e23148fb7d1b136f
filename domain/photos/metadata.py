"""What a photo says besides its pixels, taken out before it is stored.

Cameras and editors write the photographer's name, the device, the time and the GPS position
into the file; a photo link serves the stored bytes unchanged, so a TEACHING photo, meant to
name no one, would carry them all. The segments and chunks that hold such data are removed
byte for byte; the image data is copied as it came, never decoded or encoded again, so a
clinical photo keeps its pixels exactly. Only the EXIF orientation survives, rewritten on its
own (`domain.photos.orientation`), so the photo still shows the right way up.

JPEG keeps only what decoding needs: the frame, tables and scans, APP0 JFIF (its thumbnail
dropped), APP2 ICC profile and APP14 Adobe (colour); every other APPn (APP1 Exif with its
thumbnail and XMP, APP13 IPTC, APP2 multi-picture index), comments, stray bytes and anything
after the end (the extra images phones append) go. PNG, likewise, keeps only the chunks that
say how to draw it (the frame, palette, transparency and colour); its text, time, eXIf, any
private or unknown chunk (an editor's or an app's own, which may carry anything) and anything
after IEND go. The input must have passed `domain.photos.sniff`.
"""

from __future__ import annotations

import struct
import zlib

from domain.photos.orientation import orientation_only, read_orientation

_APP0, _APP1, _APP2, _APP14, _COM, _SCAN, _END = 0xE0, 0xE1, 0xE2, 0xEE, 0xFE, 0xDA, 0xD9
_KEPT_APPS = {_APP0: b"JFIF\x00", _APP2: b"ICC_PROFILE\x00", _APP14: b"Adobe"}
_EXIF = b"Exif\x00\x00"
# Kept from a PNG: the critical chunks, and the ancillary ones a viewer needs to show the
# pixels' colours and size right (PNG 3rd edition). Everything else is dropped, unknown kinds
# included: a chunk's name does not tell what it carries.
_PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"bKGD", b"cHRM", b"gAMA", b"iCCP", b"sBIT"}
    | {b"sRGB", b"cICP", b"mDCV", b"cLLI", b"pHYs", b"hIST"}
)
_PNG_SIGNATURE_SIZE = 8


class UnreadableImage(ValueError):
    """The image's segments cannot be walked to its end, so what it carries cannot be told."""


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def _kept_segment(marker: int, payload: bytes) -> bytes | None:
    """The segment as stored, or None when it is metadata."""
    if marker == _APP1 and payload.startswith(_EXIF):
        orientation = read_orientation(payload[len(_EXIF) :])
        return _segment(marker, _EXIF + orientation_only(orientation)) if orientation else None
    if 0xE0 <= marker <= 0xEF:
        if not payload.startswith(_KEPT_APPS.get(marker, b"-")):
            return None
        if marker == _APP0 and len(payload) >= 14:  # JFIF: no thumbnail (its size made 0x0)
            return _segment(marker, payload[:12] + b"\x00\x00")
    if marker == _COM:
        return None
    return _segment(marker, payload)


def _scan_end(data: bytes, at: int) -> int:
    """Where the entropy-coded data from `at` ends: the next marker other than a stuffed
    0xFF00 or a restart marker."""
    while True:
        at = data.find(b"\xff", at)
        if at == -1 or at + 1 >= len(data):
            raise UnreadableImage("the JPEG's scan has no end")
        follower = data[at + 1]
        if follower == 0x00 or 0xD0 <= follower <= 0xD7:
            at += 2
        elif follower == 0xFF:  # fill bytes before the marker
            at += 1
        else:
            return at


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG with only its image segments, up to and including its EOI."""
    kept, at = [data[:2]], 2
    while True:
        at = data.find(b"\xff", at)  # stray bytes and fill bytes before a marker are dropped
        while at != -1 and at + 1 < len(data) and data[at + 1] == 0xFF:
            at += 1
        if at == -1 or at + 1 >= len(data):
            raise UnreadableImage("the JPEG has no end marker")
        marker = data[at + 1]
        if marker == _END:
            kept.append(b"\xff\xd9")
            return b"".join(kept)
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a segment
            at += 2
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if length < 2 or at + 2 + length > len(data):
            raise UnreadableImage("a JPEG segment runs past the file")
        segment = _kept_segment(marker, data[at + 4 : at + 2 + length])
        if segment is not None:
            kept.append(segment)
        at += 2 + length
        if marker == _SCAN:
            scan_end = _scan_end(data, at)
            kept.append(data[at:scan_end])
            at = scan_end


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def strip_png(data: bytes) -> bytes:
    """The PNG's drawing chunks only (an orientation kept in a new eXIf), up to and including
    IEND."""
    kept, at = [data[:_PNG_SIGNATURE_SIZE]], _PNG_SIGNATURE_SIZE
    while at + 12 <= len(data):
        length, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        end = at + 12 + length
        if kind == b"eXIf":
            # the TIFF alone, as the chunk's definition says, or after "Exif\0\0" as some write
            orientation = read_orientation(data[at + 8 : end - 4].removeprefix(_EXIF))
            if orientation:
                kept.append(_chunk(kind, orientation_only(orientation)))
        elif kind in _PNG_KEPT:
            kept.append(data[at:end])
        at = end
        if kind == b"IEND":
            return b"".join(kept)
    raise UnreadableImage("the PNG has no IEND chunk")
