"""Which tables a statement reads whole: the plan SQLite or PostgreSQL makes for it.

A read whose cost should follow the caller's clinic or page must find its rows through an
index; a table it reads whole costs what every clinic's rows cost. SQLite says so as `SCAN
<table>` in EXPLAIN QUERY PLAN. PostgreSQL picks a sequential scan of a small table even
where an index would do, so its plan is asked with sequential scans priced out
(`enable_seqscan = off`): a table still read whole then has no index for the statement (a
sequential scan, or an index walked end to end with no condition on it).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from domain.store.sql import is_postgres
from tests.sql_statements import Statement

_WHOLE_INDEX = ("Index Scan", "Index Only Scan")


async def tables_read_whole(statement: Statement, tables: Collection[str]) -> set[str]:
    """Those of `tables` (by name, as the statement names them) the statement reads whole."""
    text, values = statement
    if not is_postgres(connections.get("default")):
        db = connections.get("default")
        plan = await db.execute_query_dict(f"EXPLAIN QUERY PLAN {text}", values)
        scanned = {
            str(step["detail"]).split()[1] for step in plan if step["detail"].startswith("SCAN ")
        }
        return scanned & set(tables)
    async with in_transaction() as db:
        await db.execute_script("SET LOCAL enable_seqscan = off")
        rows = await db.execute_query_dict(f"EXPLAIN (FORMAT JSON) {text}", values)
    plan = rows[0]["QUERY PLAN"]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return {
        str(node["Relation Name"])
        for node in _nodes(plan[0]["Plan"])
        if node.get("Relation Name") in tables
        and (
            node["Node Type"] == "Seq Scan"
            or (node["Node Type"] in _WHOLE_INDEX and "Index Cond" not in node)
        )
    }


async def indexes_searched(statement: Statement, table: str) -> set[str]:
    """The indexes through which the statement finds `table`'s rows, by name (SQLite names a
    search by the primary key `INTEGER PRIMARY KEY`); PostgreSQL's plan asked as above."""
    text, values = statement
    db = connections.get("default")
    if not is_postgres(db):
        plan = await db.execute_query_dict(f"EXPLAIN QUERY PLAN {text}", values)
        found = set()
        for step in plan:
            words = str(step["detail"]).split()
            if words[:2] == ["SEARCH", table] and "INDEX" in words:
                found.add(words[words.index("INDEX") + 1])
            elif words[:2] == ["SEARCH", table]:
                found.add("INTEGER PRIMARY KEY")
        return found
    async with in_transaction() as db:
        await db.execute_script("SET LOCAL enable_seqscan = off")
        indexes = await db.execute_query_dict(
            "SELECT indexname FROM pg_indexes WHERE tablename = $1", [table]
        )
        rows = await db.execute_query_dict(f"EXPLAIN (FORMAT JSON) {text}", values)
    plan = rows[0]["QUERY PLAN"]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    names = {str(row["indexname"]) for row in indexes}
    return {str(node.get("Index Name")) for node in _nodes(plan[0]["Plan"])} & names


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


async def whole_reads(statements: list[Statement], tables: Collection[str]) -> list[str]:
    """Each of `statements` that reads any of `tables` whole, with those tables."""
    found = []
    for statement in statements:
        whole = await tables_read_whole(statement, tables)
        if whole:
            found.append(f"{sorted(whole)}: {statement[0]}")
    return found
