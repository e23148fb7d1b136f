"""The parts of a HEIC's `meta` box the upload reads: each image's size (its `ispe` property)
and where its metadata items (`Exif`, and `mime` items, which hold XMP) lie in the file.

Metadata is blanked in place rather than cut out: every item's bytes are addressed by file
offsets (`iloc`), so removing bytes would mean rewriting them all. The items' data is
overwritten with zeros and their type renamed `free`, an item type no reader knows and so
passes over; the file keeps its size and layout, and the image items are untouched. HEIC
keeps its orientation in the `irot` and `imir` properties, not in EXIF, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterator

from domain.photos.metadata import UnreadableImage

_METADATA_ITEMS = frozenset({b"Exif", b"mime"})
_BLANKED_TYPE = b"free"


def _number(data: bytes | bytearray, at: int, size: int) -> int:
    if at + size > len(data):
        raise UnreadableImage("a HEIC box runs past the file")
    return int.from_bytes(data[at : at + size], "big")


def _boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box between `start` and `end`."""
    at = start
    while at + 8 <= end:
        size, kind, header = _number(data, at, 4), bytes(data[at + 4 : at + 8]), 8
        if size == 1:
            size, header = _number(data, at + 8, 8), 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise UnreadableImage("a HEIC box runs past its parent")
        yield kind, at + header, at + size
        at += size


def _child(data: bytes | bytearray, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((s, e) for k, s, e in _boxes(data, start, end) if k == kind), None)


def _meta(data: bytes | bytearray) -> tuple[int, int]:
    found = _child(data, 0, len(data), b"meta")
    if found is None:
        raise UnreadableImage("the HEIC has no meta box")
    return found[0] + 4, found[1]  # a full box: version and flags first


def image_sizes(data: bytes) -> list[tuple[int, int]]:
    """The (width, height) every `ispe` property states."""
    start, end = _meta(data)
    properties = _child(data, start, end, b"iprp")
    container = properties and _child(data, *properties, b"ipco")
    if not container:
        return []
    return [
        (_number(data, s + 4, 4), _number(data, s + 8, 4))
        for kind, s, _ in _boxes(data, *container)
        if kind == b"ispe"
    ]


def _metadata_items(data: bytearray, start: int, end: int) -> set[int]:
    """The ids of the metadata items, each renamed in place."""
    info = _child(data, start, end, b"iinf")
    if info is None:
        return set()
    version = data[info[0]]
    first = info[0] + 4 + (2 if version == 0 else 4)
    ids = set()
    for kind, s, _ in _boxes(data, first, info[1]):
        entry_version = data[s] if s < len(data) else 0
        if kind != b"infe" or entry_version < 2:
            continue  # versions 0 and 1 name no item type; HEIC writes version 2 or 3
        id_size = 2 if entry_version == 2 else 4
        type_at = s + 4 + id_size + 2
        if bytes(data[type_at : type_at + 4]) in _METADATA_ITEMS:
            ids.add(_number(data, s + 4, id_size))
            data[type_at : type_at + 4] = _BLANKED_TYPE
    return ids


def _blank_extents(data: bytearray, start: int, end: int, items: set[int]) -> None:
    """Zeros over every extent `iloc` gives the items."""
    location = _child(data, start, end, b"iloc")
    if location is None:
        raise UnreadableImage("the HEIC's metadata items have no location")
    at, version = location[0], data[location[0]]
    sizes = _number(data, at + 4, 2)
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 15
    base_size, index_size = (sizes >> 4) & 15, (sizes & 15) if version in (1, 2) else 0
    id_size = 2 if version < 2 else 4
    count, at = _number(data, at + 6, id_size), at + 6 + id_size
    in_box = _child(data, start, end, b"idat")
    for _ in range(count):
        item, at = _number(data, at, id_size), at + id_size
        method = 0
        if version in (1, 2):
            method, at = _number(data, at, 2) & 15, at + 2
        reference, base = _number(data, at, 2), _number(data, at + 2, base_size)
        extents, at = _number(data, at + 2 + base_size, 2), at + 4 + base_size
        for _ in range(extents):
            at += index_size
            offset, length = (
                _number(data, at, offset_size),
                _number(data, at + offset_size, length_size),
            )
            at += offset_size + length_size
            if item not in items or reference != 0:
                continue
            origin = in_box[0] if method == 1 and in_box else 0
            first = origin + base + offset
            if method not in (0, 1) or length == 0 or first + length > len(data):
                raise UnreadableImage("a HEIC metadata item's bytes cannot be found")
            data[first : first + length] = bytes(length)


def blank_heif_metadata(data: bytes) -> bytes:
    """The HEIC with its Exif and XMP items' bytes zeroed and their types renamed."""
    copy = bytearray(data)
    start, end = _meta(copy)
    items = _metadata_items(copy, start, end)
    if items:
        _blank_extents(copy, start, end, items)
    return bytes(copy)
