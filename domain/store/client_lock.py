"""The client's row lock: the writes to her file, and the writes that depend on what her file
says (a treatment's photo reminders on her photo consent, a phone survey on her wish not to be
asked), queue on it, so whichever commits second sees the other.

PostgreSQL: SELECT ... FOR UPDATE, held until the caller's transaction ends (the caller's: the
query runs in the transaction the caller opened). SQLite writes one transaction at a time."""

from __future__ import annotations

from domain.store.client_file import ClientEntry
from domain.store.models import Client


async def hold_client(client_id: str) -> None:
    """Her row, locked until the caller's transaction ends."""
    await Client.filter(id=client_id).select_for_update().first()


async def hold_client_of_entry(entry_id: str) -> None:
    """The row of the client whose file holds the entry, locked as `hold_client`."""
    entry = await ClientEntry.filter(id=entry_id).only("id", "client_id").first()
    if entry is not None:
        await hold_client(entry.client_id)
