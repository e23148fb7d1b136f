"""`recordPayment`: a payment on the journey, against its confirmed bill, with a receipt.

The journey decides first (its validator refuses a payment the stage or the bill does not
allow); once it accepted, the payment row and its receipt number are written, once per
idempotency key (the row's id is derived from it). Once the journey has a bill, a payment names
it (`billId`) and the client has confirmed it (seed 003 §6.4-6.6: the client signs the itemised
bill and takes it to the cashier to pay). Without `billId`, on a journey with no bill, the
payment is against the final plan's price, as before itemised bills: it still gets its receipt.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.bill_notes import PAY_THE_BILL
from domain.journey.codec import facts_from_json
from domain.journey.facts import ActionDetails
from domain.journey.stages import PaymentKind, PaymentMethod
from domain.journey.table import Action
from domain.money import standing
from domain.money.installments import ScheduleStart, dues_of, schedule_problems
from domain.money.money import MAX_AMOUNT, Money, MoneyError, is_currency
from domain.money.payments import BillState, payment_problems
from domain.money.refund_kinds import RefundKind
from domain.store import records
from domain.store.billing import Bill as BillRow
from domain.store.billing import BillConfirmation, Payment, Refund
from domain.store.billing_reads import current_bill
from domain.store.installment_dues import write_dues
from domain.store.models import Journey as JourneyRow
from domain.store.receipts import NewPayment
from domain.store.receipts import record_payment as write_payment
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.body import check_currency, record_body, to_minor_units
from schema.clients.file_access import clinic_today, zone_of
from schema.context import Context
from schema.errors import from_domain, not_authorized
from schema.ids import decode_id
from schema.journeys.actions import (
    AfterAccepted,
    JourneyOutcome,
    JourneyPayload,
    JourneyResult,
    load_visible_journey,
    run_action,
    run_recorded_action,
    step_refusal,
)
from schema.journeys.steps_in_flight import step_on_journey
from schema.journeys.types import Journey
from schema.money.bill_types import BILL_ID_TYPE
from schema.money.common import billing_settings
from schema.text import check_text
from workflows.installment_client import start_installment_schedule


@strawberry.input(description="One installment of the plan: when it is due and how much.")
class InstallmentInput:
    due_on: date = strawberry.field(description="Due by the end of this day (clinic's zone).")
    amount: Decimal = strawberry.field(description="In the bill's currency.")


@strawberry.input(description="A payment at the cash desk.")
class RecordPaymentInput:
    journey_id: strawberry.ID
    amount: Decimal = strawberry.field(
        description="Against a bill: at most the currency's places of decimals. Without one, as "
        "the final plan's price: at most two, and no more than the currency has (whole yen)."
    )
    currency: str
    method: PaymentMethod
    kind: PaymentKind
    receipt_number: str | None = None
    bill_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The journey's confirmed bill (`createBill`, `confirmBill`); the payment is "
        "checked against what it still owes. Required once the journey has a bill; without "
        "one: against the final plan's price.",
    )
    schedule: list[InstallmentInput] | None = strawberry.field(
        default=None,
        description="With INSTALLMENT_PLAN against a bill: the installments after this first "
        "payment (together they make the bill). An installment not paid by the end of its day "
        "becomes a task the supervisor's cockpit counts.",
    )
    idempotency_key: str | None = idempotency.key_field()


async def _bill_problems(
    info: Info[Context, None],
    journey: JourneyRow,
    input: RecordPaymentInput,
    amount_minor: int,
    payment_id: str,
) -> tuple[BillRow | None, list[FieldProblem]]:
    row = await BillRow.get_or_none(
        id=decode_id(input.bill_id or "", BILL_ID_TYPE) or "", journey_id=journey.id
    )
    if row is None:
        return None, [FieldProblem("billId", "not a bill of this journey", Code.UNKNOWN_VALUE)]
    current = await current_bill(journey.id)
    if current is None or current.id != row.id:
        return None, [
            FieldProblem("billId", "a newer bill replaced this one", Code.NOT_ALLOWED_NOW)
        ]
    if not await BillConfirmation.exists(bill_id=row.id):
        return None, [
            FieldProblem("billId", "the client has not confirmed the bill", Code.NOT_ALLOWED_NOW)
        ]
    if input.currency != row.currency:
        return None, [FieldProblem("currency", f"the bill is in {row.currency}", Code.INCONSISTENT)]
    # Without this request's own payment: an attempt of it running beside this one may have
    # written it since this attempt looked, and the bill is judged as the first attempt judged it.
    payments = await Payment.filter(bill_id=row.id).exclude(id=payment_id)
    given_back = await Refund.filter(bill_id=row.id)
    state = BillState(
        total=row.total_minor,
        paid=standing.held(
            sum(p.amount_minor for p in payments), sum(r.amount_minor for r in given_back)
        ),
        goodwill=sum(r.amount_minor for r in given_back if r.kind == RefundKind.GOODWILL.value),
        kinds=frozenset(PaymentKind(p.kind) for p in payments),
        currency=row.currency,
    )
    problems = payment_problems(state, input.kind, amount_minor)
    if input.kind is PaymentKind.INSTALLMENT_PLAN:
        today = await clinic_today(info, journey.clinic_id)
        problems += _schedule_problems(input, row.total_minor, amount_minor, today)
    elif input.schedule is not None:
        problems.append(FieldProblem("schedule", "only with INSTALLMENT_PLAN", Code.INCONSISTENT))
    return row, problems


async def _bill_not_named(
    info: Info[Context, None], journey: JourneyRow, input: RecordPaymentInput
) -> JourneyOutcome | None:
    """The refusal of a payment that names no bill when the journey has one: before, it took
    the final plan's price beside a bill the client had not confirmed, for another amount. A
    bill made after this check is the journey's to refuse the payment for
    (`domain.journey.bill_notes`). A retry of a payment the journey took before this rule (its
    answer lost, its row still unwritten) goes on (None)."""
    if await current_bill(journey.id) is None:
        return None
    unnamed = from_domain(
        DomainValidationFailed([FieldProblem("billId", PAY_THE_BILL, Code.REQUIRED)])
    )
    return await step_refusal(info, input, unnamed)


def _minor(
    field: str, amount: Decimal, input: RecordPaymentInput, problems: list[FieldProblem]
) -> int | None:
    """Against a bill, at the currency's own minor units (as the bill is kept); without one,
    in hundredths, as the final plan's price is (`domain.money.hundredths`)."""
    if input.bill_id is None or not is_currency(input.currency):
        return to_minor_units(field, amount, input.currency, problems)
    try:
        money = Money(amount, input.currency)
    except MoneyError as error:
        too_much = amount.is_finite() and abs(amount) > MAX_AMOUNT
        code = Code.OUT_OF_RANGE if too_much else Code.BAD_FORMAT
        problems.append(FieldProblem(field, str(error), code))
        return None
    if money.amount <= 0:
        problems.append(FieldProblem(field, "the amount must be positive", Code.OUT_OF_RANGE))
    return money.minor


def _schedule(input: RecordPaymentInput, problems: list[FieldProblem]) -> list[tuple[date, int]]:
    dues = []
    for index, due in enumerate(input.schedule or []):
        minor = _minor(f"schedule[{index}].amount", due.amount, input, problems)
        dues.append((due.due_on, minor or 0))
    return dues


def _schedule_problems(
    input: RecordPaymentInput, total_minor: int, first_minor: int, today: date
) -> list[FieldProblem]:
    """`today`: the clinic's (an installment falls due at the end of its day there)."""
    problems: list[FieldProblem] = []
    dues = _schedule(input, problems)
    return problems or schedule_problems(total_minor, first_minor, dues, today)


async def record_payment(info: Info[Context, None], input: RecordPaymentInput) -> JourneyResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    problems: list[FieldProblem] = []
    # The bill's or the plan's currency, as kept (it may have been withdrawn since).
    check_currency("currency", input.currency, problems, kept=True)
    amount_minor = _minor("amount", input.amount, input, problems)
    problems += check_text("receiptNumber", input.receipt_number, required=False, limit=100)
    if input.bill_id is None and input.schedule:
        # Before, taken and dropped without a word: only a bill's installments are scheduled.
        problems.append(
            FieldProblem("schedule", "installments are scheduled against a bill", Code.INCONSISTENT)
        )
    bad_key = records.key_problem(idempotency.key_of(input))
    journey = await load_visible_journey(info, input.journey_id)
    if problems or amount_minor is None or bad_key or journey is None:
        # The shared path answers each of these (a bad key, an unknown journey) as for any step.
        return await run_recorded_action(
            info, input, Action.RECORD_PAYMENT, problems=problems, taken_is_done=False
        )
    # Counted before the key is claimed and the bill judged: at the bound, nothing is claimed
    # (`schema.journeys.steps_in_flight`).
    visible: JourneyRow = journey
    return await step_on_journey(
        info.context, journey.id, lambda: _record_counted(info, input, visible, amount_minor)
    )


async def _record_counted(
    info: Info[Context, None], input: RecordPaymentInput, journey: JourneyRow, amount_minor: int
) -> JourneyResult:
    """`recordPayment` of an input that passed its checks, once the journey's step is counted:
    the key's claim, the bill's checks, the journey's step and the payment's row."""
    actor = info.context.actor
    assert actor is not None  # `record_payment` answered a caller without one
    details = ActionDetails(
        amount_minor=amount_minor, currency=input.currency, payment_kind=input.kind
    )
    # Claimed before the bill is judged: a retry of a payment that went through answers it,
    # though the bill, paid since, would refuse the same payment now.
    ledger = await idempotency.claim(info, actor.user_id, input)
    payment_id = idempotency.derived_id(ledger, "payment") or str(uuid.uuid4())
    settled = idempotency.answered(ledger) is not None or idempotency.reused(ledger)
    # An unfinished first attempt may have written the payment: then its bill is the one.
    earlier = await Payment.get_or_none(id=payment_id)
    written = earlier is not None
    bill = await BillRow.get_or_none(id=earlier.bill_id) if earlier and earlier.bill_id else None
    if input.bill_id is None and not settled and not written:
        refused = await _bill_not_named(info, journey, input)
        if refused is not None:
            return refused
    if input.bill_id is not None and not settled and not written:
        bill, found = await _bill_problems(info, journey, input, amount_minor, payment_id)
        if found:
            return from_domain(DomainValidationFailed(found))
    after_treatment = facts_from_json(journey.facts).treatment_started
    writer = _writer(payment_id, input, bill, amount_minor, actor.user_id, info, after_treatment)
    if not settled and after_treatment:
        # The journey has moved past its payment (an installment, the rest of a bill after the
        # treatment): the payment is the bill's alone, judged again as it is written (payments
        # racing for what is left would each pass the check above); the journey is answered
        # as it stands.
        if bill is None and not written:
            return await run_recorded_action(info, input, Action.RECORD_PAYMENT, problems=[])
        try:
            await writer(journey, ledger)
        except DomainValidationFailed as refused:
            return from_domain(refused)
        note_write(info, journey.client_id)
        await idempotency.settle(actor.user_id, input, journey.id)
        return JourneyPayload(journey=Journey.from_row(journey))
    if bill is not None:
        details.bill_total_minor = bill.total_minor
        details.payment_policy = (await billing_settings(journey.clinic_id)).payment_policy
    return await run_action(
        info,
        input,
        Action.RECORD_PAYMENT,
        details,
        record_kind="payment",
        record_body=record_body(input),
        claimed=ledger,
        after_accepted=writer,
    )


def _writer(
    payment_id: str,
    input: RecordPaymentInput,
    bill: BillRow | None,
    amount_minor: int,
    account_id: str,
    info: Info[Context, None],
    within_bill: bool,
) -> AfterAccepted:
    """`within_bill`: the journey did not judge the payment; its bill does, as it is written."""

    async def write(journey: JourneyRow, _ledger: KeyClaim | None) -> None:
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
                within_bill=within_bill,
            )
        )
        if bill is not None and input.kind is PaymentKind.INSTALLMENT_PLAN:
            dues = _schedule(input, [])
            await write_dues(bill, dues)  # a racing attempt's dues are taken as written
            zone = await zone_of(info, journey.clinic_id)
            start = ScheduleStart(bill.id, bill.clinic_id, dues_of(amount_minor, dues, zone))
            gateway = info.context.gateway
            # Temporal not answering raises `JourneyUnavailable`: answered `Unavailable`
            # (`schema.unanswered`), the key open. The payment and its dues are written (the
            # journey took the step); the retry finds them and starts the schedule, or finds
            # it running.
            await start_installment_schedule(gateway.client, gateway.task_queue, start)

    return write
