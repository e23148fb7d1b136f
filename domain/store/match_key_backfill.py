"""Keys given by a migration to the clients already there (`client_match_key` is append-only:
a migration only adds keys, each once per client)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.store.append_only import POSTGRES

# Every identity version there is, as registered and as each amendment left it.
IDENTITIES = (
    "SELECT c.id AS client_id, c.clinic_id, c.birth_date, c.full_name, c.phone, c.email"
    " FROM client c"
    " UNION ALL SELECT c.id, c.clinic_id, c.birth_date, a.full_name, a.phone, a.email"
    " FROM client_identity_amendment a JOIN client c ON c.id = a.client_id"
)


async def add_match_keys(state_editor: Any, values: Iterable[tuple[str, str, str]]) -> None:
    """Adds each (clinic id, key, client id) the client does not hold yet, in the migration's
    connection; one it holds is skipped by the statement (the pair is unique)."""
    insert = (
        "INSERT INTO client_match_key (clinic_id, key, client_id) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING"
        if state_editor.DIALECT == POSTGRES
        else "INSERT OR IGNORE INTO client_match_key (clinic_id, key, client_id) VALUES (?, ?, ?)"
    )
    rows = [list(value) for value in sorted(set(values))]
    if rows:
        await state_editor.client.execute_many(insert, rows)
