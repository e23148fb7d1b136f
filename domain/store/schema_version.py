"""Whether the read model's schema is the one this release's code reads and writes.

`glowpath migrate` brings the schema up to date; the API and the worker do not. Started on a
database that lacks a migration of their release (a new image rolled out before its migration
ran), they answered ready and then failed the requests and activities that touch what the
migration adds. So they check at start and refuse, naming what is missing. A database ahead of
the code (a release rolled back after its migration ran) is let through with a warning: the
project's migrations add, so the older code still finds what it reads.
"""

from __future__ import annotations

import logging
import pkgutil
from collections.abc import Iterable
from importlib import import_module

from tortoise import connections

from domain.store.sql import is_postgres

log = logging.getLogger(__name__)

APP_LABEL = "models"
MIGRATIONS_MODULE = "domain.store.migrations"  # (domain.store.db names it for Tortoise)
RECORDS = "tortoise_migrations"  # where Tortoise records each migration it applied


class SchemaBehind(Exception):
    """The database lacks migrations of this release."""


def known_migrations() -> list[str]:
    """This release's migrations, in order: the modules Tortoise's loader takes for them."""
    package = import_module(MIGRATIONS_MODULE)
    return sorted(
        name
        for _, name, is_package in pkgutil.iter_modules(package.__path__)
        if not is_package and name[0] not in "_~"
    )


async def applied_migrations() -> set[str]:
    """The migrations recorded as applied in the database of the default connection."""
    db = connections.get("default")
    if is_postgres(db):
        exists = f"SELECT to_regclass('{RECORDS}') IS NOT NULL AS found"
    else:
        exists = f"SELECT count(*) > 0 AS found FROM sqlite_master WHERE name = '{RECORDS}'"
    (found,) = await db.execute_query_dict(exists)
    if not found["found"]:
        return set()
    rows = await db.execute_query_dict(f"SELECT name FROM {RECORDS} WHERE app = '{APP_LABEL}'")
    return {row["name"] for row in rows}


def behind_message(known: Iterable[str], applied: set[str]) -> str | None:
    """Why the code cannot run on a database with `applied`; None when it lacks nothing."""
    missing = [name for name in known if name not in applied]
    if not missing:
        return None
    named = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return (
        f"the read model lacks {len(missing)} migration(s) of this release ({named}): "
        "run `glowpath migrate` first"
    )


async def require_current_schema() -> None:
    """Raises SchemaBehind when the database lacks a migration of this release; warns once
    when it holds migrations this release does not know."""
    known = known_migrations()
    applied = await applied_migrations()
    problem = behind_message(known, applied)
    if problem is not None:
        raise SchemaBehind(problem)
    newer = sorted(applied - set(known))
    if newer:
        log.warning(
            "read model: migrated by a later release (%s); this release runs on it unchanged",
            ", ".join(newer),
        )
