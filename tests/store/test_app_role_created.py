"""`glowpath migrate --grant-to ROLE` on a database whose services' role does not exist yet (a
compose volume made before the role was): it creates the role, with the password from the
environment, as least privileged as a role made by hand; run again, it changes nothing, and an
existing role's password only when told to."""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from domain.store.app_role import RoleOutcome, RoleRefused
from domain.store.scram import scram_verifier
from server.db import migrate
from server.settings import Settings
from tests.migration_templates import LATEST, MigrationTemplates

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# What the services are granted on every table: no TRUNCATE, REFERENCES or TRIGGER.
SERVICES_PRIVILEGES = {"SELECT", "INSERT", "UPDATE", "DELETE"}


@dataclass(frozen=True)
class Fresh:
    """A database of its own, as the suite's administrator sees it, and a role not made yet."""

    url: str
    role: str
    admin: asyncpg.Connection

    def settings(self, password: str | None) -> Settings:
        return Settings(database_url=self.url, app_db_password=password)

    async def connect_as_role(self) -> asyncpg.Connection:
        parts = urlsplit(self.url)
        return await asyncpg.connect(
            urlunsplit(parts._replace(netloc=f"{self.role}@{parts.hostname}:{parts.port}"))
        )

    async def stored_password(self) -> str | None:
        stored: str | None = await self.admin.fetchval(
            "SELECT rolpassword FROM pg_authid WHERE rolname = $1", self.role
        )
        return stored


@pytest.fixture
async def fresh(database_url: str, migration_templates: MigrationTemplates) -> AsyncIterator[Fresh]:
    """A database at the latest migration (as a volume made by the release before the role
    was), and a role name nothing has."""
    role = f"glowpath_app_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(database_url)
    try:
        async with migration_templates.database_at(LATEST) as url:
            yield Fresh(url, role, admin)
        await admin.execute(f'DROP ROLE IF EXISTS "{role}"')
    finally:
        await admin.close()


def verifier_as_stored(password: str, stored: str | None) -> str:
    """The verifier of `password` with the salt and iterations of the stored one."""
    assert stored is not None and stored.startswith("SCRAM-SHA-256$"), stored
    iterations, salt = stored.split("$")[1].split(":")
    return scram_verifier(password, base64.b64decode(salt), int(iterations))


async def test_a_missing_role_is_created_least_privileged_with_the_configured_password(
    fresh: Fresh,
) -> None:
    # When migrate runs with a role that does not exist and a password in the environment
    outcome = await migrate(fresh.settings("from the environment"), fresh.role)

    # Then the role exists, logs in, and can do nothing to the server
    assert outcome is RoleOutcome.CREATED
    attributes = await fresh.admin.fetchrow(
        "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls"
        " FROM pg_roles WHERE rolname = $1",
        fresh.role,
    )
    assert tuple(attributes) == (True, False, False, False, False, False)
    stored = await fresh.stored_password()
    assert stored == verifier_as_stored("from the environment", stored)
    await _can_do_what_the_services_do_and_no_more(fresh)


async def test_running_it_again_changes_nothing_and_keeps_the_password(fresh: Fresh) -> None:
    # Given a role migrate created
    await migrate(fresh.settings("first"), fresh.role)
    first = await fresh.stored_password()

    # When migrate runs again, even with another password in the environment
    outcome = await migrate(fresh.settings("second"), fresh.role)

    # Then the role keeps the password the services log in with, and its grants
    assert outcome is RoleOutcome.KEPT
    assert await fresh.stored_password() == first
    await _can_do_what_the_services_do_and_no_more(fresh)

    # And only when told does it take the new one
    told = await migrate(fresh.settings("second"), fresh.role, set_password=True)
    assert told is RoleOutcome.PASSWORD_SET
    stored = await fresh.stored_password()
    assert stored == verifier_as_stored("second", stored)


async def test_a_missing_role_without_a_password_is_refused_naming_the_setting(
    fresh: Fresh,
) -> None:
    with pytest.raises(RoleRefused, match=r"no role .* set GLOWPATH_APP_DB_PASSWORD"):
        await migrate(fresh.settings(None), fresh.role)
    assert await fresh.stored_password() is None
    assert not await fresh.admin.fetchval(
        "SELECT count(*) FROM pg_roles WHERE rolname = $1", fresh.role
    )


@pytest.mark.parametrize(
    "password",
    [
        "plain ascii, with 'quotes' and \\ backslashes",
        "zażółć gęślą jaźń",
        "non\u00a0breaking",  # a non-ASCII space: a space
        "soft\u00adhyphen",  # mapped to nothing
        "\uff46\uff55\uff4c\uff4c",  # fullwidth "full": NFKC
        "control\u0085",  # prohibited: used as typed
    ],
)
async def test_the_verifier_is_the_one_postgresql_derives_from_the_password(
    database_url: str, password: str
) -> None:
    role = f"glowpath_scram_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute("SET password_encryption = 'scram-sha-256'")
        literal = password.replace("'", "''")
        await admin.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{literal}'")
        stored = await admin.fetchval("SELECT rolpassword FROM pg_authid WHERE rolname = $1", role)
        assert stored == verifier_as_stored(password, stored)
    finally:
        await admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        await admin.close()


async def _can_do_what_the_services_do_and_no_more(fresh: Fresh) -> None:
    owner = await asyncpg.connect(fresh.url)  # (the catalogue of that database)
    try:
        granted = await owner.fetch(
            "SELECT DISTINCT privilege_type FROM information_schema.role_table_grants"
            " WHERE grantee = $1",
            fresh.role,
        )
    finally:
        await owner.close()
    assert {row["privilege_type"] for row in granted} == SERVICES_PRIVILEGES
    connection = await fresh.connect_as_role()
    try:
        await connection.execute(
            "INSERT INTO clinic (id, name, timezone, stage_slas) VALUES ('c-1', 'Role test',"
            " 'Europe/Warsaw', '{}') ON CONFLICT (id) DO NOTHING"
        )
        await connection.execute("UPDATE clinic SET name = 'Renamed' WHERE id = 'c-1'")
        event = await connection.fetchval(
            "INSERT INTO journey_event (journey_id, seq, action, to_stage, actor_id, actor_role,"
            " at, summary) VALUES ($1, 1, 'nudge', 'TRIAGE', 'a', 'SUPERVISOR', $2, 'n')"
            " RETURNING id",
            f"journey-{secrets.token_hex(4)}",
            NOW,
        )
        assert await connection.fetchval(
            "SELECT id FROM journey_event WHERE id = $1 FOR UPDATE", event
        )
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="append-only"):
            await connection.execute("DELETE FROM journey_event WHERE id = $1", event)
        for attempt in (
            "SET session_replication_role = replica",
            "ALTER TABLE journey_event DISABLE TRIGGER ALL",
            "ALTER TABLE journey_event ADD COLUMN forged text",
            "TRUNCATE journey_event",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await connection.execute(attempt)
    finally:
        await connection.close()
