"""The triage desk: one durable entity workflow per clinic (id `triage-desk-<clinic>`).

Every desk change is an update with a validator, so a refused change never reaches history, and
every decision is made inside one workflow: two arrivals can never take the same turn. Handlers
decide synchronously and answer with the decision and the desk as it now stands (as the board
shows it: the clients still waiting, not every assignment of the day; `board_changes`).

The log reaches the read model through a regular activity, in batches, after the decisions are
committed, not through a local activity inside the update (the journey's pattern). Why: with
many concurrent updates on one workflow, Temporal may discard a workflow task after its local
activities ran, and a log written from one could then hold entries of a history that never
happened. This log must be append-only and true; it lags the answer by milliseconds. Each record
carries what changed on the desk since the one before, not the whole desk (`board_changes`).
Timers: the acceptance deadline of each pending assignment (the 10-minute rule: one hand-over,
then the supervisor) and midnight, when the clients still waiting are released, the day's counts
start again and the run continues as new carrying none of the day's assignments.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    # Every module that defines a payload dataclass is imported here by its full name: the
    # sandbox resolves the dataclasses' type hints in these modules, so it must know them.
    import domain.journey.facts
    import domain.journey.stages
    import domain.roles
    import domain.triage.batch
    import domain.triage.decision
    import domain.triage.notices
    import domain.triage.policy
    import domain.triage.revenue  # noqa: F401
    from domain.errors import DomainError, ValidationFailed
    from domain.errors import FieldProblemCode as Code
    from domain.triage import service
    from domain.triage.batch import ArrivalAnswer, ArriveBatch, arrive_together
    from domain.triage.board_changes import board_view
    from domain.triage.bounds import within_bounds
    from domain.triage.calendar import next_midnight
    from domain.triage.checks import (
        check_accept,
        check_arrive,
        check_order,
        check_override,
        check_seat,
    )
    from domain.triage.commands import (
        AcceptCommand,
        AnsweredDeskChange,
        ArriveCommand,
        DeskReply,
        OrderCommand,
        OverrideCommand,
        SeatCommand,
    )
    from domain.triage.desk import DeskState
    from domain.triage.entries import DeskEntry
    from domain.triage.ledger import expire_overdue, next_deadline
    from domain.triage.notices import JOURNEY_MOVED_SIGNAL, JourneyNotice, journey_moved
    from domain.triage.overrides import change_seat, set_order
    from workflows.desk_answers import DeskAnswers
    from workflows.desk_patches import (
        STAND_IN_KEEPS_OWNER,
        DeskHistory,
        emergency_route,
        other_drops_lead,
        stand_in_split,
    )
    from workflows.desk_records import RECORD_PAUSE, DeskRecorder
    from workflows.refusals import to_application_error

Command = TypeVar("Command")


def desk_workflow_id(clinic_id: str) -> str:
    return f"triage-desk-{clinic_id}"


@dataclass
class DeskStart:
    clinic_id: str
    timezone: str = "UTC"
    # Carried over by continue-as-new: the desk and the entries the read model has not seen.
    state: DeskState | None = None
    unrecorded: list[DeskEntry] = field(default_factory=list)
    # And the latest staff changes' answers, for their retries (`desk_answers`).
    answered: list[AnsweredDeskChange] = field(default_factory=list)


def _guarded(
    check: Callable[[DeskState, Command], None], desk: DeskState, command: Command
) -> None:
    try:
        check(desk, command)
    except DomainError as error:
        raise to_application_error(error) from None


def _bounded(command: Command) -> None:
    """Refuses a command past the desk's bounds: in validators only (handlers replay, and a run
    may hold larger input it accepted before the bounds existed)."""
    try:
        within_bounds(command)
    except DomainError as error:
        raise to_application_error(error) from None


@workflow.defn(name="TriageDesk")
class TriageDeskWorkflow(DeskHistory):
    @workflow.init
    def __init__(self, start: DeskStart) -> None:
        self._timezone = start.timezone
        self._desk = start.state or DeskState(clinic_id=start.clinic_id, day=self._local_day())
        self._records = DeskRecorder(start.unrecorded)
        self._answers = DeskAnswers(start.answered)
        self._changes = 0

    @workflow.run
    async def run(self, start: DeskStart) -> None:
        self._records.start()
        while True:
            if not await self._records.flush(self._desk):
                # The read model did not take the record: the desk goes on deciding, and its
                # deadlines, day and advice are looked at below before the record is sent again.
                await workflow.sleep(min(RECORD_PAUSE, self._time_to_next_timer()))
            elif not self._records.waiting:
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(
                        functools.partial(self._moved_since, self._changes),
                        timeout=self._time_to_next_timer(),
                    )
            now = workflow.now()
            once, skip = self._hand_over_once(now), self._skips_timed_out(now)
            overdue = expire_overdue(
                self._desk,
                now,
                hand_over_once=once,
                skip_timed_out=skip,
                alerts_bounded=self._alerts_bounded,
            )
            if overdue:
                self._record(overdue)
            if self._local_day() != self._desk.day:
                self._record(self._new_day(now))
                await self._records.flush(self._desk)
                await self._continue_as_new(start)
            if workflow.info().is_continue_as_new_suggested():
                await self._continue_as_new(start)

    def _moved_since(self, changes_seen: int) -> bool:
        return self._changes != changes_seen or bool(self._records.waiting)

    async def _continue_as_new(self, start: DeskStart) -> None:
        await workflow.wait_condition(workflow.all_handlers_finished)
        carried = DeskStart(
            start.clinic_id,
            start.timezone,
            self._desk,
            self._records.waiting,
            self._answers.to_carry(),
        )
        workflow.continue_as_new(carried)

    @workflow.update
    async def arrive(self, command: ArriveCommand) -> DeskReply:
        earlier = self._answers.from_earlier_run()
        if earlier is not None:
            return earlier
        once, bounded = self._alert_once(), self._alerts_bounded
        decision, entries = self._apply(
            lambda: service.arrive(
                self._desk,
                command,
                workflow.now(),
                alert_once=once,
                alerts_bounded=bounded,
                other_drops_lead=other_drops_lead,
                emergency_route=emergency_route,
                unplaced_cleared=self._unplaced_cleared,
            )
        )
        self._record(entries)
        seqs = [e.seq for e in entries]
        reply = DeskReply(self._desk.seq, decision, decision.consultant_id, seqs)
        self._answers.add(reply)
        return reply

    @arrive.validator
    def _validate_arrive(self, command: ArriveCommand) -> None:
        if self._answered_before():
            return
        _guarded(check_arrive, self._desk, command)
        _bounded(command)

    @workflow.update
    async def arrive_batch(self, batch: ArriveBatch) -> list[ArrivalAnswer]:
        """Arrivals that waited together at one API process, decided in one round, in order:
        one update (and one workflow task) for the lot instead of one each; emergencies first."""
        once = self._alert_once()
        answers, entries = arrive_together(
            self._desk,
            batch,
            workflow.now(),
            alert_once=once,
            alerts_bounded=self._alerts_bounded,
            other_drops_lead=other_drops_lead,
            emergency_route=emergency_route,
            unplaced_cleared=self._unplaced_cleared,
        )
        self._record(entries)
        return answers

    @arrive_batch.validator
    def _validate_batch(self, batch: ArriveBatch) -> None:
        if not batch.commands:
            none = ValidationFailed.one("arrivals", "no arrivals to decide", Code.REQUIRED)
            raise to_application_error(none)
        # The API bounds each arrival before it queues, so one past a bound came from another
        # caller (or an API older than the bounds); the whole round is refused with it.
        for command in batch.commands:
            _bounded(command)

    @workflow.update
    async def accept(self, command: AcceptCommand) -> DeskReply:
        if self._answered_before():
            return self._earlier_reply()
        asked = (self._emergency_cleared, self._unplaced_cleared, self._unaccepted_cleared)
        entries = self._apply(lambda: service.take(self._desk, command, workflow.now(), *asked))
        return await self._reply(entries)

    @accept.validator
    def _validate_accept(self, command: AcceptCommand) -> None:
        if self._answered_before():
            return
        _guarded(check_accept, self._desk, command)

    @workflow.update
    async def change_seat(self, command: SeatCommand) -> DeskReply:
        if self._answered_before():
            return self._earlier_reply()

        def apply() -> list[DeskEntry]:
            check_seat(self._desk, command)
            return [change_seat(self._desk, command, workflow.now())]

        return await self._reply(self._apply(apply))

    @change_seat.validator
    def _validate_seat(self, command: SeatCommand) -> None:
        if self._answered_before():
            return
        _guarded(check_seat, self._desk, command)
        _bounded(command)

    @workflow.update
    async def set_order(self, command: OrderCommand) -> DeskReply:
        if self._answered_before():
            return self._earlier_reply()

        def apply() -> list[DeskEntry]:
            check_order(self._desk, command)
            return [set_order(self._desk, command, workflow.now())]

        return await self._reply(self._apply(apply))

    @set_order.validator
    def _validate_order(self, command: OrderCommand) -> None:
        if self._answered_before():
            return
        _guarded(check_order, self._desk, command)

    @workflow.update
    async def override(self, command: OverrideCommand) -> DeskReply:
        if self._answered_before():
            return self._earlier_reply()
        now = workflow.now()
        once = self._hand_over_once(now)
        entries = self._apply(
            lambda: service.override(
                self._desk,
                command,
                now,
                hand_over_once=once,
                skips_timed_out=lambda: self._skips_timed_out(now),
                alerts_bounded=self._alerts_bounded,
                stand_in_kept=lambda: workflow.patched(STAND_IN_KEEPS_OWNER),
                stand_in_split=stand_in_split,
                vip_cleared=self._vip_cleared,
                unaccepted_cleared=self._unaccepted_cleared,
            )
        )
        return await self._reply(entries)

    @override.validator
    def _validate_override(self, command: OverrideCommand) -> None:
        if self._answered_before():
            return
        _guarded(check_override, self._desk, command)
        _bounded(command)

    @workflow.signal(name=JOURNEY_MOVED_SIGNAL)
    def journey_moved(self, notice: JourneyNotice) -> None:
        """A journey's consultant acted, the journey ended or the supervisor moved it to another
        consultant: the 10-minute rule stops for it, and her alerts leave the board (a recheck's
        once her treating doctor or nurse has her; an emergency placed anew once her new
        consultant acts, or her journey ends). A signal, not an update: a journey tells its
        desk, and waits for no answer."""
        asked = (self._emergency_cleared, self._unplaced_cleared, self._unaccepted_cleared)
        moved = (
            self._journey_followed,
            self._reassigned_emergency_cleared,
            self._journey_followed_again,
            self._reassigned_emergency_ended_cleared,
            self._journey_taken_followed,
        )
        entries = journey_moved(self._desk, notice, workflow.now(), *asked, *moved)
        if entries:
            self._record(entries)

    @workflow.query
    def desk(self) -> DeskState:
        return self._desk

    @workflow.query
    def answered_in_earlier_run(self, update_id: str) -> bool:
        """Whether a run this one continues took the update `update_id` and answered it."""
        return self._answers.answered_earlier(update_id)

    def _apply(self, change: Callable[[], Command]) -> Command:
        # Re-checked in the handler: an update accepted just before may have changed the desk.
        try:
            return change()
        except DomainError as error:
            raise to_application_error(error) from None

    async def _reply(self, entries: list[DeskEntry]) -> DeskReply:
        self._record(entries)
        seqs = [e.seq for e in entries]
        reply = DeskReply(self._desk.seq, entries=seqs, state=board_view(self._desk))
        self._answers.add(reply)
        return reply

    def _answered_before(self) -> bool:
        """Whether an earlier run answered the update being validated or handled: its retry is
        answered as it was then, whatever the desk allows now, and changes nothing."""
        return self._answers.from_earlier_run() is not None

    def _earlier_reply(self) -> DeskReply:
        earlier = self._answers.from_earlier_run()
        assert earlier is not None
        return replace(earlier, state=board_view(self._desk))

    def _record(self, entries: list[DeskEntry]) -> None:
        self._records.waiting.extend(entries)
        self._changes += 1

    def _time_to_next_timer(self) -> timedelta:
        now = workflow.now()
        midnight = next_midnight(now, self._timezone)
        deadline = next_deadline(self._desk)
        due = min(deadline, midnight) if deadline else midnight
        # A zero timeout means "none": a deadline already past fires within a second.
        return max(due - now, timedelta(seconds=1))
