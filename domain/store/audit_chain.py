"""Appending to the clinics' audit chains, and checking them, in the database.

Appends to one clinic's chain are serialised by its chain head: the appending transaction locks
the head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer, and Tortoise holds its
one connection for the whole transaction), so two requests can never both extend the same seq.
The unique (clinic, seq) constraint would refuse a fork even if that lock were lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from domain.audit import GENESIS, Access, AuditRecord, ChainBreak, ChainCheck, Viewer, extend_chain
from domain.store.audit_models import AuditChainHead, AuditEntry

VERIFY_CHUNK = 1000


async def append_accesses(viewer: Viewer, accesses: Sequence[Access]) -> list[AuditEntry]:
    """Appends one entry per access to the viewer's clinic chain, in one transaction."""
    if not accesses:
        return []
    async with in_transaction():
        head = await _locked_head(viewer.clinic_id)
        chained = extend_chain(
            head.seq, head.hash, viewer, accesses, datetime.now(UTC), lambda: str(uuid.uuid4())
        )
        entries = [AuditEntry(**asdict(record), hash=digest) for record, digest in chained]
        await AuditEntry.bulk_create(entries)
        last, last_hash = chained[-1]
        await AuditChainHead.filter(clinic_id=viewer.clinic_id).update(seq=last.seq, hash=last_hash)
    return entries


async def _locked_head(clinic_id: str) -> AuditChainHead:
    head = await AuditChainHead.filter(clinic_id=clinic_id).select_for_update().first()
    if head is None:
        # The clinic's first entry. Two first writers may race here: the second insert does
        # nothing, and its SELECT ... FOR UPDATE then waits for the first transaction.
        genesis = AuditChainHead(clinic_id=clinic_id, seq=0, hash=GENESIS)
        await AuditChainHead.bulk_create([genesis], ignore_conflicts=True)
        head = await AuditChainHead.filter(clinic_id=clinic_id).select_for_update().get()
    return head


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
