"""Exactly once per idempotency key, checked the same way for every mutation that writes.

`Sweep.check` sends one request the way a client retrying hard would: twice at once with one key
(c), once more after both were answered (a), and once with the same key and a changed input (b).
Every attempt of the request must get the first answer, the changed one a `Conflict`, and the
database must hold the rows of one write: every table counted (and the tables a mutation
rewrites read whole) before, between and after the attempts.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_non_null_type,
)
from tortoise import Tortoise
from tortoise.expressions import Q

from domain.aftercare.tasks import TaskKind
from domain.journey.facts import SYSTEM_ACTOR
from domain.journey.table import Action
from domain.permissions import may_read
from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import decode_id
from tests.api.exactly_once_rows import ROWS, Row
from tests.api.flow import new_key

Send = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
Settle = Callable[[], Awaitable[None]]
# Who read or wrote which client's data, in which request: every attempt is a request of its
# own, so each is audited (the trail would hide a retry's access otherwise).
NOT_COUNTED = frozenset({"AuditEntry", "AuditChainHead"})
# A table whose rows a request adds only once, whatever its attempts: one row unless its row in
# `ROWS` says how many one request adds.
ONE_WRITE = 1
# What a changed input the checks refuse answers under a fresh key: its shape refused, or
# what it names (an id made longer) found nowhere.
REFUSED = frozenset({"ValidationFailed", "NotFound"})
# The key's own row: every request writes it; it says nothing of the request's work.
LEDGER = "IdempotencyKey"
# Tables a journey's timers write to at any moment (a follow-up falling due: its event and its
# call's task). A request naming a journey counts that journey's rows only; one naming none
# counts none of them, unless its row says it adds some; neither counts those timers wrote
# (`TIMERS_OWN`), of any journey.
TIMER_WRITTEN = frozenset({"JourneyEvent", "FollowUpTask"})
# The rows a journey's own timers write, told by what they are: the system's event of a
# follow-up falling due or of a stage's time running out, and a call's task (written only as its
# follow-up falls due). The canary's second call falls due during its survey's check, say.
TIMER_ACTIONS = (Action.FOLLOW_UP_DUE.value, Action.MARK_STUCK.value)
TIMERS_OWN = {
    "JourneyEvent": (
        f"NOT (actor_id = '{SYSTEM_ACTOR.user_id}' AND action IN ('"
        + "', '".join(TIMER_ACTIONS)
        + "'))"
    ),
    "FollowUpTask": f"kind <> '{TaskKind.FOLLOW_UP_CALL.value}'",
}


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    contents: dict[str, str]

    def added(self, before: Snapshot) -> dict[str, int]:
        return {
            table: count - before.counts.get(table, 0)
            for table, count in self.counts.items()
            if count != before.counts.get(table, 0)
        }


async def _newest(twice: dict[str, int], journey_id: str | None = None) -> str:
    """The journey events written twice (of the named journey, when one is), to tell a
    request's own from another's."""
    if twice.get("JourneyEvent", 0) <= 0:
        return ""
    # As `snapshot` counts them: no timer's event, and only the named journey's.
    timers = Q(actor_id=SYSTEM_ACTOR.user_id, action__in=TIMER_ACTIONS)
    events = JourneyEvent.filter(~timers)
    if journey_id is not None:
        events = events.filter(journey_id=journey_id)
    rows = await events.order_by("-id").limit(twice["JourneyEvent"])
    return ": " + ", ".join(f"{r.journey_id}#{r.seq} {r.action} by {r.actor_role}" for r in rows)


def _where(name: str, model: Any, journey_id: str | None, clinics: frozenset[str]) -> str:
    """The rows of `name` the sweep counts: its timers' rows left out (`TIMER_WRITTEN`), and of
    a table that names a clinic, the sweep's clinics' rows only (all when it names none). Other
    tests' clinics may still be at work on the same database (a desk handing journeys over, a
    timer falling due): their rows are not the request's. The ids come from the sweep's own
    input, never an answer."""
    conditions = []
    if name in TIMER_WRITTEN:
        conditions.append(TIMERS_OWN[name])
        if journey_id is not None:
            conditions.append(f"journey_id = {_quoted(journey_id)}")
    if clinics and _names_a_clinic(model):
        conditions.append(f"clinic_id IN ({', '.join(map(_quoted, sorted(clinics)))})")
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _names_a_clinic(model: Any) -> bool:
    return "clinic_id" in model._meta.fields_db_projection.values()


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _tables() -> dict[str, str]:
    """Every table of the read model, by model name."""
    return {
        name: model._meta.db_table
        for name, model in Tortoise.apps["models"].items()
        if name not in NOT_COUNTED
    }


async def snapshot(
    read_whole: tuple[str, ...] = (),
    journey_id: str | None = None,
    uncounted: frozenset[str] = frozenset(),
    clinics: frozenset[str] = frozenset(),
) -> Snapshot:
    """Each table's row count (one query) but `uncounted`'s, and a digest of each table in
    `read_whole`. The rows a journey's timers write never count: a timer landing meanwhile,
    this journey's or another's, is not the request's; given the journey a request names, only
    that journey's rows of those tables count. Given clinics, a table naming clinics is counted
    and read for those clinics only."""
    models = Tortoise.apps["models"]
    tables = _tables()
    names = sorted(set(tables) - uncounted)
    counts = ", ".join(
        f'(SELECT COUNT(*) FROM "{tables[name]}"'
        f"{_where(name, models[name], journey_id, clinics)}) AS c{i}"
        for i, name in enumerate(names)
    )
    connection = Tortoise.get_connection("default")
    (row,) = (await connection.execute_query(f"SELECT {counts}"))[1]
    values = list(dict(row).values())
    contents = {}
    for name in read_whole:
        model = models[name]
        whole = model.all()
        if clinics and _names_a_clinic(model):
            whole = whole.filter(clinic_id__in=clinics)
        rows = await whole.order_by(model._meta.pk_attr).values()
        body = json.dumps(rows, default=str, sort_keys=True).encode()
        contents[name] = hashlib.sha256(body).hexdigest()
    return Snapshot(dict(zip(names, (int(v) for v in values), strict=True)), contents)


def _id_selection(schema: GraphQLSchema, type_: Any, role: Role | None, depth: int = 0) -> str:
    """`__typename`, the ids, and the ids of the objects a payload names (what a retry must be
    told again), of every member the role may read."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLUnionType):
        parts = [f"... on {m.name} {_id_selection(schema, m, role, depth)}" for m in named.types]
        return (
            "{ __typename " + " ".join(p for p in parts if not p.endswith("{ __typename }")) + " }"
        )
    assert isinstance(named, GraphQLObjectType)
    parts = ["__typename"]
    for name, definition in named.fields.items():
        if any(is_non_null_type(a.type) for a in definition.args.values()):
            continue
        if not may_read(named.name, name, role):
            continue
        inner = get_named_type(definition.type)
        if inner.name == "ID":
            parts.append(name)
        elif depth < 1 and isinstance(inner, GraphQLObjectType | GraphQLUnionType):
            nested = _id_selection(schema, inner, role, depth + 1)
            if "id" in nested.split() or "... on" in nested:
                parts.append(f"{name} {nested}")
    return "{ " + " ".join(parts) + " }"


def id_selection(schema: GraphQLSchema, mutation: str, role: Role | None) -> str:
    """The selection, inside the mutation's union, of every id its answers carry."""
    assert schema.mutation_type is not None
    selection = _id_selection(schema, schema.mutation_type.fields[mutation].type, role)
    return selection.removeprefix("{ __typename ").removesuffix(" }")


@dataclass
class Sweep:
    """What was checked of which mutation, and every way a mutation fell short of the bar."""

    # Waits until what the requests so far wrote after their answers is written (the desk's
    # read model follows its answers a moment later).
    settle: Settle | None = None
    # The clinics whose requests are swept (the day's own, and one it creates): other clinics'
    # rows are not counted. None named: every row is.
    clinics: set[str] = field(default_factory=set)
    checked: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    async def _snapshot(self, row: Row, journey_id: str | None) -> Snapshot:
        if self.settle is not None:
            await self.settle()
        uncounted = TIMER_WRITTEN - set(row.adds) if journey_id is None else frozenset()
        return await snapshot(row.rewrites, journey_id, uncounted, frozenset(self.clinics))

    def problem(self, mutation: str, text: str) -> None:
        self.problems.append(f"{mutation}: {text}")

    async def check(self, mutation: str, send: Send, input: dict[str, Any]) -> dict[str, Any]:
        """Sends the request as (c), (a) and (b) describe; answers its first answer."""
        row = ROWS[mutation]
        input = {**input, "idempotencyKey": input.get("idempotencyKey") or new_key()}
        named = input.get("journeyId")
        journey_id = decode_id(named, "Journey") if isinstance(named, str) else None
        before = await self._snapshot(row, journey_id)
        # (c) two attempts at once
        first, second = await asyncio.gather(send(input), send(input))
        raced = await self._snapshot(row, journey_id)
        # (a) once more, after both were answered
        retried = await send(input)
        after_retry = await self._snapshot(row, journey_id)
        # (b) the same key with another input
        changed = await send(row.change(input))
        after_change = await self._snapshot(row, journey_id)

        written = raced.added(before)
        twice = {t: n for t, n in written.items() if n > row.adds.get(t, ONE_WRITE)}
        if twice:
            events = await _newest(twice, journey_id)
            self.problem(mutation, f"two attempts at once wrote {twice}{events}")
        if (
            not set(written) - {LEDGER}
            and raced.contents == before.contents
            and not row.audited_only
        ):
            self.problem(mutation, "wrote nothing: the sweep did not see its write")
        if first != second:
            self.problem(mutation, f"attempts at once answered {first} and {second}")
        if retried != first:
            self.problem(mutation, f"the retry answered {retried}, the first {first}")
        if after_retry.added(raced) or after_retry.contents != raced.contents:
            again = after_retry.added(raced)
            self.problem(mutation, f"the retry wrote {again}{await _newest(again, journey_id)}")
        if changed.get("__typename") != "Conflict":
            self.problem(mutation, f"another input under the key answered {changed}")
        if after_change.added(after_retry) or after_change.contents != after_retry.contents:
            self.problem(
                mutation, f"another input under the key wrote {after_change.added(after_retry)}"
            )
        self.checked[mutation] = {"race", "retry", "conflict"}
        await self._refused_too(mutation, send, row.change(input), after_change, journey_id)
        return first

    async def _refused_too(
        self,
        mutation: str,
        send: Send,
        changed: dict[str, Any],
        before: Snapshot,
        journey_id: str | None,
    ) -> None:
        """(d) The changed input made one the checks refuse as well, in each of the row's ways:
        under the key a `Conflict` still (the key stands for the first request, whichever check
        refuses this one), under a fresh key the refusal. Neither writes anything."""
        row = ROWS[mutation]
        for way, refuse in row.refusals(changed).items():
            refused = refuse(changed)
            under_key = await send(refused)
            fresh = await send({**refused, "idempotencyKey": new_key()})
            if under_key.get("__typename") != "Conflict":
                self.problem(mutation, f"another input, {way}, under the key answered {under_key}")
            if fresh.get("__typename") not in ({"NotAuthorized"} if row.signs_out else REFUSED):
                self.problem(mutation, f"another input, {way}, under a fresh key: {fresh}")
            self.checked[mutation].add(way)
        after = await self._snapshot(row, journey_id)
        if after.added(before) or after.contents != before.contents:
            self.problem(mutation, f"refused inputs wrote {after.added(before)}")
