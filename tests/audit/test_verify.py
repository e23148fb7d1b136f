"""`glowpath audit verify` catches a trail edited outside the application, and the database
refuses to edit it in the first place."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from domain.audit import Access, Viewer, record_hash
from domain.store.audit_chain import append_accesses, stored_record, verify_chains
from domain.store.audit_models import AuditChainHead, AuditEntry
from tests.audit.conftest import opened

ROOT = Path(__file__).resolve().parents[2]


async def _chain(clinic_id: str, length: int) -> list[AuditEntry]:
    """`length` entries, one request each, in a new clinic chain, as stored."""
    for n in range(length):
        viewer = Viewer(f"staff-{n % 2}", "CONSULTANT", clinic_id, f"request-{n}")
        await append_accesses(viewer, [Access(f"client-{n % 3}", "client.read")])
    return await AuditEntry.filter(clinic_id=clinic_id).order_by("seq")


async def _sql(context: TortoiseContext, statement: str) -> None:
    await context.db().execute_script(statement)


async def _unguarded(context: TortoiseContext) -> None:
    """Drops the triggers that refuse edits, as someone with the database's keys could."""
    if context.db().capabilities.dialect == "postgres":
        await _sql(context, "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
    else:
        await _sql(context, "DROP TRIGGER audit_entry_refuse_update")
        await _sql(context, "DROP TRIGGER audit_entry_refuse_delete")


async def _cli_verify(url: str, *args: str) -> tuple[int, str]:
    returncode, out, _ = await _cli_verify_both(url, *args)
    return returncode, out


async def _cli_verify_both(url: str, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "GLOWPATH_DATABASE_URL": url}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "server.cli", "audit", "verify", *args),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_an_intact_trail_verifies(scratch_database: str) -> None:
    async with opened(scratch_database):
        await _chain("clinic-a", 4)
        await _chain("clinic-b", 2)
    assert await _cli_verify(scratch_database) == (
        0,
        "audit trail intact: 6 entries in 2 clinic chain(s) verified\n",
    )


async def test_a_clinic_id_no_chain_or_clinic_has_is_refused(scratch_database: str) -> None:
    # Given one clinic's chain
    async with opened(scratch_database):
        await _chain("clinic-a", 3)
    # Then that clinic verifies alone, and a mistyped id is refused: "intact, 0 entries" would
    # pass a scheduled check forever without looking at anything
    assert await _cli_verify(scratch_database, "--clinic", "clinic-a") == (
        0,
        "audit trail intact: 3 entries in 1 clinic chain(s) verified\n",
    )
    returncode, out, err = await _cli_verify_both(scratch_database, "--clinic", "clinic-typo")
    assert returncode == 2, out + err
    assert "no clinic and no audit chain with the id clinic-typo" in err


async def test_an_edited_entry_is_named(scratch_database: str) -> None:
    # Given two clinic chains, and one entry edited by raw SQL past the dropped trigger
    async with opened(scratch_database) as context:
        edited = (await _chain("clinic-a", 5))[2]
        await _chain("clinic-b", 2)
        await _unguarded(context)
        await _sql(context, f"UPDATE audit_entry SET action = 'x.read' WHERE id = '{edited.id}'")
    # Then verify exits 1 naming that entry, and only that clinic's chain
    status, out = await _cli_verify(scratch_database)
    assert (status, out.splitlines()) == (
        1,
        [
            f"BROKEN clinic clinic-a: entry {edited.id} (seq 3): "
            "the entry's fields do not match its hash",
            "1 of 2 clinic chain(s) broken; 4 entries verified intact",
        ],
    )


async def test_an_entry_rewritten_with_a_new_hash_breaks_the_link_after_it(
    scratch_database: str,
) -> None:
    async with opened(scratch_database) as context:
        chain = await _chain("clinic-a", 5)
        forged = replace(stored_record(chain[2]), action="x.read")
        await _unguarded(context)
        await _sql(
            context,
            f"UPDATE audit_entry SET action = 'x.read', hash = '{record_hash(forged)}' "
            f"WHERE id = '{chain[2].id}'",
        )
        report = await verify_chains()
    assert [(b.clinic_id, b.entry_id, b.seq) for b in report.breaks] == [
        ("clinic-a", chain[3].id, 4)
    ]
    assert report.breaks[0].problem == "prev_hash is not the hash of the entry before it"


async def test_an_entry_deleted_from_the_middle_is_caught(scratch_database: str) -> None:
    async with opened(scratch_database) as context:
        chain = await _chain("clinic-a", 5)
        await _unguarded(context)
        await _sql(context, f"DELETE FROM audit_entry WHERE id = '{chain[2].id}'")
        report = await verify_chains()
    (broken,) = report.breaks
    assert (broken.entry_id, broken.seq) == (chain[3].id, 4)
    assert broken.problem == "seq 4 follows seq 2: the entries between are missing"


async def test_a_removed_tail_is_caught_by_the_chain_head(scratch_database: str) -> None:
    async with opened(scratch_database) as context:
        chain = await _chain("clinic-a", 5)
        await _unguarded(context)
        await _sql(context, f"DELETE FROM audit_entry WHERE id = '{chain[4].id}'")
        report = await verify_chains("clinic-a")
    (broken,) = report.breaks
    assert (broken.entry_id, broken.seq) == (chain[3].id, 4)
    assert broken.problem == (
        "the chain head is at seq 5 but the entries end at 4: the entries after it are missing"
    )


async def test_an_entry_forged_onto_the_end_is_caught(scratch_database: str) -> None:
    # Given an entry added around the chain writer, well formed and correctly hashed
    async with opened(scratch_database):
        chain = await _chain("clinic-a", 3)
        last = stored_record(chain[-1])
        forged = replace(
            last,
            id=str(uuid.uuid4()),
            seq=4,
            at=datetime.now(UTC),
            prev_hash=chain[-1].hash,
            client_id="client-hidden",
        )
        await AuditEntry.bulk_create([AuditEntry(**asdict(forged), hash=record_hash(forged))])
        report = await verify_chains()
    # Then it lies beyond the chain head and is named
    (broken,) = report.breaks
    assert (broken.entry_id, broken.seq) == (forged.id, 4)
    assert broken.problem == "beyond the chain head (seq 3): not appended through it"


async def test_the_database_refuses_to_edit_the_trail(scratch_database: str) -> None:
    async with opened(scratch_database) as context:
        chain = await _chain("clinic-a", 2)
        for statement, refusal in [
            (f"UPDATE audit_entry SET action = 'x' WHERE id = '{chain[0].id}'", "append-only"),
            (f"DELETE FROM audit_entry WHERE id = '{chain[1].id}'", "append-only"),
            ("UPDATE audit_chain_head SET seq = 1", "only moves forward"),
            ("DELETE FROM audit_chain_head", "only moves forward"),
        ]:
            with pytest.raises(Exception, match=refusal):
                await _sql(context, statement)
        # And what was there is still there, unchanged
        assert (await AuditChainHead.get(clinic_id="clinic-a")).seq == 2
        report = await verify_chains()
    assert (report.entries, report.breaks) == (2, [])
