"""The audit chain's rules: what the hash covers, and what a chain check catches (no I/O)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from domain.audit import (
    GENESIS,
    HASHED_FIELDS,
    Access,
    AuditRecord,
    ChainCheck,
    Viewer,
    canonical,
    extend_chain,
    record_hash,
)
from domain.store.audit_models import AuditEntry

AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
VIEWER = Viewer("staff-nurse", "NURSE", "clinic-1", "req-1")


def _chain(length: int) -> list[tuple[AuditRecord, str]]:
    ids = (f"entry-{n}" for n in itertools.count(1))
    accesses = [Access(f"client-{n}", "client.read") for n in range(length)]
    return extend_chain(0, GENESIS, VIEWER, accesses, AT, lambda: next(ids))


def test_every_stored_column_but_the_hash_is_hashed() -> None:
    assert set(HASHED_FIELDS) | {"hash"} == set(AuditEntry._meta.fields_map)


def test_the_serialisation_is_pinned() -> None:
    # Changing it would make every stored hash unverifiable: it must not change by accident.
    ((record, digest),) = _chain(1)
    assert canonical(record) == (
        b'{"action":"client.read","actor_id":"staff-nurse","actor_role":"NURSE",'
        b'"at":"2026-03-01T09:30:15.123456+00:00","client_id":"client-0",'
        b'"clinic_id":"clinic-1","id":"entry-1","prev_hash":"' + GENESIS.encode() + b'",'
        b'"request_id":"req-1","seq":1}'
    )
    assert digest == record_hash(record)


def test_changing_any_field_changes_the_hash() -> None:
    ((record, digest),) = _chain(1)
    changed: dict[str, Any] = {
        "id": "entry-x",
        "clinic_id": "clinic-2",
        "seq": 2,
        "at": AT + timedelta(microseconds=1),
        "actor_id": "staff-other",
        "actor_role": "SUPERVISOR",
        "client_id": "client-x",
        "action": "journey.read",
        "request_id": None,
        "prev_hash": "f" * 64,
    }
    assert set(changed) == set(HASHED_FIELDS)
    for name, value in changed.items():
        assert record_hash(replace(record, **{name: value})) != digest, name


def test_the_same_instant_in_another_zone_hashes_the_same() -> None:
    ((record, digest),) = _chain(1)
    warsaw_summer = timezone(timedelta(hours=2))
    assert record_hash(replace(record, at=AT.astimezone(warsaw_summer))) == digest


def test_a_chain_links_each_entry_to_the_one_before() -> None:
    chain = _chain(4)
    assert [r.seq for r, _ in chain] == [1, 2, 3, 4]
    assert [r.prev_hash for r, _ in chain] == [GENESIS] + [h for _, h in chain[:-1]]
    check = ChainCheck("clinic-1", (4, chain[-1][1]))
    assert [check.follow(r, h) for r, h in chain] == [None] * 4
    assert (check.finish(), check.rows) == (None, 4)


def test_a_check_names_the_first_break() -> None:
    chain = _chain(4)
    head = (4, chain[-1][1])
    cases = {
        "edited": ([*chain[:1], (replace(chain[1][0], action="x"), chain[1][1]), *chain[2:]], 2),
        "missing": ([chain[0], *chain[2:]], 3),
        "relinked": ([chain[0], (replace(chain[1][0], prev_hash="f" * 64), chain[1][1])], 2),
    }
    for name, (stored, broken_seq) in cases.items():
        check = ChainCheck("clinic-1", head)
        results = [check.follow(r, h) for r, h in stored]
        assert check.broken is not None, name
        assert check.broken.seq == broken_seq, name
        assert results[-1] == check.broken  # it stays broken
    truncated = ChainCheck("clinic-1", head)
    for record, digest in chain[:3]:
        truncated.follow(record, digest)
    broken = truncated.finish()
    assert broken is not None
    assert (broken.entry_id, broken.seq) == ("entry-3", 3)
    wrong_head = ChainCheck("clinic-1", (4, "f" * 64))
    assert [wrong_head.follow(r, h) is None for r, h in chain] == [True, True, True, False]
