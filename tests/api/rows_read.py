"""Counts what the database hands back to the process: rows and bytes of every statement
reading a given table, on either database, wrapped where Tortoise runs a query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from tortoise import connections


@dataclass
class Reads:
    """The statements that named `table`, with the rows and bytes each returned."""

    table: str
    statements: list[str] = field(default_factory=list)
    rows: int = 0
    bytes: int = 0

    def add(self, sql: str, rows: Any) -> None:
        if self.table not in sql:
            return
        self.statements.append(sql)
        for row in rows:
            self.rows += 1
            values = row.values() if isinstance(row, dict) else tuple(row)
            self.bytes += sum(len(str(value)) for value in values if value is not None)

    def reset(self) -> None:
        self.statements.clear()
        self.rows = self.bytes = 0


def count_reads(monkeypatch: pytest.MonkeyPatch, table: str) -> Reads:
    """From here on, every statement naming `table` on the default connection's client class
    (the API server runs in the test's process) is counted."""
    reads = Reads(table)
    client = type(connections.get("default"))
    query, query_dict = client.execute_query, client.execute_query_dict

    async def counted(self: Any, sql: str, values: list[Any] | None = None) -> Any:
        affected, rows = await query(self, sql, values)
        reads.add(sql, rows)
        return affected, rows

    async def counted_dict(self: Any, sql: str, values: list[Any] | None = None) -> Any:
        rows = await query_dict(self, sql, values)
        reads.add(sql, rows)
        return rows

    monkeypatch.setattr(client, "execute_query", counted)
    monkeypatch.setattr(client, "execute_query_dict", counted_dict)
    return reads
