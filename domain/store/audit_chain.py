"""Appending to the clinics' audit chains, and checking them, in the database.

Appends to one clinic's chain are serialised by its chain head, so two requests can never both
extend the same seq; the unique (clinic, seq) constraint would refuse a fork even if that were
lost. On SQLite (one writer) the append is one transaction, sent in one trip. On PostgreSQL the
head is locked for one statement only (`store.audit_append_pg`), and a request that keeps losing
the race for it takes the lock for a whole transaction instead (`append_locked`).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise.backends.base.client import TransactionalDBClient

from domain.audit import (
    GENESIS,
    Access,
    AuditRecord,
    ChainBreak,
    ChainCheck,
    Viewer,
    extend_chain,
)
from domain.store.audit_append_pg import append_in_turn
from domain.store.audit_models import (
    ENTRY_COLUMNS,
    ROWS_PER_INSERT,
    AuditChainHead,
    AuditEntry,
    entry_values,
)
from domain.store.one_trip import Plan, Unread, in_one_trip

VERIFY_CHUNK = 1000
T = TypeVar("T")


async def append_accesses(
    viewer: Viewer, accesses: Sequence[Access]
) -> list[tuple[AuditRecord, str]]:
    """Appends one entry per access to the viewer's clinic chain, in one transaction; returns
    the entries written, each with its hash."""
    if not accesses:
        return []
    connection = AuditEntry._meta.db
    # Inside a caller's transaction the head would stay locked until the caller commits, and
    # the process's next append to the clinic would wait for that in the database while holding
    # its turn: such an append takes the lock from the start.
    if _statements(connection) is _ASYNCPG and not isinstance(connection, TransactionalDBClient):
        appended = await append_in_turn(viewer, accesses, _new_id, _each_on_its_own)
        if appended is not None:
            return appended
    return await append_locked(viewer, accesses)


async def _each_on_its_own(plan: Plan[T]) -> T:
    return await in_one_trip(AuditEntry, lambda _: plan, atomic=False)


async def append_locked(
    viewer: Viewer, accesses: Sequence[Access]
) -> list[tuple[AuditRecord, str]]:
    """`append_accesses` with the chain head locked from the first statement to the commit."""
    return await in_one_trip(
        AuditEntry, lambda connection: _append(_statements(connection), viewer, accesses)
    )


def locked_append_plan(
    connection: Any, viewer: Viewer, accesses: Sequence[Access]
) -> Plan[list[tuple[AuditRecord, str]]]:
    """`append_locked`'s statements, for a plan of the caller's that runs as one transaction
    (on SQLite, one trip with the caller's own statements)."""
    return _append(_statements(connection), viewer, accesses)


def _append(
    sql: _Statements, viewer: Viewer, accesses: Sequence[Access]
) -> Plan[list[tuple[AuditRecord, str]]]:
    head_seq, head_hash = yield from _locked_head(sql, viewer.clinic_id)
    now = datetime.now(UTC)
    chained = extend_chain(head_seq, head_hash, viewer, accesses, now, _new_id)
    for start in range(0, len(chained), ROWS_PER_INSERT):
        rows = chained[start : start + ROWS_PER_INSERT]
        values = [v for record, digest in rows for v in entry_values(record, digest)]
        yield Unread(sql.insert(len(rows)), values)
    last, last_hash = chained[-1]
    yield Unread(sql.move_head, [last.seq, last_hash, viewer.clinic_id])
    return chained


def _locked_head(sql: _Statements, clinic_id: str) -> Plan[tuple[int, str]]:
    rows = yield sql.lock_head, [clinic_id]
    if not rows:
        # The clinic's first entry. Two first writers may race here: the second insert does
        # nothing, and its SELECT ... FOR UPDATE then waits for the first transaction.
        yield sql.start_head, [clinic_id, 0, GENESIS]
        rows = yield sql.lock_head, [clinic_id]
    return int(rows[0]["seq"]), str(rows[0]["hash"])


def _new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class _Statements:
    """The append's SQL for one driver, written out: built by the ORM on every request, the
    same statements took about twice as long to append (measured here, SQLite and PostgreSQL)."""

    placeholder: str  # "?", or "$" for numbered ones
    for_update: str

    def mark(self, n: int) -> str:
        return f"${n}" if self.placeholder == "$" else self.placeholder

    @property
    def lock_head(self) -> str:
        where = f"clinic_id = {self.mark(1)}"
        return f"SELECT seq, hash FROM audit_chain_head WHERE {where}{self.for_update}"

    @property
    def start_head(self) -> str:
        marks = ", ".join(self.mark(n) for n in (1, 2, 3))
        return (
            f"INSERT INTO audit_chain_head (clinic_id, seq, hash) VALUES ({marks}) "
            "ON CONFLICT (clinic_id) DO NOTHING"
        )

    @property
    def move_head(self) -> str:
        m = self.mark
        return f"UPDATE audit_chain_head SET seq = {m(1)}, hash = {m(2)} WHERE clinic_id = {m(3)}"

    @functools.lru_cache(maxsize=64)  # noqa: B019  (three instances, kept for the process)
    def insert(self, rows: int) -> str:
        width = len(ENTRY_COLUMNS)
        tuples = (
            "(" + ", ".join(self.mark(row * width + n) for n in range(1, width + 1)) + ")"
            for row in range(rows)
        )
        return f"INSERT INTO audit_entry ({', '.join(ENTRY_COLUMNS)}) VALUES {', '.join(tuples)}"


_SQLITE = _Statements("?", "")  # one writer: the transaction holds the only connection
_ASYNCPG = _Statements("$", " FOR UPDATE")


def _statements(connection: Any) -> _Statements:
    dialect = connection.capabilities.dialect
    if dialect == "sqlite":
        return _SQLITE
    if dialect == "postgres" and "asyncpg" in type(connection).__module__:
        return _ASYNCPG
    raise NotImplementedError(f"the audit trail supports SQLite and asyncpg, not {connection}")


def stored_record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(**{name: getattr(row, name) for name in AuditRecord.__dataclass_fields__})


@dataclass(frozen=True)
class ChainReport:
    clinics: int
    entries: int
    breaks: list[ChainBreak]


async def verify_chains(clinic_id: str | None = None) -> ChainReport:
    """Recomputes every clinic's chain (or one clinic's); the first break of each is reported."""
    if clinic_id is not None:
        clinics = [clinic_id]
    else:
        with_heads = await AuditChainHead.all().values_list("clinic_id", flat=True)
        with_entries = await AuditEntry.all().distinct().values_list("clinic_id", flat=True)
        clinics = sorted({str(c) for c in [*with_heads, *with_entries]})
    breaks, entries = [], 0
    for clinic in clinics:
        rows, broken = await verify_chain(clinic)
        entries += rows
        if broken is not None:
            breaks.append(broken)
    return ChainReport(clinics=len(clinics), entries=entries, breaks=breaks)


async def verify_chain(clinic_id: str) -> tuple[int, ChainBreak | None]:
    """(entries checked, the first break or None). Safe while requests keep appending: the
    head is read before the entries (they must reach it) and again after them (no entry may
    lie beyond it)."""
    check = ChainCheck(clinic_id, await _head(clinic_id))
    after_seq = 0
    while True:
        page = AuditEntry.filter(clinic_id=clinic_id, seq__gt=after_seq).order_by("seq")
        rows = await page.limit(VERIFY_CHUNK)
        for row in rows:
            if check.follow(stored_record(row), row.hash) is not None:
                return check.rows, check.broken
        if len(rows) < VERIFY_CHUNK:
            break
        after_seq = rows[-1].seq
    if check.finish() is not None:
        return check.rows, check.broken
    head_seq, _ = await _head(clinic_id)
    if check.last_seq > head_seq:
        beyond = await AuditEntry.get(clinic_id=clinic_id, seq=head_seq + 1)
        problem = f"beyond the chain head (seq {head_seq}): not appended through it"
        return check.rows, ChainBreak(clinic_id, beyond.id, beyond.seq, problem)
    return check.rows, None


async def _head(clinic_id: str) -> tuple[int, str]:
    head = await AuditChainHead.get_or_none(clinic_id=clinic_id)
    return (head.seq, head.hash) if head else (0, GENESIS)
