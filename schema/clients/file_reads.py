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


def _position(entry: ClientEntry) -> tuple[Any, str]:
    return (entry.recorded_at, entry.id)


async def entries_page(
    info: Info[Context, None], client_id: str, kind: EntryKind, first: int, after: str | None
) -> tuple[list[ClientEntry], PageInfo]:
    """Entries of one part, oldest first: the file is read in the order it was written.
    `after` must be a cursor `page_problems` accepted."""
    entries = await info.context.loaders.file_entries.load((client_id, kind.value))
    entries = sorted(entries, key=_position)
    preceding = 0
    if after is not None:
        position = decode_cursor(after)
        assert position is not None
        later = [entry for entry in entries if _position(entry) > position]
        preceding, entries = len(entries) - len(later), later
    page = entries[:first]
    return page, PageInfo(
        has_next_page=len(entries) > first,
        has_previous_page=preceding > 0,
        start_cursor=cursor_for(page[0], "recorded_at") if page else None,
        end_cursor=cursor_for(page[-1], "recorded_at") if page else None,
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
