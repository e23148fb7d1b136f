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


def _page_sql(postgres: bool, clients: int, kinds: int, after: bool) -> str:
    """Each client's entries of each kind (after the cursor), numbered per client and kind in
    the order written; the caller keeps those within the page (and one more, to know of a next
    page)."""
    places = iter(marks(postgres, clients + kinds + (4 if after else 1)))
    client_marks = ", ".join(next(places) for _ in range(clients))
    kind_marks = ", ".join(next(places) for _ in range(kinds))
    beyond = ""
    if after:
        at, same_at, entry_id = next(places), next(places), next(places)
        beyond = f" AND (recorded_at > {at} OR (recorded_at = {same_at} AND id > {entry_id}))"
    columns = ", ".join(f'"{c}"' for c in columns_of(ClientEntry))
    return (
        f"SELECT {columns} FROM (SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY client_id,"
        " kind ORDER BY recorded_at, id) AS position FROM client_entry"
        f" WHERE client_id IN ({client_marks}) AND kind IN ({kind_marks}){beyond})"
        f" AS numbered WHERE position <= {next(places)} ORDER BY client_id, kind, position"
    )


async def part_pages(keys: list[PageKey]) -> list[PartPage]:
    """Each key's page, reading at most a page and one entry per client and part (a part of
    10,000 entries was read whole for every page): one query per page shape, whatever the
    number of clients and parts, and one more for a shape that starts after a cursor."""
    db = ClientEntry._meta.db
    postgres = is_postgres(db)
    shapes: dict[tuple[int, tuple[datetime, str] | None], list[tuple[str, str]]] = defaultdict(list)
    for client_id, kind, first, after in keys:
        shapes[(first, after)].append((client_id, kind))
    pages: dict[PageKey, PartPage] = {}
    for (first, after), parts in shapes.items():
        kinds = list(dict.fromkeys(kind for _, kind in parts))
        clients = list(dict.fromkeys(client_id for client_id, _ in parts))
        cursor = []
        if after is not None:
            (at,) = db_values(ClientEntry, {"recorded_at": after[0]}, ["recorded_at"])
            cursor = [at, at, after[1]]
        found: dict[tuple[str, str], list[ClientEntry]] = defaultdict(list)
        earlier: set[tuple[str, str]] = set()
        for start in range(0, len(clients), CLIENTS_PER_QUERY):
            chunk = clients[start : start + CLIENTS_PER_QUERY]
            sql = _page_sql(postgres, len(chunk), len(kinds), after is not None)
            rows = await db.execute_query_dict(sql, [*chunk, *kinds, *cursor, first + 1])
            for entry in as_models(ClientEntry, rows):
                found[(entry.client_id, entry.kind)].append(entry)
            if after is not None:
                earlier |= await _with_earlier(chunk, kinds, after)
        for client_id, kind in parts:
            entries = found.get((client_id, kind), [])
            has_previous = (client_id, kind) in earlier
            pages[(client_id, kind, first, after)] = PartPage(
                entries[:first], len(entries) > first, has_previous
            )
    return [pages[key] for key in keys]


async def _with_earlier(
    client_ids: list[str], kinds: list[str], after: tuple[datetime, str]
) -> set[tuple[str, str]]:
    """The (client, kind) parts with an entry at or before the cursor's position."""
    at, entry_id = after
    earlier = Q(recorded_at__lt=at) | Q(recorded_at=at, id__lte=entry_id)
    rows = ClientEntry.filter(earlier, client_id__in=client_ids, kind__in=kinds)
    pairs = await rows.distinct().values_list("client_id", "kind")
    return {(str(client_id), str(kind)) for client_id, kind in pairs}
