"""A withdrawal of the DATA_SHARING consent and a disclosure on it, side by side on PostgreSQL
(READ COMMITTED; SQLite has one writer at a time). The disclosure checks the consent and writes
under the client's lock, which every withdrawal takes too: a withdrawal committed between the
check and the write must not let one disclosure through. Who waits for whom is the server's to
say (`pg_blocking_pids`), not a guess of how long it takes."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from domain.roles import Role
from domain.store.consents import ConsentSignature
from schema.ids import decode_id
from tests.api import test_file_disclosures as disclosures
from tests.api.flow import JourneyDriver

pytestmark = pytest.mark.postgres

WAIT = 30.0  # seconds: bounded, generous for a loaded machine
_LOOK_AGAIN = 0.05  # seconds between two looks at the server's locks


@pytest.fixture
async def holder(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the server's pool: it holds the client's lock."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _done_or_waiting_for(
    observer: asyncpg.Connection, task: asyncio.Future[object], pid: int
) -> None:
    """Until `task` is done, or a server process waits for a lock `pid` holds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done, _ = await asyncio.wait({task}, timeout=_LOOK_AGAIN)
        if done:
            return
        waiting = await observer.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", pid
        )
        if waiting:
            return
    raise AssertionError(f"neither done nor waiting for the held lock in {WAIT:.0f} s")


async def test_a_withdrawal_committed_during_a_disclosure_lets_nothing_through(
    driver: JourneyDriver, holder: asyncpg.Connection, database: str
) -> None:
    # Given a client who signed a DATA_SHARING consent
    client_id, jid = await disclosures._client_at_consent(driver)
    await disclosures._sign_sharing(driver, jid)
    raw_client = decode_id(client_id, "Client")
    signature = await ConsentSignature.get(client_id=raw_client, kind="DATA_SHARING")
    # And a withdrawal of it written under the client's lock, not committed yet
    observer = await asyncpg.connect(database, timeout=10)
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute('SELECT 1 FROM "client" WHERE id = $1 FOR UPDATE', raw_client)
        await holder.execute(
            'INSERT INTO "consent_withdrawal" (id, signature_id, recorded_by, withdrawn_at)'
            " VALUES ($1, $2, $3, $4)",
            str(uuid.uuid4()),
            signature.id,
            "nurse",
            datetime.now(UTC),
        )
        pid = await holder.fetchval("SELECT pg_backend_pid()")
        # When a supervisor records a disclosure meanwhile, and the withdrawal then commits
        recording = asyncio.ensure_future(
            disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
        )
        try:
            await _done_or_waiting_for(observer, recording, pid)
        finally:
            await transaction.commit()
        answer = await asyncio.wait_for(recording, timeout=WAIT)
    finally:
        await observer.close()
    # Then the disclosure waited for the withdrawal, and is refused: nothing was shared
    assert answer["__typename"] == "SharingConsentMissing", answer
    assert answer["withdrawnAt"] is not None
    assert await disclosures._rows(client_id) == 0
