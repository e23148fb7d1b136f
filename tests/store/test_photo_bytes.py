"""A photo's bytes are never removed from under the row that names them.

Attempts of one upload request share the photo's id (derived from the idempotency key): an
attempt that fails after another one's row was written must leave the bytes that row names.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.store.photos import Photo
from schema.photos.upload import store_photo
from server.photo_store import LocalPhotoStore
from tests.store.money_rows import client, clinic

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
BYTES = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


async def _values() -> dict[str, Any]:
    clinic_id = await clinic()
    return {
        "clinic_id": clinic_id,
        "client_id": await client(clinic_id, NOW),
        "journey_id": "journey-1",
        "stage": "BEFORE",
        "body_area": "cheek",
        "content_type": "image/png",
        "size_bytes": len(BYTES),
        "sha256": "0" * 64,
        "taken_by": "nurse-1",
        "taken_by_role": "NURSE",
        "uploaded_at": NOW,
    }


async def test_a_failed_attempt_of_one_request_leaves_the_bytes_its_twin_stored(
    tmp_path: Path,
) -> None:
    # Given a photo stored by one attempt of a keyed request
    store = LocalPhotoStore(tmp_path)
    values = await _values()
    photo_id = str(uuid.uuid4())
    row = await store_photo(store, photo_id, BYTES, shared=True, **values)
    # When another attempt of it writes the same bytes and then fails (a value the column
    # refuses here; a request cancelled at that point fails the same way)
    with pytest.raises(Exception):  # noqa: B017 - any failure but the row's uniqueness
        await store_photo(store, photo_id, BYTES, shared=True, **{**values, "size_bytes": "x"})
    # Then the first attempt's row still has its bytes
    assert await Photo.exists(id=row.id)
    assert await store.get(photo_id) == BYTES


@pytest.mark.parametrize("shared", [False, True])
async def test_a_failed_attempt_removes_the_bytes_no_row_names(
    tmp_path: Path, shared: bool
) -> None:
    # Its own id, or a keyed upload's shared one whose only attempt failed: no clinical photo
    # is left that no row names
    store = LocalPhotoStore(tmp_path)
    values = {**(await _values()), "size_bytes": "x"}
    photo_id = str(uuid.uuid4())
    with pytest.raises(Exception):  # noqa: B017
        await store_photo(store, photo_id, BYTES, shared=shared, **values)
    assert not await Photo.exists(id=photo_id)
    assert await store.get(photo_id) is None
