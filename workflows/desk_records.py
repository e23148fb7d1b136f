"""How the desk's log and board reach the read model: records, sent by a regular activity.

A record carries the log entries waiting and the desk after them, as a change of the board the
writer holds (`domain.triage.board_changes`): the assignments new or changed since the record
before, not every assignment of the day. One record per turn of the desk's run loop: a desk
changed faster than its records are written still looks at its deadlines, the day and Temporal's
advice to continue as new between two records (it used to send record after record until none
was waiting, and under a steady stream of changes never looked: its history outgrew Temporal's
limit and the server ended the run, the day's desk with it).

Desks whose run started before this (found by the `RECORDS_AS_CHANGES` patch) keep the old ways
until their run continues as new (at midnight, or when Temporal advises it): the whole desk in
every record, record after record, to the activity of the old name. A record that is a change
goes to an activity of its own name, so that a worker of the code before, during a rolling
deploy, never stores a change as the whole board.

A record whose activity failed (the writer refused it for good) stays waiting, and the desk goes
on: its loop looks at its deadlines, the day and the advice to continue as new, pauses, and sends
it again (the writer skips entries it holds). Before, such a failure ended the desk's run, and
the next change opened an empty desk. A read model that is down is still retried without end
while the loop waits (`RECORD_GIVE_UP`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, CancelledError

with workflow.unsafe.imports_passed_through():
    from domain.triage.board_changes import SentBoard
    from domain.triage.codec import desk_to_json
    from domain.triage.desk import DeskState
    from domain.triage.entries import DeskEntry

RECORD_DESK = "record_desk_changes"
RECORD_DESK_BOARD_CHANGES = "record_desk_board_changes"
RECORDS_AS_CHANGES = "desk-records-as-changes"
RECORD_TIMEOUT = timedelta(seconds=10)
RECORD_RETRIES = RetryPolicy(
    initial_interval=timedelta(milliseconds=100), maximum_interval=timedelta(seconds=10)
)
# How long one record may be tried, its retries included, before the desk's loop looks up: not
# yet. A worker of the code before this one ends the desk's run on a record that failed, and
# during a rolling deploy (or a roll-back) such a worker may be the one to hear of it: the
# give-up comes in a release after this one, once every worker tolerates a failed record.
RECORD_GIVE_UP: timedelta | None = None
# How long the loop waits after a record failed before sending again (a writer that refuses
# at once would otherwise be sent a record after record, without a pause).
RECORD_PAUSE = timedelta(seconds=10)


def hand_over_update_id(clinic_id: str, day: str, seq: int) -> str:
    """The journey update of a desk entry's hand-over: whoever sends it (the record's activity,
    or `autoAssign` mending a release the journey missed), the journey takes it once."""
    return f"desk-{clinic_id}-{day}-{seq}"


@dataclass
class DeskRecord:
    """What the read model receives: the new log entries and the desk after them.

    The desk travels as its JSON form (`desk_to_json`), the very shape the board stores. With
    `based_on` set it is a change of the board at that version (`board_changes`): only the
    assignments that are new or changed, and the keys of those gone (`dropped`). Records
    scheduled before these two fields existed carry the whole desk and read as such.
    """

    clinic_id: str
    entries: list[DeskEntry]
    state: dict[str, Any]
    based_on: int | None = None
    dropped: list[str] = field(default_factory=list)


class DeskRecorder:
    """The entries waiting for the read model, and the sending of them. Workflow code."""

    def __init__(self, waiting: list[DeskEntry]) -> None:
        self.waiting = list(waiting)
        self._board = SentBoard()
        self._as_changes = True
        self._owes_whole = False

    def start(self) -> None:
        """Called first in the run: decides, once per run, whether records go as changes."""
        self._as_changes = workflow.patched(RECORDS_AS_CHANGES)

    async def flush(self, desk: DeskState) -> bool:
        """Sends what is waiting: one record (all of them, one after another, in an older run).
        False when the record's activity failed: what was not written stays waiting.

        A writer whose board is not the one a change was made from (restored, or written by
        hand) answers `True`: the desk is then sent whole, at once, with no entries."""
        try:
            await self._flush(desk)
        except ActivityError as failure:
            if isinstance(failure.cause, CancelledError):
                raise
            workflow.logger.error(
                "desk of %s: %s entries not written to the read model, sent again in %s: %s",
                desk.clinic_id,
                len(self.waiting),
                RECORD_PAUSE,
                failure.cause or failure,
            )
            return False
        return True

    async def _flush(self, desk: DeskState) -> None:
        if not self._as_changes:
            await self._flush_whole(desk)
            return
        # Whether the desk owes its writer a whole desk: a change the board refused, whose whole
        # desk then failed, is sent again after the pause even if nothing else is waiting.
        if not self.waiting and not self._owes_whole:
            return
        batch = list(self.waiting)
        refused_change = await self._send_change(desk, batch)
        del self.waiting[: len(batch)]
        self._owes_whole = refused_change
        if refused_change:
            await self._send_change(desk, [])
            self._owes_whole = False

    async def _send_change(self, desk: DeskState, batch: list[DeskEntry]) -> bool:
        """Sends one record; whether it was a change the board refused (worth sending whole at
        once; a whole desk refused goes whole again with the next record)."""
        change = self._board.change(desk)
        record = DeskRecord(desk.clinic_id, batch, change.state, change.based_on, change.dropped)
        if await _send(RECORD_DESK_BOARD_CHANGES, record) is True:
            self._board.forget()
            return change.based_on is not None
        self._board.sent()
        return False

    async def _flush_whole(self, desk: DeskState) -> None:
        while self.waiting:
            batch = list(self.waiting)
            await _send(RECORD_DESK, DeskRecord(desk.clinic_id, batch, desk_to_json(desk)))
            del self.waiting[: len(batch)]


async def _send(activity: str, record: DeskRecord) -> Any:
    return await workflow.execute_activity(
        activity,
        record,
        start_to_close_timeout=RECORD_TIMEOUT,
        schedule_to_close_timeout=RECORD_GIVE_UP,
        retry_policy=RECORD_RETRIES,
    )
