"""The read-model database as the server's commands see it."""

from __future__ import annotations

from domain.store.db import apply_migrations, close_db, init_db
from server.settings import Settings


async def migrate(settings: Settings) -> None:
    await apply_migrations(settings.database_url, settings.database_tls)


async def connect(settings: Settings) -> None:
    await init_db(settings.database_url, settings.database_tls)


__all__ = ["close_db", "connect", "migrate"]
