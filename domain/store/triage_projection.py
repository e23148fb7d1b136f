"""Writes desk changes into the read model. At-least-once safe: keyed on (clinic, seq)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.store.desk_notes import notes_by_id
from domain.store.triage_models import (
    DeskNote,
    LeadContact,
    OwnershipTransfer,
    RevenueCredit,
    TriageBoard,
    TriageEntry,
)
from domain.triage.board_changes import BoardChange, apply_change
from domain.triage.codec import desk_to_json, entry_details
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry, EntryKind, worded_reason
from domain.triage.leads import lead_owner as owner_of_lead
from domain.triage.policy import named_label


async def current_owner(client_id: str) -> str | None:
    latest = await OwnershipTransfer.filter(client_id=client_id).order_by("-id").first()
    if latest is not None:
        return latest.consultant_id
    return await lead_owner(client_id)


async def lead_owner(client_id: str) -> str | None:
    """For a phone or online lead still to be served: the consultant of the earliest contact, while
    the lead is followed up (`domain.triage.leads`; before, a contact owned the client forever)."""
    contacts = LeadContact.filter(client_id=client_id).order_by("at", "id")
    rows = await contacts.values_list("at", "consultant_id")
    return owner_of_lead(((at, str(consultant)) for at, consultant in rows), datetime.now(UTC))


async def clients_owned_by(clinic_id: str, consultant_id: str) -> list[str]:
    rows = await OwnershipTransfer.filter(clinic_id=clinic_id, consultant_id=consultant_id)
    candidates = dict.fromkeys(row.client_id for row in rows)
    return [c for c in candidates if await current_owner(c) == consultant_id]


async def apply_desk_changes(
    clinic_id: str, entries: list[DeskEntry], board: BoardChange | DeskState
) -> DeskWrite:
    """Appends the new entries (and what follows from them), and lays the board over the one
    stored (`board_changes.BoardChange`, or a whole `DeskState`), in one transaction."""
    change = board if isinstance(board, BoardChange) else BoardChange(desk_to_json(board))
    written = 0
    # The staff's words join the desk's own here, from the notes the entries name.
    notes = await notes_by_id([e.note_id for e in entries] + [e.policy_note_id for e in entries])
    async with in_transaction():
        # One query for the entries a retried write already made, not one per entry.
        seqs = [entry.seq for entry in entries]
        rows = TriageEntry.filter(clinic_id=clinic_id, seq__in=seqs).values_list("seq", flat=True)
        known: set[Any] = set(await rows)
        for entry in entries:
            if entry.seq in known:
                continue
            await _append(clinic_id, entry, notes)
            written += 1
        if change.based_on is None:
            return DeskWrite(written, stale=not await _store_whole(clinic_id, change.state))
        return DeskWrite(written, stale=not await _store_change(clinic_id, change))


@dataclass
class DeskWrite:
    """How many entries were new, and whether the board is not the desk's: a change for a board
    at another version, or a whole desk older than the board (a desk started again, by a reset or
    after its run was lost, counts from the start while the board kept the old count). The desk
    then sends itself whole until its count passes the board's."""

    written: int
    stale: bool = False


async def _store_whole(clinic_id: str, state: dict[str, Any]) -> bool:
    """Whether the board is this desk now: written, or already at its version (a retry). A board
    at a later version is left as it is (a late try of an older record must not set it back)."""
    version = int(state["seq"])
    values: dict[str, Any] = {"version": version, "day": state["day"], "state": state}
    if await TriageBoard.filter(clinic_id=clinic_id, version__lt=version).update(**values):
        return True
    row = await TriageBoard.get_or_none(clinic_id=clinic_id)
    if row is None:
        await TriageBoard.create(clinic_id=clinic_id, **values)
        return True
    return row.version == version


async def _store_change(clinic_id: str, change: BoardChange) -> bool:
    """Whether the board holds the change now (laid over it here, or by an earlier try)."""
    version = int(change.state["seq"])
    row = await TriageBoard.get_or_none(clinic_id=clinic_id)
    if row is not None and row.version >= version:
        return True
    if row is None or row.version != change.based_on:
        return False
    values = {"version": version, "day": change.state["day"]}
    state = apply_change(row.state, change)
    # Only over the version read: another try of this record may have written it meanwhile.
    if await TriageBoard.filter(clinic_id=clinic_id, version=row.version).update(
        **values, state=state
    ):
        return True
    return await TriageBoard.filter(clinic_id=clinic_id, version__gte=version).exists()


async def _append(clinic_id: str, entry: DeskEntry, notes: dict[str, DeskNote]) -> None:
    note = notes.get(entry.note_id or "")
    policy_note = notes.get(entry.policy_note_id or "")
    reason = worded_reason(entry, note.text if note else None)[:1000]
    policy = named_label(entry.policy, policy_note.policy_name if policy_note else None)
    await TriageEntry.create(
        clinic_id=clinic_id,
        seq=entry.seq,
        day=entry.day,
        kind=entry.kind.value,
        at=entry.at,
        actor_id=entry.actor_id,
        consultant_id=entry.consultant_id,
        journey_id=entry.journey_id,
        client_id=entry.client_id,
        counted=entry.counted,
        reason=reason,
        policy=policy[:100],
        amends_seq=entry.amends_seq,
        details=entry_details(entry),
    )
    for credit in entry.credits:
        await RevenueCredit.create(
            clinic_id=clinic_id,
            journey_id=entry.journey_id or "",
            consultant_id=credit.consultant_id,
            percent=credit.percent,
            rule=credit.rule.value,
            entry_seq=entry.seq,
            at=entry.at,
        )
    if not entry.transfers_ownership:
        return
    if entry.kind is EntryKind.CONSULTANT_LEFT and entry.consultant_id:
        clients = await clients_owned_by(clinic_id, entry.consultant_id)
        leaver: str | None = entry.consultant_id
    else:
        clients = [entry.client_id] if entry.client_id else []
        leaver = None
    for client_id in clients:
        previous = leaver or await current_owner(client_id)
        if previous == entry.owner_id:
            continue
        await OwnershipTransfer.create(
            clinic_id=clinic_id,
            client_id=client_id,
            consultant_id=entry.owner_id,
            from_consultant_id=previous,
            reason=reason,
            entry_seq=entry.seq,
            at=entry.at,
        )
