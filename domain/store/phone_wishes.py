"""Whether staff may ask a client about her results by phone, from her service card's latest
PHONE_WISHES entry in force (seed 001): what her follow-up calls' tasks tell the caller.

An entry in force is neither corrected nor marked entered in error (`ServiceCardEntry.inForce`):
a correction is a new entry of the card pointing at the one it corrects, and it may name another
section, so a PHONE_WISHES entry corrected into a preference no longer speaks for her, and a
preference corrected into PHONE_WISHES does. Of those in force, the latest stated wins: a
correction says what she said when its chain's first entry was recorded, so an old wish
corrected after she stated a newer one does not overrule the newer one.

The section is read from the entry's body: a client's card is read through the index of her
entries by kind and time, and one statement answers every client of a page of tasks, one row
each at most, whatever the number of her entries."""

from __future__ import annotations

from typing import Any

from domain.client_file.kinds import EntryKind, ServiceCardSection
from domain.store.client_file import ClientEntry
from domain.store.sql import is_postgres, marks

# Parameters one statement sends (PostgreSQL takes at most 32,767 in a statement).
CLIENTS_PER_QUERY = 1000


def _field(postgres: bool, name: str) -> str:
    """The body's `name` as text on PostgreSQL (jsonb), as its JSON value on SQLite."""
    return f"e.body->>'{name}'" if postgres else f"json_extract(e.body, '$.{name}')"


def _latest_sql(postgres: bool, clients: int) -> str:
    """Each chain of her card (an entry and its corrections), from its first entry; of the
    chains' entries in force in PHONE_WISHES, the one whose chain began last."""
    places = iter(marks(postgres, clients + 2))
    client_marks = ", ".join(next(places) for _ in range(clients))
    kind, section = next(places), next(places)
    return (
        "WITH RECURSIVE chain(root_at, root_id, id) AS ("
        " SELECT recorded_at, id, id FROM client_entry"
        f" WHERE client_id IN ({client_marks}) AND kind = {kind} AND amends_id IS NULL"
        " UNION ALL SELECT chain.root_at, chain.root_id, c.id FROM chain"
        " JOIN client_entry c ON c.amends_id = chain.id)"
        f" SELECT client_id, asked FROM (SELECT e.client_id,"
        f" {_field(postgres, 'ask_about_results')} AS asked, ROW_NUMBER() OVER (PARTITION BY"
        " e.client_id ORDER BY chain.root_at DESC, chain.root_id DESC) AS position"
        " FROM chain JOIN client_entry e ON e.id = chain.id"
        f" WHERE {_field(postgres, 'section')} = {section}"
        " AND NOT EXISTS (SELECT 1 FROM client_entry c WHERE c.amends_id = e.id)"
        " AND NOT EXISTS (SELECT 1 FROM client_entry_error m WHERE m.entry_id = e.id))"
        " AS numbered WHERE position = 1"
    )


def _as_bool(value: Any) -> bool | None:
    """PostgreSQL gives the JSON value as text ('true'), SQLite as an integer (1)."""
    if value is None:
        return None
    return value in (True, 1, "true")


async def may_ask_about_results(client_ids: list[str]) -> list[bool | None]:
    """For each client, her latest PHONE_WISHES entry's answer; None when none is in force."""
    db = ClientEntry._meta.db
    postgres = is_postgres(db)
    unique = list(dict.fromkeys(client_ids))
    found: dict[str, bool | None] = {}
    for start in range(0, len(unique), CLIENTS_PER_QUERY):
        chunk = unique[start : start + CLIENTS_PER_QUERY]
        sql = _latest_sql(postgres, len(chunk))
        kind, section = EntryKind.SERVICE_CARD.value, ServiceCardSection.PHONE_WISHES.value
        for row in await db.execute_query_dict(sql, [*chunk, kind, section]):
            found[str(row["client_id"])] = _as_bool(row["asked"])
    return [found.get(client_id) for client_id in client_ids]
