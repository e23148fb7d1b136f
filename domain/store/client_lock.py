"""The client's row lock, for the writes to her file that other writes read under it: every
entry but the ward's records (her service card's phone wishes, which a phone survey reads again
under it; how many entries her file holds; whether an entry was corrected or marked, which a
correction and a mark each read again under it), and the marks that take its entries out of
force; and for a treatment's photo reminders, written under it as her photo-consent changes
are. Whichever commits second sees the other.

PostgreSQL: SELECT ... FOR UPDATE, held until the caller's transaction ends (the query runs in
the transaction the caller opened). SQLite writes one transaction at a time. Lock order
(`staff_locks`): a holder of a journey's row may ask for its client's, never the reverse, so
only the kinds above take it: a ward record's mark locks its journey after (`ward_reopening`).
"""

from __future__ import annotations

from domain.client_file.kinds import EntryKind
from domain.store.client_file import ClientEntry
from domain.store.models import Client

# The entries whose writes and marks queue on her row: all but the ward's records, whose marks
# lock their journey (`ward_reopening`), which must never be asked for after her row.
UNDER_CLIENT_LOCK = frozenset(kind.value for kind in EntryKind if not kind.post_op)


async def hold_client(client_id: str) -> None:
    """Her row, locked until the caller's transaction ends."""
    await Client.filter(id=client_id).select_for_update().first()


async def hold_client_for(client_id: str, kind: str) -> bool:
    """Her row, locked as `hold_client`, for a new entry of a kind other writes read under it;
    whether it was locked."""
    if kind in UNDER_CLIENT_LOCK:
        await hold_client(client_id)
        return True
    return False


async def hold_client_of_entry(entry_id: str) -> bool:
    """The row of the client whose file holds the entry, for a mark taking it out of force,
    locked as `hold_client_for` locks it for its kind; whether it was locked."""
    entry = await ClientEntry.filter(id=entry_id).only("id", "client_id", "kind").first()
    return entry is not None and await hold_client_for(entry.client_id, entry.kind)
