"""Tortoise set-up shared by the API and the worker processes."""

from __future__ import annotations

import os
from typing import Any

from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from domain.store.compat import busy_timeout_pragmas  # fixes Tortoise's SQLite client on import

MODELS_MODULE = "domain.store.models"
TRIAGE_MODELS_MODULE = "domain.store.triage_models"
AUDIT_MODELS_MODULE = "domain.store.audit_models"
MIGRATIONS_MODULE = "domain.store.migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": busy_timeout_pragmas(database_url)},
        "apps": {
            "models": {
                "models": [MODELS_MODULE, TRIAGE_MODELS_MODULE, AUDIT_MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(database_url: str) -> None:
    # The global fallback lets every task use the models: aiohttp handlers and Temporal activity
    # tasks are not all descendants of the task that called init.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def apply_migrations(database_url: str) -> None:
    """Brings the database schema to the latest migration; a no-op when it is current."""
    config = tortoise_config(database_url)
    async with TortoiseContext() as context:
        await context.init(config=config)
        await migrate(config=config)


# For `tortoise -c domain.store.db.TORTOISE_ORM makemigrations` when the models change.
TORTOISE_ORM = tortoise_config(os.environ.get("GLOWPATH_DATABASE_URL", "sqlite://:memory:"))
