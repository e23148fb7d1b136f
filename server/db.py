"""The read-model database as the server's commands see it."""

from __future__ import annotations

import logging

from tortoise import connections

from domain.store import app_role
from domain.store.db import close_db, init_db, migrated_connection
from server.settings import Settings, env_name

log = logging.getLogger(__name__)


async def migrate(
    settings: Settings, grant_to: str | None = None, *, set_password: bool = False
) -> app_role.RoleOutcome | None:
    """Brings the schema up to date; then, given a role, creates it when it is missing (its
    password from GLOWPATH_APP_DB_PASSWORD; an existing role's is changed only with
    `set_password`) and grants it what the services need (`domain.store.app_role`: refused for
    a role that could get round the append-only triggers)."""
    async with migrated_connection(settings.database_url, settings.database_tls) as connection:
        if not grant_to:
            return None
        try:
            outcome = await app_role.ensure_role(
                connection, grant_to, settings.app_db_password, set_password=set_password
            )
        except app_role.NoPassword as missing:
            raise app_role.RoleRefused(f"{missing}: set {env_name('app_db_password')}") from None
        await app_role.grant_to(connection, grant_to)
        log.info("read model: role %s %s, granted", grant_to, outcome.value)
        return outcome


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
