"""`recordRefund`: money given back, as a new entry beside the payment (never an edit).

Before the treatment began a cashier may give money back, as the journey's own action (its
validator decides as for any step): the client withdrawing (WITHDRAWAL, or no kind) ends an
active journey as REFUNDED; a REVERSAL corrects a payment taken in error, and the journey counts
it and goes on. After the treatment began only a supervisor may, and the journey goes on. A
journey that already ended before treatment (cancelled with a deposit paid) just gets the
entry. Its `kind` says what the money given back means for the bill
(`domain.money.refund_kinds`): a REVERSAL is owed again; GOODWILL, once the treatment began, is
not asked for again. Refunds of one journey take its turn (`domain.store.refund_turns`) from
their checks to their row, so the journey and the books judge each on what the one before left.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from strawberry.types import Info

from domain.errors import ErrorCode, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.codec import facts_from_json
from domain.journey.facts import ActionDetails
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.money.hundredths import FINER_THAN_HUNDREDTHS, hundredths_problem
from domain.money.money import Money as MoneyValue
from domain.money.refund_kinds import RefundKind, kind_meant
from domain.store import records
from domain.store.billing import Payment as PaymentRow
from domain.store.billing import Refund as RefundRow
from domain.store.models import Journey as JourneyRow
from domain.store.refund_turns import refund_turn
from domain.store.refund_writes import OverRefund, TooManyRefunds, write_refund
from schema import idempotency
from schema.audit.collector import note_write
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import Conflict, ValidationFailed, not_authorized, not_found
from schema.ids import decode_id, encode_id
from schema.journeys.actions import JourneyPayload, run_action
from schema.journeys.steps_in_flight import step_on_journey
from schema.journeys.types import Journey
from schema.money.bill_types import PAYMENT_ID_TYPE, Refund
from schema.money.common import billing_settings, invalid, read_money
from schema.money.refund_checks import (
    TAKEN_FIRST,
    ended_since,
    in_the_journeys_unit,
    journey_refund_being_written,
    own_step_ended_it,
    refund_refusal,
)
from schema.money.refund_types import RecordRefundInput, RefundPayload, RefundResult
from schema.text import check_text

log = logging.getLogger(__name__)


async def _payload(refund_id: str, locale: str) -> RefundPayload | ValidationFailed:
    row = await RefundRow.get_or_none(id=refund_id)
    if row is None:  # its journey step was taken, and another refund had taken the money first
        return invalid([FieldProblem("amount.amount", TAKEN_FIRST, Code.NOT_ALLOWED_NOW)])
    journey = await JourneyRow.get(id=row.journey_id)
    return RefundPayload(refund=Refund.from_row(row, locale), journey=Journey.from_row(journey))


async def record_refund(info: Info[Context, None], input: RecordRefundInput) -> RefundResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    raw_id = decode_id(input.payment_id, PAYMENT_ID_TYPE)
    payment = await PaymentRow.get_or_none(id=raw_id or "", clinic_id=claims.clinic_id)
    if payment is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("payment")
        )
    problems: list[FieldProblem] = check_text("reason", input.reason, required=True, limit=500)
    amount = read_money("amount", input.amount, problems, payment.currency)
    if amount is not None and amount.is_zero:
        problems.append(FieldProblem("amount.amount", "more than zero", Code.OUT_OF_RANGE))
    if amount is not None and payment.bill_id is None:
        # Given back as the payment was taken: in hundredths (0.125 KWD of 1.25 is refused).
        finer = hundredths_problem(amount.amount, amount.currency)
        problems += [FieldProblem("amount.amount", finer, Code.BAD_FORMAT)] if finer else []
    bad_key = records.key_problem(idempotency.key_of(input))
    problems += [bad_key] if bad_key else []
    if problems or amount is None:
        return invalid(problems)
    # Counted on the payment's journey before the key is claimed: at the bound, nothing is
    # claimed (`schema.journeys.steps_in_flight`); a refund before the treatment is its step.
    given: MoneyValue = amount
    return await step_on_journey(
        info.context, payment.journey_id, lambda: _refund_in_turn(info, input, payment, given)
    )


async def _refund_in_turn(
    info: Info[Context, None], input: RecordRefundInput, payment: PaymentRow, amount: MoneyValue
) -> RefundResult:
    """`_refund_counted` in the journey's turn: from its checks of what the payment has left,
    through the journey's step, to its row (`domain.store.refund_turns`). Two corrections of
    one payment sent at once both passed the checks, the journey took both steps, and the
    second's row was refused: the journey counted as given back money the books still held."""
    async with refund_turn(payment.journey_id):
        return await _refund_counted(info, input, payment, amount)


async def _refund_counted(
    info: Info[Context, None], input: RecordRefundInput, payment: PaymentRow, amount: MoneyValue
) -> RefundResult:
    """`recordRefund` of an input that passed its checks, once its journey's step is counted."""
    claims = info.context.claims
    assert claims is not None  # `record_refund` answered a caller without one
    locale = (await billing_settings(claims.clinic_id)).locale
    # Claimed before the checks that depend on what was given back: a retry of a refund that
    # went through answers it, though nothing is left to refund now.
    ledger = await idempotency.claim(info, claims.account_id, input)
    refund_id = idempotency.derived_id(ledger, "refund") or str(uuid.uuid4())
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if idempotency.answered(ledger) is not None:
        return await _payload(refund_id, locale)
    if idempotency.unfinished(ledger) and await RefundRow.exists(id=refund_id):
        # This request's earlier attempt gave the money back (after its journey's step, when
        # there was one) and lost its answer: answer it, not count it against itself.
        await idempotency.settle(claims.account_id, input, refund_id)
        return await _payload(refund_id, locale)
    refusal = await refund_refusal(payment, amount, claims.role, input.kind)
    if refusal is not None:
        return refusal
    journey = await JourneyRow.get(id=payment.journey_id)
    facts = facts_from_json(journey.facts)
    before_treatment = not facts.treatment_started
    kind = kind_meant(input.kind, treatment_started=facts.treatment_started)
    # A correction on a journey going on; one that ended (cancelled) just gets the entry.
    active = not Stage(journey.stage).is_terminal
    corrects = before_treatment and active and kind is RefundKind.REVERSAL

    async def write(_: object = None) -> None:
        await write_refund(
            refund_id,
            payment,
            amount.minor,
            corrects=corrects,
            id=refund_id,
            clinic_id=payment.clinic_id,
            payment_id=payment.id,
            journey_id=payment.journey_id,
            client_id=payment.client_id,
            bill_id=payment.bill_id,
            amount_minor=amount.minor,
            currency=amount.currency,
            reason=input.reason,
            before_treatment=before_treatment,
            kind=kind.value,
            recorded_by=claims.account_id,
            recorded_role=claims.role.value,
            recorded_at=datetime.now(UTC),
        )
        note_write(info, payment.client_id)

    async def written_after_the_step(_: object, _ledger: object) -> None:
        # Other refunds wait for this entry (`journey_refund_being_written`); one past that wait
        # that took the money (or the payment's last refund) leaves this request answered as such
        # (`_payload`), not a fault.
        try:
            await write()
        except (OverRefund, TooManyRefunds):
            log.warning("refund %s: its step was taken, the money refunded first", refund_id)

    async def given_back_in_full() -> ValidationFailed | None:
        try:
            await write()
        except OverRefund as over:
            return invalid([FieldProblem("amount.amount", str(over), Code.OUT_OF_RANGE)])
        except TooManyRefunds as many:
            return invalid([FieldProblem("paymentId", str(many), Code.TOO_MANY)])
        return None

    if before_treatment and not Stage(journey.stage).is_terminal:
        # The journey's own step (validated and serialised by the journey); the entry is written
        # once the journey accepted, as a signature is.
        action = _JourneyStep(encode_id("Journey", journey.id), input.idempotency_key)
        counted = in_the_journeys_unit(facts, amount)
        if counted is None:
            return invalid([FieldProblem("amount.amount", FINER_THAN_HUNDREDTHS, Code.BAD_FORMAT)])
        details = ActionDetails(
            amount_minor=counted, currency=amount.currency, corrects_a_payment=corrects
        )
        outcome = await run_action(
            info,
            action,
            Action.REFUND,
            details,
            claimed=ledger,
            after_accepted=written_after_the_step,
        )
        if isinstance(outcome, JourneyPayload):
            return await _payload(refund_id, locale)
        assert not isinstance(outcome, ContraindicationFound)  # only startTreatment is gated
        ended = await ended_since(journey, outcome)
        if ended is None:
            return outcome
        # Another request ended the journey since it was read (a refund sent at once, most
        # often): this one is judged as a refund of the ended journey, as its retry would be.
        journey = ended
    if (
        before_treatment
        and await journey_refund_being_written(journey)
        and not await own_step_ended_it(claims.account_id, input, ledger, info, journey)
    ):
        return Conflict(
            code=ErrorCode.CONFLICT,
            message="the journey's own refund is being recorded: try again in a moment",
        )
    refused = await given_back_in_full()
    if refused is not None:
        return refused
    await idempotency.settle(claims.account_id, input, refund_id)
    return await _payload(refund_id, locale)


@dataclass
class _JourneyStep:
    """What the journey's step needs of the refund: which journey, under which key."""

    journey_id: str
    idempotency_key: str | None
