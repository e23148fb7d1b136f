"""The role the services run as on PostgreSQL (`glowpath migrate --grant-to ROLE`): it can do
what they do, and the append-only triggers hold it (a superuser skips them, the tables' owner
can disable them: both are refused as that role)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from tortoise import connections

from domain.store.app_role import RoleRefused, exposure, grant_to

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def granted(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection as a fresh role that `migrate --grant-to` granted."""
    role, admin = f"glowpath_app_{uuid.uuid4().hex[:8]}", connections.get("default")
    await admin.execute_script(f'CREATE ROLE "{role}" LOGIN')
    try:
        await grant_to(admin, role)
        parts = urlsplit(database_url)
        as_role = parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}")
        connection = await asyncpg.connect(urlunsplit(as_role))
        try:
            yield connection
        finally:
            await connection.close()
    finally:
        await admin.execute_script(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


async def test_the_granted_role_writes_what_the_services_write(
    granted: asyncpg.Connection,
) -> None:
    clinic = f"clinic-{uuid.uuid4().hex[:8]}"
    await granted.execute(
        "INSERT INTO clinic (id, name, timezone, stage_slas) VALUES ($1, 'Role test',"
        " 'Europe/Warsaw', '{}')",
        clinic,
    )
    await granted.execute("UPDATE clinic SET name = 'Renamed' WHERE id = $1", clinic)
    event = await granted.fetchval(
        "INSERT INTO journey_event (journey_id, seq, action, to_stage, actor_id, actor_role, at,"
        " summary) VALUES ($1, 1, 'nudge', 'TRIAGE', 'a', 'SUPERVISOR', $2, 'n') RETURNING id",
        f"journey-{uuid.uuid4()}",
        NOW,
    )
    # (a row lock, as the amendment bounds and the refunds take one, needs the UPDATE right)
    assert await granted.fetchval("SELECT id FROM journey_event WHERE id = $1 FOR UPDATE", event)


async def test_the_granted_role_cannot_get_round_the_append_only_triggers(
    granted: asyncpg.Connection,
) -> None:
    event = await granted.fetchval(
        "INSERT INTO journey_event (journey_id, seq, action, to_stage, actor_id, actor_role, at,"
        " summary) VALUES ($1, 1, 'nudge', 'TRIAGE', 'a', 'SUPERVISOR', $2, 'n') RETURNING id",
        f"journey-{uuid.uuid4()}",
        NOW,
    )
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="append-only"):
        await granted.execute("UPDATE journey_event SET summary = 'forged' WHERE id = $1", event)
    for attempt in (
        "SET session_replication_role = replica",  # a superuser's way past every trigger
        "ALTER TABLE journey_event DISABLE TRIGGER ALL",  # the owner's
        "TRUNCATE journey_event",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await granted.execute(attempt)
    summary = await granted.fetchval("SELECT summary FROM journey_event WHERE id = $1", event)
    assert summary == "n"


async def test_a_superuser_is_not_granted_and_is_named_at_start(database_url: str) -> None:
    admin = connections.get("default")  # (the suite's own role: a superuser)
    assert "superuser" in (await exposure(admin) or "")
    with pytest.raises(RoleRefused, match="superuser"):
        await grant_to(admin, "postgres")
    with pytest.raises(RoleRefused, match="not a plain role name"):
        await grant_to(admin, 'x"; DROP TABLE payment; --')
