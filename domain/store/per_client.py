"""A window of each client's rows, for many clients in one query.

A page of clients asking each one's consents, identity versions or photo consent changes used
to cost a query per client (100 clients with their consents: 2 s). Here each client's rows are
numbered in their order by a window function and a range of those numbers kept, for every
client at once: one query per window, whatever the number of clients (the client file's parts
do the same in `client_file_reads`). Rows are ordered by one column (a time, or a version
number) and then by id, as each list is shown. The keys are usually clients; a window may
name another owner column (a clinic's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from tortoise.expressions import Q
from tortoise.models import Model

from domain.store.sql import as_models, columns_of, is_postgres, marks

M = TypeVar("M", bound=Model)

# Parameters one query sends (PostgreSQL takes at most 32,767 in a statement).
CLIENTS_PER_QUERY = 1000


@dataclass(frozen=True)
class Window:
    """The rows numbered `skip` + 1 to `skip` + `take` of each client's order (per `partition`
    column too: each purpose of a client has its own order), oldest first or newest first."""

    skip: int
    take: int
    newest_first: bool = False
    partition: tuple[str, ...] = ()
    # The column the keys name: a client's rows, or (`clinic_id`) a clinic's.
    owner: str = "client_id"


def _window_sql(model: type[Model], order_column: str, window: Window, clients: int) -> str:
    postgres = is_postgres(model._meta.db)
    places = iter(marks(postgres, clients + 2))
    client_marks = ", ".join(next(places) for _ in range(clients))
    columns = ", ".join(f'"{c}"' for c in columns_of(model))
    partition = ", ".join(f'"{c}"' for c in (window.owner, *window.partition))
    direction = "DESC" if window.newest_first else "ASC"
    return (
        f"SELECT {columns}, position FROM (SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY"
        f' {partition} ORDER BY "{order_column}" {direction}, id {direction}) AS position'
        f' FROM {model._meta.db_table} WHERE "{window.owner}" IN ({client_marks})) AS numbered'
        f" WHERE position > {next(places)} AND position <= {next(places)}"
        f' ORDER BY "{window.owner}", position'
    )


async def windows_of(
    model: type[M], order_column: str, keys: Sequence[tuple[str, Window]]
) -> list[list[tuple[int, M]]]:
    """For each (client id, window): the client's rows in that window with their numbers, in
    order of `order_column`, then id. One query per distinct window (and per thousand
    clients)."""
    by_window: dict[Window, list[str]] = defaultdict(list)
    for client_id, window in keys:
        by_window[window].append(client_id)
    found: dict[tuple[str, Window], list[tuple[int, M]]] = defaultdict(list)
    for window, client_ids in by_window.items():
        clients = list(dict.fromkeys(client_ids))
        for start in range(0, len(clients), CLIENTS_PER_QUERY):
            chunk = clients[start : start + CLIENTS_PER_QUERY]
            sql = _window_sql(model, order_column, window, len(chunk))
            bounds = [window.skip, window.skip + window.take]
            rows = await model._meta.db.execute_query_dict(sql, [*chunk, *bounds])
            positions = [int(row.pop("position")) for row in rows]
            for position, row in zip(positions, as_models(model, rows), strict=True):
                found[(str(getattr(row, window.owner)), window)].append((position, row))
    return [found.get(key, []) for key in keys]


async def rows_after(
    model: type[M], time_column: str, client_id: str, last: M, first: int
) -> list[M]:
    """The client's next `first` rows after `last` (one of its rows), in order: a page asked
    after a cursor, which only one client's list carries."""
    at = getattr(last, time_column)
    later = Q(**{f"{time_column}__gt": at}) | Q(**{time_column: at, "id__gt": last.pk})
    query = model.filter(later, client_id=client_id).order_by(time_column, "id")
    return await query.limit(first)
