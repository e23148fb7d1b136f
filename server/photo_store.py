"""Photos on the local disk: one file per photo id, written atomically.

Each photo is written to a temporary file in the same directory, flushed to disk, then renamed
over its final name: a reader (or a crash) sees the whole image or none. Files are readable by
the owner only. The S3-compatible store (`server.s3_photo_store`) implements the same
`domain.photos.storage.PhotoStore` protocol; `GLOWPATH_PHOTO_STORE` chooses between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from pathlib import Path

from domain.photos.storage import PhotoStoreError

_KEY = re.compile(r"[A-Za-z0-9_\-]{1,128}")


class LocalPhotoStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):  # keys are photo ids: never a path of the caller's choice
            raise ValueError(f"not a photo key: {key!r}")
        return self.directory / key

    def _put(self, key: str, data: bytes) -> None:
        final = self._path(key)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as sink:
                sink.write(data)
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def _get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def _discard(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def _check(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise PhotoStoreError(f"cannot create the photo directory: {exc.strerror}") from None
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise PhotoStoreError("the photo directory is not writable by this process")

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._get, key)

    async def discard(self, key: str) -> None:
        await asyncio.to_thread(self._discard, key)

    async def check(self) -> None:
        await asyncio.to_thread(self._check)
