"""Answering follow-up tasks is a read of their clients' data, audited as other reads are.

A task names a client's journey and says what is happening in it: a complication reported, a low
survey score, a recheck booked, the calls and photos the procedure's plan asks for (the
procedure's own questions, a suture-removal photo). A `Journey` with no more than its stage is
audited when it is answered (`journey.read`); so is a task, under its own code, whether or not
the answer also selects its journey. The client is found through the task's journey (the task
row names no client): one query for a page of tasks, through the request's journey loader, which
the task's `journey` field reuses. Entries are noted, not written: the audit trail writes an
answer's (or a push's) in one batch, one per client."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.types import Info

from domain.audit import FOLLOW_UP_TASK_READ
from domain.store.aftercare import FollowUpTask as TaskRow
from schema.audit.collector import note_access
from schema.context import Context


async def note_task_reads(info: Info[Context, None], rows: Sequence[TaskRow]) -> None:
    """Each client the tasks are about, once, in the order the tasks name them."""
    journey_ids = list(dict.fromkeys(row.journey_id for row in rows))
    for journey in await info.context.loaders.journey.load_many(journey_ids):
        if journey is not None:
            note_access(journey.client_id, FOLLOW_UP_TASK_READ)
