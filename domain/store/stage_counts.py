"""The board's per-stage counters, kept in the projection's transaction (its stays:
`store.stage_stays`).

A journey row adds (1 active, 1 stuck if stuck) to the counter of its clinic and stage while it
is active, and nothing once it reaches a terminal stage. The projection reads the row before
writing it and applies the difference to the counters in the same transaction, so a counter
moves exactly when the row does: a change projected twice stops at the event's (journey, seq)
check before reaching here, and an older change arriving after a newer one leaves the row, and
so the counters, alone.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from domain.store.models import Journey, JourneyStageCount
from domain.store.one_trip import Plan, Unread, drive
from domain.store.sql import is_postgres, marks

Key = tuple[str, str]  # (clinic id, stage)
Pair = tuple[int, int]  # (active, stuck)

# One statement inserts the missing counters and adds to the ones there are (SQLite and
# PostgreSQL share the syntax; only the bind-parameter markers differ: $1 against ?). It takes
# their rows in the order of its VALUES, and on PostgreSQL their row locks make concurrent
# writers add one after the other.
_ADD = (
    "INSERT INTO journey_stage_count (clinic_id, stage, active, stuck) VALUES {} "
    "ON CONFLICT (clinic_id, stage) DO UPDATE SET "
    "active = journey_stage_count.active + excluded.active, "
    "stuck = journey_stage_count.stuck + excluded.stuck"
)


COUNTERS_PER_STATEMENT = 1000  # 4 parameters each: well inside both databases' bound


@functools.cache
def _add(postgres: bool, counters: int) -> str:
    values = marks(postgres, 4 * counters)
    rows = ", ".join(f"({', '.join(values[n : n + 4])})" for n in range(0, len(values), 4))
    return _ADD.format(rows)


# The board in one round trip: the clinic's counters, then the median stay in each stage over
# the stays that ended since the day's start (the middle one, or the mean of the two middle
# ones, as `statistics.median`), read through the index on (clinic_id, ended_at, stage,
# seconds) alone. The database sorts a busy day's thousands of stays; nine medians travel.
BOARD_SQL = """
SELECT stage, active, stuck, NULL AS median FROM journey_stage_count WHERE clinic_id = {clinic}
UNION ALL
SELECT stage, NULL, NULL, AVG(seconds) FROM (
    SELECT stage, seconds,
           ROW_NUMBER() OVER (PARTITION BY stage ORDER BY seconds) AS place,
           COUNT(*) OVER (PARTITION BY stage) AS stays
    FROM stage_stay WHERE clinic_id = {clinic} AND ended_at >= {since}
) ranked WHERE place IN ((stays + 1) / 2, (stays + 2) / 2) GROUP BY stage
"""


def contribution(clinic_id: str, stage: str, active: bool, stuck: bool) -> dict[Key, Pair]:
    """What one journey row adds to the counters."""
    return {(clinic_id, stage): (1, int(stuck))} if active else {}


def differences(before: dict[Key, Pair], after: dict[Key, Pair]) -> list[tuple[Key, Pair]]:
    """The non-zero changes from `before` to `after`, in key order."""
    found = []
    for key in sorted(before.keys() | after.keys()):
        (a0, s0), (a1, s1) = before.get(key, (0, 0)), after.get(key, (0, 0))
        if (a1 - a0, s1 - s0) != (0, 0):
            found.append((key, (a1 - a0, s1 - s0)))
    return found


def counters_moved(postgres: bool, changes: list[tuple[Key, Pair]]) -> Plan[None]:
    """Applies `changes` in key order, in one statement per `COUNTERS_PER_STATEMENT` (a step
    moves two at most; a repair may move thousands): two transactions moving journeys between
    the same two stages lock the counters in one order, so they wait for each other instead of
    deadlocking."""
    ordered = sorted(changes)
    for start in range(0, len(ordered), COUNTERS_PER_STATEMENT):
        rows = ordered[start : start + COUNTERS_PER_STATEMENT]
        values = [v for (clinic_id, stage), pair in rows for v in (clinic_id, stage, *pair)]
        yield Unread(_add(postgres, len(rows)), values)


async def add_to_counters(connection: BaseDBAsyncClient, changes: list[tuple[Key, Pair]]) -> None:
    """`counters_moved`, inside the caller's transaction."""
    await drive(connection, counters_moved(is_postgres(connection), changes))


async def counted(clinic_id: str | None = None) -> dict[Key, Pair]:
    """The counters as the journey rows say they should be (a full count: for checks only)."""
    query = Journey.filter(active=True)
    if clinic_id is not None:
        query = query.filter(clinic_id=clinic_id)
    rows = (
        await query.annotate(n=Count("id"))
        .group_by("clinic_id", "stage", "stuck")
        .values_list("clinic_id", "stage", "stuck", "n")
    )
    active: Counter[Key] = Counter()
    stuck: Counter[Key] = Counter()
    for clinic, stage, is_stuck, n in rows:
        active[(clinic, stage)] += n
        stuck[(clinic, stage)] += n if is_stuck else 0
    return {key: (active[key], stuck[key]) for key in active}


async def kept(clinic_id: str | None = None) -> dict[Key, Pair]:
    """The counters there are, leaving out the ones at zero (stages emptied, repaired)."""
    query = JourneyStageCount.filter(Q(active__not=0) | Q(stuck__not=0))
    if clinic_id is not None:
        query = query.filter(clinic_id=clinic_id)
    rows = await query.values_list("clinic_id", "stage", "active", "stuck")
    return {(clinic, stage): (active, stuck) for clinic, stage, active, stuck in rows}


@dataclass(frozen=True)
class CounterDrift:
    clinic_id: str
    stage: str
    kept: Pair
    counted: Pair


async def check_counters(clinic_id: str | None = None, *, repair: bool) -> list[CounterDrift]:
    """Compares the counters with a count of the journey rows; with `repair`, sets them to it.

    The counters are locked for the comparison (PostgreSQL: against writers; SQLite's
    transactions take the write lock anyway): a projection that wrote its journey row but not yet
    its counters is not in the count, and adds its difference after the repair commits.
    """
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_script("LOCK TABLE journey_stage_count IN EXCLUSIVE MODE")
        real, stored = await counted(clinic_id), await kept(clinic_id)
        drift = [
            CounterDrift(key[0], key[1], stored.get(key, (0, 0)), real.get(key, (0, 0)))
            for key in sorted(real.keys() | stored.keys())
            if real.get(key, (0, 0)) != stored.get(key, (0, 0))
        ]
        if repair:
            await add_to_counters(connection, differences(stored, real))
    return drift


async def board(clinic_id: str, since: datetime) -> tuple[dict[str, Pair], dict[str, float]]:
    """The clinic's counters by stage, and the median stays that ended since `since`."""
    db = connections.get("default")
    postgres = db.capabilities.dialect == "postgres"
    sql = BOARD_SQL.format(
        **({"clinic": "$1", "since": "$2"} if postgres else {"clinic": "?1", "since": "?2"})
    )
    _, rows = await db.execute_query(sql, [clinic_id, since.astimezone(UTC)])
    counts, medians = {}, {}
    for stage, active, stuck, median in rows:
        if median is None:
            counts[stage] = (int(active), int(stuck))
        else:
            medians[stage] = float(median)
    return counts, medians
