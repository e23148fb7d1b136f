"""The local photo store: whole files or none, keys that cannot leave the directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.photo_store import LocalPhotoStore


async def test_a_photo_is_put_read_replaced_and_discarded_whole(tmp_path: Path) -> None:
    store = LocalPhotoStore(tmp_path / "photos")
    assert await store.get("a1") is None  # nothing yet, and no directory needed to say so
    await store.put("a1", b"first")
    await store.put("a1", b"first")  # a retried upload converges
    assert await store.get("a1") == b"first"
    assert [p.name for p in (tmp_path / "photos").iterdir()] == ["a1"]  # no temporary left
    assert (tmp_path / "photos" / "a1").stat().st_mode & 0o077 == 0  # the owner's alone
    await store.discard("a1")
    await store.discard("a1")  # discarding twice is not an error
    assert await store.get("a1") is None


@pytest.mark.parametrize("key", ["../escape", "a/b", "", ".hidden", "x" * 129])
async def test_a_key_that_is_not_a_photo_id_is_refused(tmp_path: Path, key: str) -> None:
    store = LocalPhotoStore(tmp_path)
    with pytest.raises(ValueError, match="not a photo key"):
        await store.put(key, b"data")
    assert list(tmp_path.iterdir()) == []
