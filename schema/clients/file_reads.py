"""Reading entries of the client file with what later rows say about them.

A page of entries costs four queries whatever its length: the entries, their corrections,
their error marks, and the clinic's time zone (once per request).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from domain.client_file.kinds import EntryKind
from domain.store.client_file import ClientEntry, ClientEntryError
from schema.clients.file_types import EntryState, entry_view
from schema.pagination import PageInfo, keyset_page


async def entry_states(entries: Sequence[ClientEntry]) -> dict[str, EntryState]:
    ids = [entry.id for entry in entries]
    if not ids:
        return {}
    corrected = dict(await ClientEntry.filter(amends_id__in=ids).values_list("amends_id", "id"))
    marks = {mark.entry_id: mark for mark in await ClientEntryError.filter(entry_id__in=ids)}
    return {i: EntryState(amended_by_id=corrected.get(i), mark=marks.get(i)) for i in ids}


async def views(entries: Sequence[ClientEntry], zone: ZoneInfo) -> list[Any]:
    states = await entry_states(entries)
    return [entry_view(entry, zone, states[entry.id]) for entry in entries]


async def one_view(entry: ClientEntry, zone: ZoneInfo) -> Any:
    (view,) = await views([entry], zone)
    return view


async def entries_page(
    client_id: str, kind: EntryKind, first: int, after: str | None
) -> tuple[list[ClientEntry], PageInfo]:
    """Entries of one part, oldest first: the file is read in the order it was written."""
    query = ClientEntry.filter(client_id=client_id, kind=kind.value)
    return await keyset_page(query, "recorded_at", first, after, newest_first=False)


async def current_pregnancy_status(client_id: str, zone: ZoneInfo) -> Any:
    """The statement in force with the latest stated date (a later entry may correct an older
    statement, so the time it was written does not decide); None when there is none."""
    entries = await ClientEntry.filter(client_id=client_id, kind=EntryKind.PREGNANCY_STATUS.value)
    states = await entry_states(entries)
    standing = [
        e for e in entries if states[e.id].amended_by_id is None and states[e.id].mark is None
    ]
    if not standing:
        return None
    latest = max(standing, key=lambda e: (e.body["stated_on"], e.recorded_at, e.id))
    return entry_view(latest, zone, states[latest.id])
