"""The read-model database as the server's commands see it."""

from __future__ import annotations

import logging

from tortoise import connections

from domain.store import app_role
from domain.store.db import close_db, init_db, migrated_connection
from server.settings import Settings

log = logging.getLogger(__name__)


async def migrate(settings: Settings, grant_to: str | None = None) -> None:
    """Brings the schema up to date; then, given a role, grants it what the services need
    (`domain.store.app_role`: refused for a role that could get round the append-only
    triggers)."""
    async with migrated_connection(settings.database_url, settings.database_tls) as connection:
        if grant_to:
            await app_role.grant_to(connection, grant_to)


async def connect(settings: Settings) -> None:
    await init_db(settings.database_url, settings.database_tls)
    problem = await app_role.exposure(connections.get("default"))
    if problem:
        log.warning(
            "read model: %s; run the API and the worker as a role granted by"
            " `glowpath migrate --grant-to ROLE`",
            problem,
        )


__all__ = ["close_db", "connect", "migrate"]
