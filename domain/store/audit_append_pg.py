"""The audit append on PostgreSQL with the clinic's chain head locked for one statement only.

Every audited request of a clinic extends the same chain, so the head row is where its requests
queue. Locked the plain way (BEGIN, SELECT ... FOR UPDATE, INSERT, UPDATE, COMMIT), the lock is
held across three round trips to the server and the hashing in between, and on a busy machine
each round trip waits for the API's event loop and for a core. Here the entries are hashed onto
the head this process last left (or, not knowing it, the head read without a lock), and one
statement moves the head *from that seq and hash* and inserts the entries only if it did: both
are kept or lost together, one statement being one transaction. A request that another process
beat reads the head and tries again. After `TRIES` lost races the plan gives up and the caller
takes the lock instead, so a request never retries for ever while its clinic is busy. Within a
process, a clinic's appends take turns (`append_in_turn`), so they never race each other.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from domain.audit import GENESIS, Access, AuditRecord, Viewer, extend_chain
from domain.store.audit_models import ENTRY_COLUMNS, ROWS_PER_INSERT, entry_values
from domain.store.one_trip import Plan

TRIES = 6
HEAD = "SELECT seq, hash FROM audit_chain_head WHERE clinic_id = $1"
START_HEAD = (
    "INSERT INTO audit_chain_head (clinic_id, seq, hash) VALUES ($1, 0, $2) "
    "ON CONFLICT (clinic_id) DO NOTHING"
)
# A VALUES list inside a SELECT takes no type from the table it feeds, so its parameters say
# theirs (text for the rest; the insert assigns it to the varchar columns, lengths checked).
_CASTS = {"seq": "bigint", "at": "timestamptz"}

Head = tuple[int, str]  # a chain head's seq and hash
Appended = list[tuple[AuditRecord, str]]


@dataclass
class _Turns:
    """One event loop's appends: one at a time per clinic, and the head each clinic's last
    append left (a guess: another process may have moved it since)."""

    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    heads: dict[str, Head] = field(default_factory=dict)


# Per event loop, since an asyncio lock belongs to one. A lock that ever waited holds its loop,
# so such a loop's entry stays for the process's life: one per loop that appended (a server runs
# one), each a lock and a head per clinic.
_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Turns] = weakref.WeakKeyDictionary()


async def append_in_turn(
    viewer: Viewer,
    accesses: Sequence[Access],
    new_id: Callable[[], str],
    run: Callable[[Plan[Appended | None]], Awaitable[Appended | None]],
) -> Appended | None:
    """`append_unlocked`, run by `run` (each statement on its own) after this process's earlier
    appends to the same clinic, from the head the last of them left. Requests of one process
    never race each other for the head, and wait here rather than on the row's lock, holding
    no database connection; the usual append is then one statement."""
    loop, clinic_id = asyncio.get_running_loop(), viewer.clinic_id
    turns = _TURNS.get(loop) or _TURNS.setdefault(loop, _Turns())
    turn = turns.locks.get(clinic_id) or turns.locks.setdefault(clinic_id, asyncio.Lock())
    async with turn:
        guess = turns.heads.pop(clinic_id, None)
        appended = await run(append_unlocked(viewer, accesses, new_id, guess))
        if appended:
            last, last_hash = appended[-1]
            turns.heads[clinic_id] = (last.seq, last_hash)
        return appended


def append_unlocked(
    viewer: Viewer,
    accesses: Sequence[Access],
    new_id: Callable[[], str],
    guess: Head | None = None,
) -> Plan[Appended | None]:
    """Appends one entry per access to the viewer's clinic chain, from the head `guess` or else
    from the head read; the entries written, each with its hash, or None (nothing written)
    after `TRIES` lost races or for more entries than one statement takes. Each statement
    must stand alone: send it with `atomic=False`, outside any transaction."""
    if len(accesses) > ROWS_PER_INSERT:
        return None
    clinic_id, head = viewer.clinic_id, guess
    for _ in range(TRIES):
        if head is None:
            head = yield from _read_head(clinic_id)
        chained = extend_chain(*head, viewer, accesses, datetime.now(UTC), new_id)
        last, last_hash = chained[-1]
        values = [v for record, digest in chained for v in entry_values(record, digest)]
        inserted = yield (
            moved_and_inserted(len(chained)),
            [*values, last.seq, last_hash, clinic_id, *head],
        )
        if inserted:
            return chained
        head = None
    return None


def _read_head(clinic_id: str) -> Plan[Head]:
    rows = yield HEAD, [clinic_id]
    if not rows:  # the clinic's first entry; a racing first writer's head is kept
        yield START_HEAD, [clinic_id, GENESIS]
        rows = yield HEAD, [clinic_id]
    return int(rows[0]["seq"]), str(rows[0]["hash"])


@functools.lru_cache(maxsize=64)
def moved_and_inserted(entries: int) -> str:
    """The head moved from the seq read to the last entry's, and the entries inserted, or
    neither; the inserted entries' seqs come back. Parameters: each entry's `ENTRY_COLUMNS`,
    then the new seq and hash, the clinic, and the seq and hash it must move from."""
    width = len(ENTRY_COLUMNS)
    rows = (
        "("
        + ", ".join(
            f"${row * width + n}::{_CASTS.get(column, 'text')}"
            for n, column in enumerate(ENTRY_COLUMNS, start=1)
        )
        + ")"
        for row in range(entries)
    )
    head = entries * width
    columns = ", ".join(ENTRY_COLUMNS)
    return (
        f"WITH moved AS (UPDATE audit_chain_head SET seq = ${head + 1}, hash = ${head + 2} "
        f"WHERE clinic_id = ${head + 3} AND seq = ${head + 4} AND hash = ${head + 5} "
        "RETURNING clinic_id) "
        f"INSERT INTO audit_entry ({columns}) "
        f"SELECT * FROM (VALUES {', '.join(rows)}) AS entry ({columns}) "
        "WHERE EXISTS (SELECT 1 FROM moved) RETURNING seq"
    )
