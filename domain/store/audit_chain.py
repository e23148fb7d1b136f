"""Appending to the clinics' audit chains, and checking them, in the database.

Appends to one clinic's chain are serialised by its chain head: the appending transaction locks
the head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer, and Tortoise holds its
one connection for the whole transaction), so two requests can never both extend the same seq.
The unique (clinic, seq) constraint would refuse a fork even if that lock were lost.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domain.audit import (
    GENESIS,
    HASHED_FIELDS,
    Access,
    AuditRecord,
    ChainBreak,
    ChainCheck,
    Viewer,
    extend_chain,
)
from domain.store.audit_models import AuditChainHead, AuditEntry
from domain.store.one_trip import Plan, in_one_trip

VERIFY_CHUNK = 1000
INSERT_ROWS = 500  # rows per INSERT: both databases bound the parameters of one statement


async def append_accesses(
    viewer: Viewer, accesses: Sequence[Access]
) -> list[tuple[AuditRecord, str]]:
    """Appends one entry per access to the viewer's clinic chain, in one transaction; returns
    the entries written, each with its hash."""
    if not accesses:
        return []
    return await in_one_trip(
        AuditEntry, lambda connection: _append(_statements(connection), viewer, accesses)
    )


def _append(
    sql: _Statements, viewer: Viewer, accesses: Sequence[Access]
) -> Plan[list[tuple[AuditRecord, str]]]:
    head_seq, head_hash = yield from _locked_head(sql, viewer.clinic_id)
    now = datetime.now(UTC)
    chained = extend_chain(head_seq, head_hash, viewer, accesses, now, _new_id)
    for start in range(0, len(chained), INSERT_ROWS):
        rows = chained[start : start + INSERT_ROWS]
        values = [v for record, digest in rows for v in (*_values(record), digest)]
        yield sql.insert(len(rows)), values
    last, last_hash = chained[-1]
    yield sql.move_head, [last.seq, last_hash, viewer.clinic_id]
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


def _values(record: AuditRecord) -> list[Any]:
    return [getattr(record, name) for name in HASHED_FIELDS]


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
        width = len(COLUMNS)
        tuples = (
            "(" + ", ".join(self.mark(row * width + n) for n in range(1, width + 1)) + ")"
            for row in range(rows)
        )
        return f"INSERT INTO audit_entry ({', '.join(COLUMNS)}) VALUES {', '.join(tuples)}"


COLUMNS = (*HASHED_FIELDS, "hash")
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
