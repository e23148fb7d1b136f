"""Tortoise set-up shared by the API and the worker processes."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

MODELS_MODULE = "domain.store.models"
MIGRATIONS_MODULE = "domain.store.migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(database_url: str) -> None:
    await Tortoise.init(config=tortoise_config(database_url))


async def close_db() -> None:
    await Tortoise.close_connections()
