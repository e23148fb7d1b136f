"""Keys given by a migration to the clients already there (`client_match_key` is append-only:
a migration only adds keys, each once per client)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import date
from typing import Any

from tortoise.migrations.operations import RunSQL

from domain.client_file.matching import clinic_country, name_key, phone_key
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


_PHONES = (
    "SELECT i.clinic_id, i.client_id, i.phone, k.timezone"
    f" FROM ({IDENTITIES}) i JOIN clinic k ON k.id = i.clinic_id"
    " WHERE i.phone IS NOT NULL"
)


class KeysBackfill(RunSQL, ABC):
    """Gives every identity version there is the keys `_keys` makes of it now: run again by each
    migration that changes how a key is made. Nothing to undo: no key is ever taken away. Each
    kind of key is a subclass (a phone's, a name's); this one alone cannot be made."""

    def __init__(self, forward: str) -> None:
        super().__init__(forward, "")
        self._forward = forward

    async def _run_sql(self, state_editor: Any, sqls: Any) -> None:
        if sqls != self._forward or state_editor.collect_sql:
            return  # backwards, or the SQLite script of a new database: no clients there
        await add_match_keys(state_editor, await self._keys(state_editor))

    @abstractmethod
    async def _keys(self, state_editor: Any) -> set[tuple[str, str, str]]:
        """(clinic id, key, client id) of every identity version there is."""


class PhoneKeysByCountry(KeysBackfill):
    """Each identity version's phone key as a registration makes it now
    (`domain.client_file.matching.phone_key`, in its clinic's country)."""

    async def _keys(self, state_editor: Any) -> set[tuple[str, str, str]]:
        values = set()
        for row in await state_editor.client.execute_query_dict(_PHONES):
            key = phone_key(row["phone"], clinic_country(row["timezone"]))
            if key is not None:
                values.add((row["clinic_id"], key, row["client_id"]))
        return values


class NameKeysComparable(KeysBackfill):
    """Each identity version's name key as a registration makes it now
    (`domain.client_file.matching.name_key`)."""

    async def _keys(self, state_editor: Any) -> set[tuple[str, str, str]]:
        values = set()
        for row in await state_editor.client.execute_query_dict(IDENTITIES):
            born = row["birth_date"]  # SQLite hands a date back as text
            born = born if isinstance(born, date) else date.fromisoformat(str(born)[:10])
            key = name_key(row["full_name"], born)
            if key is not None:
                values.add((row["clinic_id"], key, row["client_id"]))
        return values
