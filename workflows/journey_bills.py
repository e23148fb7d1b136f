"""The journey told of its bill (`note_bill`), before the API writes the bill's row. Workflow code.

A deposit on the plan's price is the journey's step and a bill a row under the journey's row
lock: no lock covers both, and each was taken beside the other (`domain.journey.bill_notes`).
Told under the journey's own lock, the one its steps are applied under, the journey takes one
or the other: a bill after a payment on the plan is refused, and so is a payment naming no bill
after the bill. Nothing is written to history but the update: a run that never heard of a bill
replays as it ran, and a bill told again (its request retried, or a newer bill replacing it) is
taken again, changing nothing.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

from workflows.refusals import to_application_error

with workflow.unsafe.imports_passed_through():
    from domain.errors import DomainError
    from domain.journey.bill_notes import BillNote, check_billable
    from domain.journey.facts import ActionResult, JourneyFacts


# The update's name: its method's, `JourneyBills.note_bill`.
NOTE_BILL = "note_bill"


class JourneyBills:
    """The journey workflow's `note_bill` update (`JourneyWorkflow` takes it from here)."""

    _facts: JourneyFacts
    _lock: asyncio.Lock

    @workflow.update
    async def note_bill(self, note: BillNote) -> ActionResult:
        # Under the lock: a payment the validator let through before may be about to apply.
        async with self._lock:
            self._check_billable()
            self._facts.billed = True
        return ActionResult(self._facts.stage, self._facts.event_seq, record_id=None)

    @note_bill.validator
    def _validate_bill(self, note: BillNote) -> None:
        self._check_billable()

    def _check_billable(self) -> None:
        try:
            check_billable(self._facts)
        except DomainError as error:
            raise to_application_error(error) from None
