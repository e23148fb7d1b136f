"""The audit append on PostgreSQL: the chain head locked for one statement, a lost race writing
nothing and read again, and the locked transaction for whoever keeps losing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from domain.audit import Access, AuditRecord, Viewer
from domain.store import audit_append_pg, audit_chain
from domain.store.audit_append_pg import HEAD, append_unlocked
from domain.store.audit_chain import append_accesses, verify_chain
from domain.store.audit_models import ROWS_PER_INSERT, AuditChainHead, AuditEntry
from domain.store.one_trip import Plan, Statement

pytestmark = pytest.mark.postgres

Appended = list[tuple[AuditRecord, str]]


def _viewer(clinic_id: str, who: str) -> Viewer:
    return Viewer(who, "SUPERVISOR", clinic_id, f"request-{who}")


def _reads(*clients: str) -> list[Access]:
    return [Access(client, "client.read") for client in clients]


async def _run(statement: Statement) -> Sequence[Any]:
    sql, values = statement
    return await connections.get("default").execute_query_dict(sql, list(values))


async def _clinic_with_entries(entries: int) -> str:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    await append_accesses(_viewer(clinic_id, "first"), _reads(*(f"c{n}" for n in range(entries))))
    return clinic_id


async def _up_to_its_insert(plan: Plan[Appended | None]) -> Statement:
    """Drives `plan` through its head read; the statement that moves the head and inserts."""
    statement = plan.send(None)  # type: ignore[arg-type]  # None starts a plan
    assert statement[0] == HEAD
    return plan.send(await _run(statement))


async def _finish(plan: Plan[Appended | None], rows: Sequence[Any]) -> Appended | None:
    """Drives `plan` on from sending it `rows`; its result."""
    try:
        while True:
            rows = await _run(plan.send(rows))
    except StopIteration as done:
        result: Appended | None = done.value
        return result


async def test_an_append_beaten_to_the_head_writes_nothing_and_lands_on_the_new_head() -> None:
    # Given a clinic's chain of one entry, and an append that has read that head
    clinic_id = await _clinic_with_entries(1)
    plan = append_unlocked(_viewer(clinic_id, "late"), _reads("a"), lambda: str(uuid.uuid4()))
    insert = await _up_to_its_insert(plan)
    # When another request appends two entries before its statement runs
    await append_accesses(_viewer(clinic_id, "early"), _reads("b", "c"))
    # Then that statement moves nothing and inserts nothing
    rows = await _run(insert)
    assert rows == []
    assert await AuditEntry.filter(clinic_id=clinic_id).count() == 3
    # And the append, read again, takes the place after the other request's entries
    appended = await _finish(plan, rows)
    assert appended is not None
    assert [record.seq for record, _ in appended] == [4]
    assert (await AuditChainHead.get(clinic_id=clinic_id)).seq == 4
    assert await verify_chain(clinic_id) == (4, None)


async def test_an_append_from_the_head_it_knows_is_one_statement() -> None:
    # Given a clinic's chain, whose head an append knows
    clinic_id = await _clinic_with_entries(2)
    head = await AuditChainHead.get(clinic_id=clinic_id)
    plan = append_unlocked(
        _viewer(clinic_id, "known"), _reads("a"), lambda: str(uuid.uuid4()), (head.seq, head.hash)
    )
    # Then its first statement moves the head and inserts, and nothing more is sent
    insert = plan.send(None)  # type: ignore[arg-type]
    assert insert[0].startswith("WITH moved")
    with pytest.raises(StopIteration) as done:
        plan.send(await _run(insert))
    assert [record.seq for record, _ in done.value.value] == [3]
    assert await verify_chain(clinic_id) == (3, None)


async def test_a_wrong_guess_at_the_head_writes_nothing_then_reads_it() -> None:
    # Given a clinic's chain of two entries, and an append guessing the head at seq 2 with the
    # wrong hash (as after the database was restored beneath a running process)
    clinic_id = await _clinic_with_entries(2)
    plan = append_unlocked(
        _viewer(clinic_id, "stale"), _reads("a"), lambda: str(uuid.uuid4()), (2, "0" * 64)
    )
    # When its statement runs
    rows = await _run(plan.send(None))  # type: ignore[arg-type]
    # Then nothing is written, and the append lands after the head it then reads
    assert rows == []
    appended = await _finish(plan, rows)
    assert appended is not None
    assert appended[0][0].prev_hash == (await AuditEntry.get(clinic_id=clinic_id, seq=2)).hash
    assert await verify_chain(clinic_id) == (3, None)


async def test_a_process_appends_to_a_clinic_in_turn_from_the_head_it_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the statements appends send, counted
    sent: list[str] = []
    original = audit_append_pg.append_unlocked

    def counted(*args: Any) -> Plan[Appended | None]:
        plan = original(*args)
        rows = None
        try:
            while True:
                statement = plan.send(rows)  # type: ignore[arg-type]
                sent.append(statement[0])
                rows = yield statement
        except StopIteration as done:
            result: Appended | None = done.value
            return result

    monkeypatch.setattr(audit_append_pg, "append_unlocked", counted)
    clinic_id = await _clinic_with_entries(1)
    sent.clear()
    # When twenty requests of this process append to the clinic at once
    await asyncio.gather(
        *(append_accesses(_viewer(clinic_id, f"r{n}"), _reads("a", "b")) for n in range(20))
    )
    # Then each sent one statement, none lost a race, and the chain holds all their entries
    assert len(sent) == 20
    assert all(statement.startswith("WITH moved") for statement in sent)
    assert await verify_chain(clinic_id) == (41, None)


async def test_an_append_that_keeps_losing_gives_up_having_written_nothing() -> None:
    # Given a clinic's chain, and an append that is beaten to the head every time it tries
    clinic_id = await _clinic_with_entries(1)
    plan = append_unlocked(_viewer(clinic_id, "unlucky"), _reads("a"), lambda: str(uuid.uuid4()))
    statement = plan.send(None)  # type: ignore[arg-type]
    outcome: Appended | None = None
    tries = 0
    try:
        while True:
            if statement[0].startswith("WITH moved"):
                tries += 1
                await append_accesses(_viewer(clinic_id, f"rival-{tries}"), _reads("r"))
            statement = plan.send(await _run(statement))
    except StopIteration as done:
        outcome = done.value
    # Then it gives up after its tries, having written none of its entries
    assert (outcome, tries) == (None, audit_append_pg.TRIES)
    entries = await AuditEntry.filter(clinic_id=clinic_id).values_list("actor_id", flat=True)
    assert "unlucky" not in entries
    assert await verify_chain(clinic_id) == (1 + tries, None)


def _locked_appends(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The actors whose appends take the locked transaction from here on."""
    taken: list[str] = []
    locked = audit_chain.append_locked

    async def counted(viewer: Viewer, accesses: Sequence[Access]) -> Appended:
        taken.append(viewer.actor_id)
        return await locked(viewer, accesses)

    monkeypatch.setattr(audit_chain, "append_locked", counted)
    return taken


async def test_a_request_that_gives_up_is_appended_under_the_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given appends that give up at once (as after every try lost)
    clinic_id = await _clinic_with_entries(2)
    monkeypatch.setattr(audit_append_pg, "TRIES", 0)
    locked = _locked_appends(monkeypatch)
    # When a request appends
    appended = await append_accesses(_viewer(clinic_id, "queued"), _reads("a", "b"))
    # Then the locked transaction writes its entries onto the chain
    assert locked == ["queued"]
    assert [record.seq for record, _ in appended] == [3, 4]
    assert await verify_chain(clinic_id) == (4, None)


async def test_an_append_inside_a_transaction_takes_the_lock_and_goes_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a clinic's chain, and appends watched for the locked transaction
    clinic_id = await _clinic_with_entries(1)
    locked = _locked_appends(monkeypatch)
    # When a request appends inside a transaction that then fails
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await append_accesses(_viewer(clinic_id, "inside"), _reads("a"))
            raise RuntimeError("the caller's transaction fails")
    # Then the append took the lock and went with the transaction
    assert locked == ["inside"]
    assert await verify_chain(clinic_id) == (1, None)
    # And the next append, outside, lands on the head as it was
    appended = await append_accesses(_viewer(clinic_id, "after"), _reads("b"))
    assert [record.seq for record, _ in appended] == [2]
    assert await verify_chain(clinic_id) == (2, None)


async def test_an_append_bigger_than_one_statement_can_carry_is_written_whole() -> None:
    # Given a clinic's chain, and more entries than one PostgreSQL statement takes parameters
    # for (eleven each)
    clinic_id = await _clinic_with_entries(1)
    many = _reads(*(f"client-{n}" for n in range(3000)))
    # When a request appends them
    appended = await append_accesses(_viewer(clinic_id, "bulk"), many)
    # Then all are written, in order, and the chain verifies
    assert [record.seq for record, _ in appended] == list(range(2, 3002))
    assert await verify_chain(clinic_id) == (3001, None)


async def test_more_entries_than_one_statement_takes_go_in_one_locked_transaction() -> None:
    # Given a clinic's chain of one entry
    clinic_id = await _clinic_with_entries(1)
    many = _reads(*(f"client-{n}" for n in range(ROWS_PER_INSERT + 1)))
    plan = append_unlocked(_viewer(clinic_id, "bulk"), many, lambda: str(uuid.uuid4()))
    # Then the one-statement append declines them before any statement
    with pytest.raises(StopIteration) as declined:
        plan.send(None)  # type: ignore[arg-type]
    assert declined.value.value is None
    # And the append writes them all, in order, under the lock
    appended = await append_accesses(_viewer(clinic_id, "bulk"), many)
    assert len(appended) == ROWS_PER_INSERT + 1
    assert await verify_chain(clinic_id) == (ROWS_PER_INSERT + 2, None)


async def test_an_entry_the_table_refuses_leaves_the_head_where_it_was() -> None:
    # Given a clinic's chain of two entries
    clinic_id = await _clinic_with_entries(2)
    # When an append's second entry is too long for its column
    with pytest.raises(OperationalError, match="too long"):
        await append_accesses(_viewer(clinic_id, "bad"), _reads("fine", "x" * 65))
    # Then neither entry is written and the head has not moved
    assert await AuditEntry.filter(clinic_id=clinic_id).count() == 2
    assert (await AuditChainHead.get(clinic_id=clinic_id)).seq == 2
    assert await verify_chain(clinic_id) == (2, None)
