"""The journey workflow: one durable run per client visit, from reception to the last follow-up.

Staff actions arrive as the `act` update, a payment's correction as `correct_payment` (a name
of its own, which a worker of a release before refuses), a bill about to be made as `note_bill`
(`journey_bills`). Their validators ask the domain gate, so an illegal or unauthorised action
is refused before it reaches history. Accepted actions are
applied one at a time (a lock: a handler awaits the read-model write, and a second update must
not judge a state the first is about to change). One timer at a time wakes it for the next
follow-up falling due or the next SLA breach (`WakeTimer`: kept running across steps while it
fires early enough). Advised by Temporal, it continues as new between two steps (`journey_runs`):
a run takes a bounded number of updates, a journey as many steps as its clients need.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import functools
from collections.abc import Callable

from temporalio import workflow

from workflows.journey_bills import JourneyBills
from workflows.journey_changes import (
    CONTINUE_AS_NEW_WHEN_ADVISED,
    DEFER_ANY_WRITE_FAILURE,
    FALL_DUE_BEFORE_STAFF_ACTION,
    FOLLOW_UP_CALL_WINDOWS,
    FOLLOW_UP_CLINIC_ALLOWANCE,
    KEEP_RUNNING_TIMER,
    OPTIONAL_WITHDRAWAL_GOES_ON,
    PAYMENT_CHANGES,
    UPSERT_CHANGED_SEARCH_ATTRIBUTES,
    check_known,
)
from workflows.journey_drafts import settle
from workflows.journey_moments import (
    follow_up_fell_due,
    next_moment,
    sla_breached,
    time_to_next_timer,
)
from workflows.journey_opening import first_facts, opening_event
from workflows.journey_runs import AnsweredActions, next_run_start
from workflows.journey_visibility import JourneyVisibility
from workflows.journey_writes import write_deferred, written_at_once
from workflows.refusals import to_application_error
from workflows.wake_timer import WakeTimer

with workflow.unsafe.imports_passed_through():
    from domain.errors import DomainError, FieldProblem, NotAuthorized, ValidationFailed
    from domain.errors import FieldProblemCode as Code
    from domain.journey.access import check_action
    from domain.journey.effects import apply_action
    from domain.journey.facts import (
        SYSTEM_ACTOR,
        ActionRequest,
        ActionResult,
        DraftAnswer,
        DraftQuestion,
        JourneyChange,
        JourneyEvent,
        JourneyFacts,
        JourneyStart,
    )
    from domain.journey.rules import required_consents
    from domain.journey.stages import Stage
    from domain.journey.table import REQUESTABLE_BY_SYSTEM, Action
    from domain.journey.validation import (
        PAYMENT_CHECKS,
        check_on_admission,
        check_record_unused,
    )
    from domain.roles import Role


# The name of a payment's correction's update: its method's, `JourneyWorkflow.correct_payment`.
CORRECT_PAYMENT = "correct_payment"


def as_correction(request: ActionRequest) -> ActionRequest:
    """`request` as the correction of a payment, whatever its details say: sent as
    `correct_payment`, the update's name says it."""
    details = dataclasses.replace(request.details, corrects_a_payment=True)
    return dataclasses.replace(request, details=details)


@workflow.defn(name="Journey")
class JourneyWorkflow(JourneyBills):
    @workflow.init
    def __init__(self, start: JourneyStart) -> None:
        carried = start.carried
        self._facts = carried.facts if carried else first_facts(start)
        self._answered = AnsweredActions(carried.answered if carried else [])
        self._took_advice = False  # `_takes_advice_now`
        self._lock = asyncio.Lock()
        self._changes = 0
        self._unrecorded: list[JourneyChange] = []
        self._opened = False
        # Drafts carried by accepted actions not applied yet (they may wait for the lock), and
        # the opening record until `run` attaches it: never void while they are on the way.
        self._records_in_flight: set[str] = {start.record_id} if start.record_id else set()
        check_known(start.started_with_changes)
        self._started_with = frozenset(start.started_with_changes)
        self._visibility = JourneyVisibility(workflow.info().typed_search_attributes)

    @workflow.run
    async def run(self, start: JourneyStart) -> JourneyFacts:
        # Asked once, first: a journey started before the patch keeps its old waits to the end.
        keeps_timer = self._follows(KEEP_RUNNING_TIMER)
        if start.carried is None:  # a run continued as new opened nothing: the first one did
            async with self._lock:
                await self._record(opening_event(self._facts, start))
            self._records_in_flight.discard(start.record_id or "")
            if start.checked_in:
                await self._apply(ActionRequest(Action.CHECK_IN, start.started_by))
        self._opened = True
        self._visibility.after_opening(self._facts, self._upserts_only_changed)
        wake = WakeTimer()
        while not self._facts.stage.is_terminal or self._unrecorded:
            await self._flush_unrecorded()
            if self._advised_to_continue_as_new():
                await self._continue_as_new(start)
                continue  # not yet: a step came in meanwhile and is still to be written
            if keeps_timer:
                wake.arm(next_moment(self._facts))
                await workflow.wait_condition(functools.partial(self._woken, self._changes, wake))
                if wake.take_fired():
                    await self._on_timer()
                continue
            try:
                await workflow.wait_condition(
                    functools.partial(self._moved_since, self._changes),
                    timeout=time_to_next_timer(self._facts, workflow.now()),
                )
            except TimeoutError:
                await self._on_timer()
        wake.stop()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._facts

    def _advised_to_continue_as_new(self) -> bool:
        # The advice first: asking `patched` records a marker, which a run never advised must not.
        if not workflow.info().is_continue_as_new_suggested() or self._facts.stage.is_terminal:
            return False
        return CONTINUE_AS_NEW_WHEN_ADVISED in self._started_with or self._takes_advice_now()

    def _takes_advice_now(self) -> bool:
        """For a run that does not list the change: `patched`, under a name of this workflow
        task's own. `patched` keeps its first answer for a name for the rest of the run, and a
        run advised before this code was deployed replays "no" at each task where the code
        before was advised and did nothing; under one name it would never say yes again."""
        if not self._took_advice:
            task = workflow.info().get_current_history_length()
            self._took_advice = workflow.patched(f"{CONTINUE_AS_NEW_WHEN_ADVISED}@{task}")
        return self._took_advice

    async def _continue_as_new(self, start: JourneyStart) -> None:
        """Hands the journey to a new run (`journey_runs`) once no step is being applied and
        every change is written; returns if a step meanwhile left a change unwritten or ended
        the journey."""
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._unrecorded or self._facts.stage.is_terminal:
            return  # a step ended the journey meanwhile: it ends in this run, where it was ended
        # The new run's search attributes are this run's as they stand (the SDK's default).
        workflow.continue_as_new(next_run_start(start, self._facts, self._answered))

    def _follows(self, change: str, *, per_task: bool = False) -> bool:
        """Whether this run follows a code change (`journey_changes`): listed at its start, or
        else marked in its history, asked only where it matters. `per_task`: under a name of this
        task's own (`patched` keeps a first "no" for a name: see `_takes_advice_now`)."""
        if change in self._started_with:
            return True
        task = workflow.info().get_current_history_length()
        return workflow.patched(f"{change}@{task}" if per_task else change)

    def _moved_since(self, changes_seen: int) -> bool:
        return self._changes != changes_seen or bool(self._unrecorded)

    def _woken(self, changes_seen: int, wake: WakeTimer) -> bool:
        return self._moved_since(changes_seen) or wake.fired or self._advice_wakes()

    def _advice_wakes(self) -> bool:
        """Whether the advice to continue as new wakes the run by itself. Only in runs started
        with that change listed: a run that asks `patched` for it looks only where the code
        before woke anyway, so its history replays. Between steps is not enough for the others:
        a retry answered from an earlier run (`act`) changes nothing, yet counts as an update."""
        return (
            CONTINUE_AS_NEW_WHEN_ADVISED in self._started_with
            and workflow.info().is_continue_as_new_suggested()
        )

    @workflow.update
    async def act(self, request: ActionRequest) -> ActionResult:
        return await self._act(request)

    @workflow.update
    async def correct_payment(self, request: ActionRequest) -> ActionResult:
        """A refund before the treatment that corrects a payment taken in error (`recordRefund`
        with kind REVERSAL): counted, and the journey goes on. A step as `act` takes it, under a
        name of its own: a worker of a release before it has no handler for the name and refuses
        it before history (the API answers that the workers are being upgraded), where as `act`
        with `corrects_a_payment` it dropped the field it did not know and ended the journey as
        the client withdrawing."""
        return await self._act(as_correction(request))

    async def _act(self, request: ActionRequest) -> ActionResult:
        """A staff action the validator accepted (`act`, `correct_payment`)."""
        update = workflow.current_update_info()
        update_id = update.id if update else ""  # always set inside an update's handler
        answered = self._answered.from_earlier_run(update_id)
        if answered is not None:  # a retry of an action an earlier run of this journey applied
            return answered
        # Marked in the same workflow step in which the validator accepted the action, before
        # any wait: `settle_drafts` cannot void a draft that this action is about to attach.
        if request.record_id:
            self._records_in_flight.add(request.record_id)
        try:
            result = await self._apply(request)
        finally:
            self._records_in_flight.discard(request.record_id or "")
        self._answered.add(update_id, result)
        return result

    @workflow.update
    async def opened(self) -> ActionResult:
        """Answers once the opening events are in the read model (used with update-with-start)."""
        await workflow.wait_condition(lambda: self._opened)
        return ActionResult(
            stage=self._facts.stage, event_seq=self._facts.event_seq, record_id=None
        )

    @act.validator
    def _validate_act(self, request: ActionRequest) -> None:
        self._check_step(request)

    @correct_payment.validator
    def _validate_correction(self, request: ActionRequest) -> None:
        if request.action is not Action.REFUND:
            only = FieldProblem("action", "only a refund corrects a payment", Code.INVALID)
            refused = ValidationFailed([only])
            raise to_application_error(refused)
        self._check_step(as_correction(request))

    def _check_step(self, request: ActionRequest) -> None:
        """Refuses a step the journey does not take now, before history (the validators')."""
        update = workflow.current_update_info()
        if update is not None and self._answered.from_earlier_run(update.id) is not None:
            return  # answered as it was then (`act`), whatever the journey allows now
        try:
            if request.actor.role is Role.SYSTEM and request.action not in REQUESTABLE_BY_SYSTEM:
                raise NotAuthorized("system actions cannot be requested")
            facts = self._facts_by_the_clock()
            check_action(facts, request)
            check_on_admission(facts, request, len(self._records_in_flight))
            check_record_unused(self._facts, request.record_id)
        except DomainError as error:
            raise to_application_error(error) from None

    def _facts_by_the_clock(self) -> JourneyFacts:
        """The journey as the action will find it under the lock (`_apply`): with the
        follow-ups whose time has come fallen due, even if their timer's work is still queued."""
        if not self._follow_up_fell_due():
            return self._facts
        facts = copy.deepcopy(self._facts)
        apply_action(facts, ActionRequest(Action.FOLLOW_UP_DUE, SYSTEM_ACTOR), workflow.now())
        return facts

    @workflow.update
    def settle_drafts(self, question: DraftQuestion) -> DraftAnswer:
        """Reconciliation asks about drafts no event in the read model points at. Each one the
        journey attached, or an accepted action is about to attach, is named attached; every
        other one is void from now on (an action carrying it is refused), so the database may
        mark it void without guessing (`journey_drafts`)."""
        return settle(self._facts, self._records_in_flight, question)

    @workflow.query
    def facts(self) -> JourneyFacts:
        return self._facts

    @workflow.query
    def answered_in_earlier_run(self, update_id: str) -> bool:
        """Whether an earlier run took the update `update_id` (`JourneyGateway.update_ran`)."""
        return self._answered.from_earlier_run(update_id) is not None

    async def _apply(self, request: ActionRequest) -> ActionResult:
        async with self._lock:
            if self._follow_up_fell_due() and self._follows(FALL_DUE_BEFORE_STAFF_ACTION):
                await self._take_system_action(Action.FOLLOW_UP_DUE, self._follow_up_fell_due)
            # Re-checked under the lock: an update accepted just before may have moved the journey.
            try:
                check_action(self._facts, request)
                paying = request.action is Action.RECORD_PAYMENT
                for change, check in zip(PAYMENT_CHANGES, PAYMENT_CHECKS, strict=True):
                    if paying and self._follows(change, per_task=True):  # runs that follow it
                        check(self._facts, request)
            except DomainError as error:
                raise to_application_error(error) from None
            return await self._commit(
                request, any_withdrawal_declines=self._declines_as_before(request)
            )

    async def _apply_system(self, action: Action, still_wanted: Callable[[], bool]) -> None:
        """A timer's own action. Decided again under the lock: a staff update queued ahead of it
        may have moved or ended the journey, and then the timer has nothing left to do."""
        async with self._lock:
            await self._take_system_action(action, still_wanted)

    async def _take_system_action(self, action: Action, still_wanted: Callable[[], bool]) -> None:
        """The journey's own action, if still wanted and allowed; the caller holds the lock."""
        request = ActionRequest(action, SYSTEM_ACTOR)
        if not still_wanted():
            return
        try:
            check_action(self._facts, request)
        except DomainError:
            return
        await self._commit(request)

    def _declines_as_before(self, request: ActionRequest) -> bool:
        """Whether an optional consent's withdrawal declines, as in runs before the change."""
        return (
            request.action is Action.WITHDRAW_CONSENT
            and request.details.consent_kind not in required_consents(self._facts)
            and not self._facts.treatment_started
            and not self._follows(OPTIONAL_WITHDRAWAL_GOES_ON, per_task=True)
        )

    async def _commit(
        self, request: ActionRequest, *, any_withdrawal_declines: bool = False
    ) -> ActionResult:
        self._take_call_windows()
        request = self._with_clinic_allowance(request)
        # Applied in place: `check_action` has just passed under the lock, and should applying
        # fail all the same, the exception fails the workflow task, which drops this state.
        event = apply_action(
            self._facts, request, workflow.now(), any_withdrawal_declines=any_withdrawal_declines
        )
        await self._record(event)
        return ActionResult(stage=event.to_stage, event_seq=event.seq, record_id=event.record_id)

    async def _record(self, event: JourneyEvent) -> None:
        """Commits the change and writes it to the read model before the caller hears back."""
        if event.record_id:
            self._facts.attached_records.append(event.record_id)
        self._changes += 1
        self._visibility.upsert(
            self._facts, opened=self._opened, only_changed=self._upserts_only_changed
        )
        # A snapshot: the journey may move on while the change waits to be written.
        change = JourneyChange(event=event, facts=copy.deepcopy(self._facts))
        if self._unrecorded:  # keep the read model's order: older changes are still waiting
            self._unrecorded.append(change)
            return
        if not await written_at_once(change, self._defers_any_write_failure):
            self._unrecorded.append(change)

    def _take_call_windows(self) -> None:
        """Takes the handbook windows for a due call's stuck deadline from this step on
        (FOLLOW_UP_CALL_WINDOWS), kept in the journey's facts. Asked in the follow-up stage
        only, under a name of this task's own: a run started before the change replays "no" at
        each of its steps there, and takes the windows from its first step on this code."""
        if self._facts.follow_up_call_windows or self._facts.stage is not Stage.FOLLOW_UP:
            return
        self._facts.follow_up_call_windows = self._follows(FOLLOW_UP_CALL_WINDOWS, per_task=True)

    def _with_clinic_allowance(self, request: ActionRequest) -> ActionRequest:
        """The request, less the clinic's allowance it carries in a run that does not take it
        (FOLLOW_UP_CLINIC_ALLOWANCE): a handover a worker of the release before took without
        it replays so."""
        details = request.details
        if details.follow_up_allowance_seconds is None:
            return request
        if self._follows(FOLLOW_UP_CLINIC_ALLOWANCE):
            return request
        without = dataclasses.replace(details, follow_up_allowance_seconds=None)
        return dataclasses.replace(request, details=without)

    def _defers_any_write_failure(self) -> bool:
        return self._follows(DEFER_ANY_WRITE_FAILURE)

    async def _flush_unrecorded(self) -> None:
        await write_deferred(self._unrecorded)

    async def _on_timer(self) -> None:
        await self._apply_system(Action.FOLLOW_UP_DUE, self._follow_up_fell_due)
        await self._apply_system(Action.MARK_STUCK, self._sla_breached)

    def _follow_up_fell_due(self) -> bool:
        return follow_up_fell_due(self._facts, workflow.now())

    def _sla_breached(self) -> bool:
        return sla_breached(self._facts, workflow.now())

    def _upserts_only_changed(self) -> bool:
        return self._follows(UPSERT_CHANGED_SEARCH_ATTRIBUTES)
