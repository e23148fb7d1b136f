"""The audit trail as a Strawberry schema extension: what an operation read or changed of a
client's data is written to the clinic's audit chain, in one batch, before the answer leaves.

Queries and mutations are recorded when the operation ends; a subscription at each push (and a
query or mutation sent over a WebSocket at its one result). The entries name the viewer from the
token, taken when the operation starts, and the HTTP request id. A journey step appends what is
due when it settles its key, in the same trip (`entries_due`): its write and the journey its
answer is built from, which stand from then on as the write itself does; the end appends only
what the answer's fields read after them.

If the write fails the answer is withheld (the data was not released unrecorded): its data
becomes null and its error the usual "Unexpected error.". A mutation's change stands; retried
with its idempotency key it changes nothing and is answered (and recorded) again.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, NamedTuple, Protocol, runtime_checkable

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext, StreamExecutionResult

from domain.audit import Access, Viewer
from domain.store.audit_chain import append_accesses
from schema.audit.collector import AccessCollector, bind, bound_collector, unbind

log = logging.getLogger(__name__)
WITHHELD = "Unexpected error."


@runtime_checkable
class _Answer(Protocol):
    data: Any
    errors: list[GraphQLError] | None


def viewer_of(context: Any) -> Viewer | None:
    claims = getattr(context, "claims", None)
    if claims is None:
        return None
    return Viewer(
        actor_id=claims.account_id,
        actor_role=claims.role.value,
        clinic_id=claims.clinic_id,
        request_id=getattr(context, "request_id", None),
    )


class DueEntries(NamedTuple):
    """The running operation's entries so far, for a write that appends them in its own trip."""

    collector: AccessCollector
    viewer: Viewer
    accesses: list[Access]

    def written(self) -> None:
        """Appended: the operation's end writes only what is noted after them."""
        self.collector.written(self.accesses)


def entries_due(context: Any, *coming: Access) -> DueEntries | None:
    """What the operation's end would append if it came now, with `coming` (accesses the
    caller is about to note, in that order), for a write to append in its own trip: the same
    entries, in the same order on the chain. None with the trail off or no viewer."""
    collector, viewer = bound_collector(), viewer_of(context)
    if collector is None or viewer is None:
        return None
    return DueEntries(collector, viewer, collector.due_with(*coming))


class AuditTrail(SchemaExtension):
    """Pass the class: Strawberry makes one instance, and so one collector, per operation."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        self.collector = AccessCollector()
        self.viewer: Viewer | None = None

    async def on_operation(self) -> AsyncIterator[None]:
        token = bind(self.collector)
        try:
            yield
        finally:
            unbind(token)
        await self._record(self.execution_context.result)

    def on_execute(self) -> Iterator[None]:
        # Taken once the session check (an earlier extension) has run: a subscription outlives
        # its token, and its pushes still name the viewer it started with. A plain generator:
        # it awaits nothing, and Strawberry enters such a hook without an async context.
        self.viewer = viewer_of(self.execution_context.context)
        yield

    async def on_stream_result(self, result: StreamExecutionResult) -> AsyncIterator[None]:
        await self._record(result)
        yield

    async def _record(self, answer: object) -> None:
        accesses = self.collector.take()
        if not accesses or (isinstance(answer, _Answer) and answer.data is None):
            return  # nothing of a client's data leaves with this answer
        viewer = self.viewer or viewer_of(self.execution_context.context)
        try:
            if viewer is None:
                raise RuntimeError("client data was accessed without a signed-in viewer")
            await append_accesses(viewer, accesses)
        except Exception:
            log.exception("audit trail: %d access(es) not recorded; answer withheld", len(accesses))
            if isinstance(answer, _Answer):
                answer.data = None
                answer.errors = [GraphQLError(WITHHELD)]
