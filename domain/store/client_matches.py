"""Writing and finding the keys a client is found by when registered again.

A registration checks the keys and writes its client under `keys_held`: the check and the
write of two registrations sharing a key run one after the other, so of two desks registering
the same new person at the same moment the second finds the first. Registrations sharing no
key do not wait for each other (on PostgreSQL; SQLite has one writer at a time anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.client_file.matching import MatchedOn
from domain.store.client_file import ClientMatchKey
from domain.store.sql import is_postgres

# At most this many keys are read for one registration: a phone a whole family gives stays
# a bounded answer (reception opens one of them and finds the others from there).
MAX_MATCHED_KEYS = 50


@asynccontextmanager
async def keys_held(clinic_id: str, keys: Iterable[str]) -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction holding the clinic's `keys` until it ends. On PostgreSQL a transaction-
    scoped advisory lock per (clinic, key), taken in the order of the locks' numbers so that
    two registrations sharing several keys cannot each hold one the other waits for; on SQLite
    the transaction itself (it begins IMMEDIATE, one writer at a time: `store.compat`)."""
    async with in_transaction() as connection:
        if is_postgres(connection):
            for lock in sorted({_lock_number(clinic_id, key) for key in keys}):
                await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [lock])
        yield connection


def _lock_number(clinic_id: str, key: str) -> int:
    """A signed 64-bit number for (clinic, key), the same in every process (Python's `hash` is
    salted per process). Two pairs sharing a number only wait for each other needlessly."""
    digest = hashlib.blake2b(f"client-match\0{clinic_id}\0{key}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


async def record_match_keys(clinic_id: str, client_id: str, keys: Mapping[str, object]) -> None:
    """Each key once per client: a retried write or a repeated value adds nothing. In the
    caller's transaction when there is one (a conflict is skipped in the statement, so it does
    not end a PostgreSQL transaction as a failed insert would)."""
    rows = [ClientMatchKey(clinic_id=clinic_id, client_id=client_id, key=key) for key in keys]
    if rows:
        await ClientMatchKey.bulk_create(rows, ignore_conflicts=True)


async def clients_matching(
    clinic_id: str, keys: Mapping[str, MatchedOn]
) -> dict[str, set[MatchedOn]]:
    """The clinic's clients holding any of the keys, each with what matched: one indexed query."""
    rows = (
        await ClientMatchKey.filter(clinic_id=clinic_id, key__in=list(keys))
        .order_by("id")
        .limit(MAX_MATCHED_KEYS)
        .values_list("client_id", "key")
    )
    found: dict[str, set[MatchedOn]] = {}
    for client_id, key in rows:
        found.setdefault(str(client_id), set()).add(keys[str(key)])
    return found
