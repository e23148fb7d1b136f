"""Where photo bytes live: an interface, so the clinic's server can keep them on its own disk
and a larger installation in an object store, with the same rules above it.

Keys are photo ids (opaque, never a client's data). `put` must be atomic (a reader sees all of
the bytes or none) and idempotent for the same key and bytes, so a retried upload converges;
`discard` removes what a failed upload wrote, so nothing half-written stays behind. Nothing
else is ever removed: a photo, once its row exists, is part of the clinical record.
"""

from __future__ import annotations

from typing import Protocol


class PhotoStoreError(Exception):
    """The store cannot be reached or refuses the request. The message names the cause for the
    operator (the setting to check), never a photo's bytes or a client's data."""


class PhotoStore(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None when there are none."""
        ...

    async def discard(self, key: str) -> None:
        """Removes the bytes under `key`; nothing stored there is not an error."""
        ...

    async def check(self) -> None:
        """Raises `PhotoStoreError` when photos cannot be stored now (the readiness probe)."""
        ...
