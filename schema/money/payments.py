"""`recordPayment`: a payment on the journey, against its confirmed bill, with a receipt.

The journey decides first (its validator refuses a payment the stage or the bill does not
allow); once it accepted, the payment row and its receipt number are written, once per
idempotency key (the row's id is derived from it). Without `billId` the payment is against the
final plan's price, as before itemised bills: it still gets its receipt.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails
from domain.journey.stages import PaymentKind, PaymentMethod
from domain.journey.table import Action
from domain.money.payments import BillState, payment_problems
from domain.store import records
from domain.store.billing import Bill as BillRow
from domain.store.billing import BillConfirmation, Payment
from domain.store.billing_reads import current_bill
from domain.store.models import Journey as JourneyRow
from domain.store.receipts import NewPayment
from domain.store.receipts import record_payment as write_payment
from schema import idempotency
from schema.body import check_currency, record_body, to_minor_units
from schema.context import Context
from schema.errors import from_domain, not_authorized
from schema.ids import decode_id
from schema.journeys.actions import (
    AfterAccepted,
    JourneyResult,
    load_visible_journey,
    run_action,
    run_recorded_action,
)
from schema.money.bill_types import BILL_ID_TYPE
from schema.money.common import billing_settings
from schema.text import check_text


@strawberry.input(description="A payment at the cash desk.")
class RecordPaymentInput:
    journey_id: strawberry.ID
    amount: Decimal
    currency: str
    method: PaymentMethod
    kind: PaymentKind
    receipt_number: str | None = None
    bill_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The journey's confirmed bill (`createBill`, `confirmBill`); the payment is "
        "checked against what it still owes. Without it: against the final plan's price.",
    )
    idempotency_key: str | None = idempotency.key_field()


async def _bill_problems(
    journey: JourneyRow, input: RecordPaymentInput, amount_minor: int
) -> tuple[BillRow | None, list[FieldProblem]]:
    row = await BillRow.get_or_none(
        id=decode_id(input.bill_id or "", BILL_ID_TYPE) or "", journey_id=journey.id
    )
    if row is None:
        return None, [FieldProblem("billId", "not a bill of this journey")]
    current = await current_bill(journey.id)
    if current is None or current.id != row.id:
        return None, [FieldProblem("billId", "a newer bill replaced this one")]
    if not await BillConfirmation.exists(bill_id=row.id):
        return None, [FieldProblem("billId", "the client has not confirmed the bill")]
    if input.currency != row.currency:
        return None, [FieldProblem("currency", f"the bill is in {row.currency}")]
    payments = await Payment.filter(bill_id=row.id)
    state = BillState(
        total=row.total_minor,
        paid=sum(p.amount_minor for p in payments),
        kinds=frozenset(PaymentKind(p.kind) for p in payments),
    )
    return row, payment_problems(state, input.kind, amount_minor)


async def record_payment(info: Info[Context, None], input: RecordPaymentInput) -> JourneyResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    problems: list[FieldProblem] = []
    check_currency("currency", input.currency, problems)
    amount_minor = to_minor_units("amount", input.amount, problems)
    problems += check_text("receiptNumber", input.receipt_number, required=False, limit=100)
    bad_key = records.key_problem(idempotency.key_of(input))
    journey = await load_visible_journey(info, input.journey_id)
    if problems or amount_minor is None or bad_key or journey is None:
        # The shared path answers each of these (a bad key, an unknown journey) as for any step.
        return await run_recorded_action(info, input, Action.RECORD_PAYMENT, problems=problems)
    details = ActionDetails(
        amount_minor=amount_minor, currency=input.currency, payment_kind=input.kind
    )
    # Claimed before the bill is judged: a retry of a payment that went through answers it,
    # though the bill, paid since, would refuse the same payment now.
    ledger = await idempotency.claim(info, actor.user_id, input)
    bill = None
    settled = idempotency.answered(ledger) is not None or idempotency.reused(ledger)
    if input.bill_id is not None and not settled:
        bill, found = await _bill_problems(journey, input, amount_minor)
        if found:
            return from_domain(DomainValidationFailed(found))
    if bill is not None:
        details.bill_total_minor = bill.total_minor
        details.payment_policy = (await billing_settings(journey.clinic_id)).payment_policy
    payment_id = idempotency.derived_id(actor.user_id, input, "payment") or str(uuid.uuid4())
    return await run_action(
        info,
        input,
        Action.RECORD_PAYMENT,
        details,
        record_kind="payment",
        record_body=record_body(input),
        claimed=ledger,
        after_accepted=_writer(payment_id, input, bill, amount_minor, actor.user_id),
    )


def _writer(
    payment_id: str,
    input: RecordPaymentInput,
    bill: BillRow | None,
    amount_minor: int,
    account_id: str,
) -> AfterAccepted:
    async def write(journey: JourneyRow) -> None:
        await write_payment(
            NewPayment(
                payment_id=payment_id,
                clinic_id=journey.clinic_id,
                journey_id=journey.id,
                client_id=journey.client_id,
                bill_id=bill.id if bill else None,
                kind=input.kind.value,
                method=input.method.value,
                amount_minor=amount_minor,
                currency=input.currency,
                recorded_by=account_id,
            )
        )

    return write
