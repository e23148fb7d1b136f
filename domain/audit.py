"""The audit trail's rules: what an entry says, how entries are chained, how a chain is checked.

Pure functions of their inputs. Each clinic has its own chain: entry `seq` n carries the hash of
entry n-1 (`prev_hash`; the first one carries `GENESIS`) and its own `hash`, a sha256 of the
canonical serialisation of every other field. Changing, removing or inserting an entry anywhere
breaks the chain from there on; the chain head (the last seq and hash, kept beside the entries)
shows a removed tail.

"What" is a short code, never the data itself: the reads below, or the mutation's name for a
write (`registerClient`, `recordConsultation`, ...).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime

GENESIS = "0" * 64

CLIENT_READ = "client.read"
JOURNEY_READ = "journey.read"
JOURNEY_HISTORY_READ = "journey.history.read"
AUDIT_READ = "audit.read"
# A recall named the client as a recipient of a lot; the client's aftercare leaflet was read.
LOT_RECIPIENTS_READ = "lot.recipients.read"
AFTERCARE_LEAFLET_READ = "aftercare.leaflet.read"
# Her written consultation record was printed (or shown) for her.
CONSULTATION_RECORD_READ = "consultation.record.read"
# Follow-up tasks about the client were answered: a complication, a low survey score, a recheck,
# the calls and photos its procedure's plan asks for, each naming the client's journey.
FOLLOW_UP_TASK_READ = "aftercare.task.read"


@dataclass(frozen=True)
class Viewer:
    """Who accessed client data, from which clinic, in which HTTP request."""

    actor_id: str
    actor_role: str
    clinic_id: str
    request_id: str | None


@dataclass(frozen=True)
class Access:
    """One kind of access to one client's data ("what": a code, see above)."""

    client_id: str
    what: str


@dataclass(frozen=True)
class AuditRecord:
    """Every stored field of an entry except its own hash."""

    id: str
    clinic_id: str
    seq: int
    at: datetime
    actor_id: str
    actor_role: str
    client_id: str
    action: str
    request_id: str | None
    prev_hash: str


HASHED_FIELDS = tuple(f.name for f in fields(AuditRecord))


def canonical(record: AuditRecord) -> bytes:
    """Sorted keys, no spaces, UTF-8, the time in UTC to the microsecond: one text per record."""
    values = {name: getattr(record, name) for name in HASHED_FIELDS}
    values["at"] = record.at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(record: AuditRecord) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def extend_chain(
    head_seq: int,
    head_hash: str,
    viewer: Viewer,
    accesses: Iterable[Access],
    at: datetime,
    new_id: Callable[[], str],
) -> list[tuple[AuditRecord, str]]:
    """The next records of the viewer's clinic chain after (head_seq, head_hash), with hashes."""
    chained: list[tuple[AuditRecord, str]] = []
    seq, previous = head_seq, head_hash
    for access in accesses:
        seq += 1
        record = AuditRecord(
            id=new_id(),
            clinic_id=viewer.clinic_id,
            seq=seq,
            at=at,
            actor_id=viewer.actor_id,
            actor_role=viewer.actor_role,
            client_id=access.client_id,
            action=access.what,
            request_id=viewer.request_id,
            prev_hash=previous,
        )
        previous = record_hash(record)
        chained.append((record, previous))
    return chained


@dataclass(frozen=True)
class ChainBreak:
    """The first place a clinic's chain is broken; `entry_id` is None when no row can be named."""

    clinic_id: str
    entry_id: str | None
    seq: int | None
    problem: str


class ChainCheck:
    """Follows one clinic's stored entries in seq order and keeps the first break.

    `anchor` is the chain head (seq, hash) read before the entries: the entry at that seq must
    carry that hash, and the entries must reach it (a removed tail leaves the head ahead).
    """

    def __init__(self, clinic_id: str, anchor: tuple[int, str]) -> None:
        self.clinic_id = clinic_id
        self.anchor_seq, self.anchor_hash = anchor
        self.last_seq = 0
        self.last_id: str | None = None
        self.previous = GENESIS
        self.rows = 0
        self.broken: ChainBreak | None = None

    def _break(self, record: AuditRecord, problem: str) -> ChainBreak:
        self.broken = ChainBreak(self.clinic_id, record.id, record.seq, problem)
        return self.broken

    def follow(self, record: AuditRecord, stored_hash: str) -> ChainBreak | None:
        if self.broken is not None:
            return self.broken
        if record.seq != self.last_seq + 1:
            missing = (
                f"seq {record.seq} follows seq {self.last_seq}: the entries between are missing"
            )
            return self._break(record, missing)
        if record.prev_hash != self.previous:
            return self._break(record, "prev_hash is not the hash of the entry before it")
        if record_hash(record) != stored_hash:
            return self._break(record, "the entry's fields do not match its hash")
        if record.seq == self.anchor_seq and stored_hash != self.anchor_hash:
            return self._break(record, "the hash differs from the chain head's")
        self.last_seq, self.last_id, self.previous = record.seq, record.id, stored_hash
        self.rows += 1
        return None

    def finish(self) -> ChainBreak | None:
        if self.broken is None and self.last_seq < self.anchor_seq:
            self.broken = ChainBreak(
                self.clinic_id,
                self.last_id,
                self.last_seq or None,
                f"the chain head is at seq {self.anchor_seq} but the entries end at "
                f"{self.last_seq}: the entries after it are missing",
            )
        return self.broken
