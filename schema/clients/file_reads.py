"""Reading entries of the client file with what later rows say about them, through the
request's DataLoaders: a list of clients with their file parts costs a constant number of
queries (per part read: its entries, their corrections, their error marks; the clinic's time
zone once), however many clients and entries it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from strawberry.types import Info

from domain.client_file.kinds import EntryKind
from domain.store.client_file import ClientEntry
from schema.clients.file_types import EntryState, entry_view
from schema.context import Context
from schema.ids import decode_cursor
from schema.pagination import PageInfo, cursor_for


async def entry_states(
    info: Info[Context, None], entries: Sequence[ClientEntry]
) -> dict[str, EntryState]:
    later = await info.context.loaders.entry_later_rows.load_many([e.id for e in entries])
    return {
        entry.id: EntryState(amended_by_id=corrected_by, mark=mark)
        for entry, (corrected_by, mark) in zip(entries, later, strict=True)
    }


async def views(
    info: Info[Context, None], entries: Sequence[ClientEntry], zone: ZoneInfo
) -> list[Any]:
    states = await entry_states(info, entries)
    return [entry_view(entry, zone, states[entry.id]) for entry in entries]


async def one_view(info: Info[Context, None], entry: ClientEntry, zone: ZoneInfo) -> Any:
    (view,) = await views(info, [entry], zone)
    return view


async def entries_page(
    info: Info[Context, None], client_id: str, kind: EntryKind, first: int, after: str | None
) -> tuple[list[ClientEntry], PageInfo]:
    """Entries of one part, oldest first: the file is read in the order it was written.
    `after` must be a cursor `page_problems` accepted. Only the page is read (and one entry
    more), for every client of a list in one query (`store.client_file_reads.part_pages`)."""
    position = decode_cursor(after) if after is not None else None
    assert after is None or position is not None
    key = (client_id, kind.value, first, position)
    page = await info.context.loaders.part_pages.load(key)
    entries = page.entries
    return entries, PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=cursor_for(entries[0], "recorded_at") if entries else None,
        end_cursor=cursor_for(entries[-1], "recorded_at") if entries else None,
    )


async def current_pregnancy_status(
    info: Info[Context, None], client_id: str, zone: ZoneInfo
) -> Any:
    """The statement in force with the latest stated date (a later entry may correct an older
    statement, so the time it was written does not decide); None when there is none."""
    loaders = info.context.loaders
    entries = await loaders.file_entries.load((client_id, EntryKind.PREGNANCY_STATUS.value))
    states = await entry_states(info, entries)
    standing = [
        e for e in entries if states[e.id].amended_by_id is None and states[e.id].mark is None
    ]
    if not standing:
        return None
    latest = max(standing, key=lambda e: (e.body["stated_on"], e.recorded_at, e.id))
    return entry_view(latest, zone, states[latest.id])
