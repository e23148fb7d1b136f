"""Reading the client file in batches: whatever number of clients a request reads, each part
costs one query, and the corrections and error marks of every entry read two more."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.sql import as_models, columns_of, db_values, is_postgres, marks

# Parameters one query sends (PostgreSQL takes at most 32,767 in a statement).
CLIENTS_PER_QUERY = 1000


async def entries_of(keys: list[tuple[str, str]]) -> list[list[ClientEntry]]:
    """For each (client id, kind), its entries in the order written (time, then id)."""
    client_ids = {client_id for client_id, _ in keys}
    kinds = {kind for _, kind in keys}
    found: dict[tuple[str, str], list[ClientEntry]] = defaultdict(list)
    rows = await ClientEntry.filter(client_id__in=client_ids, kind__in=kinds).order_by(
        "recorded_at", "id"
    )
    for row in rows:
        found[(row.client_id, row.kind)].append(row)
    return [found.get(key, []) for key in keys]


async def later_rows_of(
    entry_ids: list[str],
) -> list[tuple[str | None, ClientEntryError | None]]:
    """For each entry id: the id of the entry that corrects it, and its error mark."""
    corrected: dict[str, str] = {}
    for amends_id, entry_id in await ClientEntry.filter(amends_id__in=entry_ids).values_list(
        "amends_id", "id"
    ):
        corrected[str(amends_id)] = str(entry_id)
    marks = {m.entry_id: m for m in await ClientEntryError.filter(entry_id__in=entry_ids)}
    return [(corrected.get(i), marks.get(i)) for i in entry_ids]


@dataclass(frozen=True)
class PartPage:
    """One page of one client's part, oldest first: `entries` (at most the page's size), and
    whether entries come after it and at or before its cursor."""

    entries: list[ClientEntry]
    has_next: bool
    has_previous: bool


# (client id, kind, page size, the cursor's position: (recorded_at, id) or None)
PageKey = tuple[str, str, int, tuple[datetime, str] | None]


def _after_sql(postgres: bool, clients: int, after: bool) -> str:
    """Each client's entries of one kind after the cursor, numbered per client in the order
    written; the caller keeps those within the page (and one more, to know of a next page)."""
    places = marks(postgres, clients + (5 if after else 2))  # kind, [cursor x3], page
    client_marks, kind, rest = ", ".join(places[:clients]), places[clients], places[clients + 1 :]
    columns = ", ".join(f'"{c}"' for c in columns_of(ClientEntry))
    beyond = ""
    if after:
        beyond = f" AND (recorded_at > {rest[0]} OR (recorded_at = {rest[1]} AND id > {rest[2]}))"
    return (
        f"SELECT {columns} FROM (SELECT {columns}, ROW_NUMBER() OVER"
        " (PARTITION BY client_id ORDER BY recorded_at, id) AS position FROM client_entry"
        f" WHERE client_id IN ({client_marks}) AND kind = {kind}{beyond})"
        f" AS numbered WHERE position <= {rest[-1]} ORDER BY client_id, position"
    )


async def part_pages(keys: list[PageKey]) -> list[PartPage]:
    """Each key's page, reading at most a page and one entry per client (a part of 10,000
    entries was read whole for every page): one query per page shape and kind, whatever the
    number of clients, and one more for the shapes that start after a cursor."""
    db = ClientEntry._meta.db
    postgres = is_postgres(db)
    shapes: dict[tuple[str, int, tuple[datetime, str] | None], list[str]] = defaultdict(list)
    for client_id, kind, first, after in keys:
        shapes[(kind, first, after)].append(client_id)
    pages: dict[PageKey, PartPage] = {}
    for (kind, first, after), client_ids in shapes.items():
        for start in range(0, len(client_ids), CLIENTS_PER_QUERY):
            chunk = list(dict.fromkeys(client_ids[start : start + CLIENTS_PER_QUERY]))
            cursor = []
            if after is not None:
                (at,) = db_values(ClientEntry, {"recorded_at": after[0]}, ["recorded_at"])
                cursor = [at, at, after[1]]
            sql = _after_sql(postgres, len(chunk), after is not None)
            rows = await db.execute_query_dict(sql, [*chunk, kind, *cursor, first + 1])
            found: dict[str, list[ClientEntry]] = defaultdict(list)
            for entry in as_models(ClientEntry, rows):
                found[entry.client_id].append(entry)
            earlier = await _with_earlier(chunk, kind, after) if after is not None else set()
            for client_id in chunk:
                entries = found.get(client_id, [])
                key = (client_id, kind, first, after)
                pages[key] = PartPage(entries[:first], len(entries) > first, client_id in earlier)
    return [pages[key] for key in keys]


async def _with_earlier(client_ids: list[str], kind: str, after: tuple[datetime, str]) -> set[str]:
    """The clients with an entry of the kind at or before the cursor's position."""
    at, entry_id = after
    earlier = Q(recorded_at__lt=at) | Q(recorded_at=at, id__lte=entry_id)
    rows = ClientEntry.filter(earlier, client_id__in=client_ids, kind=kind)
    return {
        str(client_id) for client_id in await rows.distinct().values_list("client_id", flat=True)
    }
