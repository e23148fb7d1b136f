"""A journey paid by its bill or by its final plan's price, never both: the journey decides.

A payment on the plan's price (`recordPayment` with no bill) is the journey's step; a bill
(`createBill`) is a row the API writes under the journey's row lock. Each checked that the other
was not there, but neither check covered the other's write: a deposit checked before a first
bill was made was taken beside it, the client owing the bill and the deposit counted by none.
So the journey hears of a bill before its row is written (`note_bill`), and takes one or the
other, one step at a time: told of a bill, it refuses a payment that names none; paid on its
plan, it refuses the bill.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import FieldProblem, TransitionNotAllowed, ValidationFailed
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails, JourneyFacts
from domain.journey.stages import Stage

# A bill is made once the expert approved the final plan and before the treatment is paid for.
BILLABLE_STAGES = frozenset({Stage.CONSENT, Stage.PAYMENT})

# Seed 003 §6.4-6.6: the itemised bill is explained line by line, the client signs it, and the
# signed bill is what is paid.
PAY_THE_BILL = (
    "the journey has a bill: pay it, naming it in billId, once the client has confirmed it "
    "(confirmBill)"
)
PAID_ON_ITS_PLAN = (
    "a payment was taken on the final plan's price: the journey is paid by its plan, not a bill"
)
NOT_BILLABLE_NOW = "bills are made after the expert's approval, before payment"


@dataclass
class BillNote:
    """A bill about to be written for the journey (its id only: the bill is in the database)."""

    bill_id: str


def paid_on_its_plan(facts: JourneyFacts) -> bool:
    """Something is paid, and no payment named a bill: the plan's price is what is paid."""
    return facts.paid_minor > 0 and facts.bill_total_minor is None


def check_billable(facts: JourneyFacts) -> None:
    """Refuses a bill the journey, as it stands, takes no longer."""
    if facts.stage not in BILLABLE_STAGES:
        raise TransitionNotAllowed(NOT_BILLABLE_NOW)
    if paid_on_its_plan(facts):
        # A bill made after a deposit on the plan would not count it: owed twice over.
        raise ValidationFailed([FieldProblem("journeyId", PAID_ON_ITS_PLAN, Code.NOT_ALLOWED_NOW)])


def payment_beside_bill(facts: JourneyFacts, details: ActionDetails) -> list[FieldProblem]:
    """A payment naming no bill on a journey told of one: refused (its bill is what is paid)."""
    if facts.billed and details.bill_total_minor is None:
        return [FieldProblem("billId", PAY_THE_BILL, Code.REQUIRED)]
    return []
