"""The row a write to the client file is made under, for the writes other writes read under it:
her own row for every entry but the ward's records (her service card's phone wishes, which a
phone survey reads again under it; how many entries her file holds; whether an entry was
corrected or marked, which a correction and a mark each read again under it), and for the marks
that take its entries out of force; and for a treatment's photo reminders, written under it as
her photo-consent changes are. A ward's record (`post_op`), its correction and its mark are made
under its journey's row instead, which a new record is counted under and a mark's giving back of
the ward's tasks locks (`ward_reopening`): whether the record was corrected or marked is read
again under it. Whichever commits second sees the other.

PostgreSQL: SELECT ... FOR UPDATE, held until the caller's transaction ends (the query runs in
the transaction the caller opened). SQLite writes one transaction at a time. Lock order
(`staff_locks`): a holder of a journey's row may ask for its client's, never the reverse, so
a ward's record, whose writes lock its journey, never takes her row.
"""

from __future__ import annotations

from typing import Any

from domain.client_file.kinds import EntryKind
from domain.store.client_file import ClientEntry
from domain.store.models import Client, Journey

# The entries whose writes and marks queue on her row: all but the ward's records, whose
# writes queue on their journey's, which must never be asked for after her row.
UNDER_CLIENT_LOCK = frozenset(kind.value for kind in EntryKind if not kind.post_op)


async def hold_client(client_id: str) -> None:
    """Her row, locked until the caller's transaction ends."""
    await Client.filter(id=client_id).select_for_update().first()


async def hold_file_for(client_id: str, kind: str, body: Any) -> bool:
    """The row a write of an entry of `kind` is made under, locked as `hold_client` locks hers:
    hers, or for a ward's record the journey its body names; whether one was locked."""
    if kind in UNDER_CLIENT_LOCK:
        await hold_client(client_id)
        return True
    journey_id = body.get("journey_id") if isinstance(body, dict) else None
    if not isinstance(journey_id, str):
        return False
    return await Journey.filter(id=journey_id).select_for_update().first() is not None


async def hold_file_of_entry(entry_id: str) -> bool:
    """The row a mark taking the entry out of force is made under, locked as `hold_file_for`
    locks it for the entry's kind; whether one was locked."""
    entry = await ClientEntry.filter(id=entry_id).only("id", "client_id", "kind", "body").first()
    return entry is not None and await hold_file_for(entry.client_id, entry.kind, entry.body)
