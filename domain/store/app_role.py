"""The PostgreSQL role the API and the worker should run as: one the append-only triggers hold.

The triggers (`domain.store.append_only`) refuse UPDATE and DELETE of clinical rows, but a
superuser skips every trigger (`SET session_replication_role = replica`) and the tables' owner
can disable them (`ALTER TABLE ... DISABLE TRIGGER`). So the tables belong to the role that
migrates them, and the services run as another: neither a superuser nor a member of the owner's
role, granted the statements they use on every table (UPDATE and DELETE included, which the
triggers refuse on append-only tables; `SELECT ... FOR UPDATE` needs the UPDATE privilege) and
nothing else (no TRUNCATE, no TRIGGER). `glowpath migrate --grant-to ROLE` creates the role
when it is missing (`ensure_role`) and grants them, again after every migration, so that new
tables are covered.
"""

from __future__ import annotations

import re
from enum import Enum

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import OperationalError

from domain.store.scram import scram_verifier

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# A table every migration leaves in place: whose owner the read model's tables have.
_A_TABLE = "journey_event"


class RoleRefused(Exception):
    """The role cannot be the services' role; the message says why, for the operator."""


class NoPassword(RoleRefused):
    """The role is to be created, or its password set, and no password was given."""


class RoleOutcome(str, Enum):
    CREATED = "created"
    PASSWORD_SET = "password set"
    KEPT = "kept its password"  # it existed


def grant_statements(role: str) -> list[str]:
    _check_name(role)
    return [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM "{role}"',
        f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    ]


def _check_name(role: str) -> None:
    if not _ROLE_NAME.fullmatch(role):
        raise RoleRefused(f"not a plain role name (lower-case letters, digits, _): {role!r}")


async def ensure_role(
    connection: BaseDBAsyncClient, role: str, password: str | None, *, set_password: bool = False
) -> RoleOutcome:
    """Creates `role` as the compose file's database volume once did (it logs in, and is no
    superuser, creates no databases or roles) when it is missing. An existing role keeps its
    password unless `set_password`: the services already log in with it. The password reaches
    the server as a SCRAM verifier only (`domain.store.scram`)."""
    _check_name(role)
    if connection.capabilities.dialect != "postgres":
        raise RoleRefused("roles are PostgreSQL's: SQLite has none to create")
    if not await _exists(connection, role):
        if not password:
            raise NoPassword(f"no role {role} yet, and no password to create it with")
        await _may_create_roles(connection, role)
        try:
            await connection.execute_script(
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
                f" PASSWORD '{scram_verifier(password)}'"
            )
            return RoleOutcome.CREATED
        except OperationalError:
            if not await _exists(connection, role):  # else another migrate created it first
                raise
    if not set_password:
        return RoleOutcome.KEPT
    if not password:
        raise NoPassword(f"no password to set for {role}")
    problem = await exposure(connection, role)
    if problem:
        raise RoleRefused(problem)
    await connection.execute_script(f"ALTER ROLE \"{role}\" PASSWORD '{scram_verifier(password)}'")
    return RoleOutcome.PASSWORD_SET


async def _exists(connection: BaseDBAsyncClient, role: str) -> bool:
    _, rows = await connection.execute_query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])
    return bool(rows)


async def _may_create_roles(connection: BaseDBAsyncClient, role: str) -> None:
    _, rows = await connection.execute_query(
        "SELECT current_user AS name, rolsuper OR rolcreaterole AS may"
        " FROM pg_roles WHERE rolname = current_user"
    )
    if not rows[0]["may"]:
        raise RoleRefused(
            f"no role {role} yet, and {rows[0]['name']} may not create roles: create it once"
            f" as an administrator (CREATE ROLE {role} LOGIN PASSWORD '...'), or grant"
            f" {rows[0]['name']} CREATEROLE"
        )


async def grant_to(connection: BaseDBAsyncClient, role: str) -> None:
    """Grants `role` what the services need, after checking it cannot get round the triggers."""
    statements = grant_statements(role)
    if connection.capabilities.dialect != "postgres":
        raise RoleRefused("roles are PostgreSQL's: SQLite has none to grant")
    problem = await exposure(connection, role)
    if problem:
        raise RoleRefused(problem)
    for statement in statements:
        await connection.execute_script(statement)


async def exposure(connection: BaseDBAsyncClient, role: str | None = None) -> str | None:
    """Why `role` (by default the connection's own) could change append-only rows despite the
    triggers, or None. PostgreSQL only: SQLite has no roles (None)."""
    if connection.capabilities.dialect != "postgres":
        return None
    _, rows = await connection.execute_query(
        "SELECT r.rolname, r.rolsuper, pg_has_role(r.oid, t.tableowner, 'MEMBER') AS owns"
        " FROM pg_roles r, pg_tables t"
        " WHERE r.rolname = COALESCE($1, current_user) AND t.tablename = $2",
        [role, _A_TABLE],
    )
    if not rows:
        return f"no such role, or no {_A_TABLE} table yet: {role}"
    name, superuser, owns = rows[0]["rolname"], rows[0]["rolsuper"], rows[0]["owns"]
    if superuser:
        return f"{name} is a superuser: it can skip the append-only triggers"
    if owns:
        return f"{name} owns the read model's tables: it can disable the append-only triggers"
    return None
