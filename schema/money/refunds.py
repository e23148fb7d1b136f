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

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, ClassVar

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode, FieldProblem
from domain.journey.codec import facts_from_json
from domain.journey.facts import ActionDetails, JourneyFacts
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.money.hundredths import (
    FINER_THAN_HUNDREDTHS,
    as_hundredths,
    hundredths_problem,
)
from domain.money.money import Money as MoneyValue
from domain.money.money import MoneyError
from domain.money.refund_kinds import RefundKind, kind_meant
from domain.roles import Role
from domain.store import records
from domain.store.billing import Payment as PaymentRow
from domain.store.billing import Refund as RefundRow
from domain.store.billing_reads import payment_minor
from domain.store.models import Journey as JourneyRow
from domain.store.refund_turns import refund_turn
from domain.store.refund_writes import (
    MAX_REFUNDS_PER_PAYMENT,
    OverRefund,
    TooManyRefunds,
    too_many_refunds,
    write_refund,
)
from schema import idempotency
from schema.audit.collector import note_write
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    Unavailable,
    ValidationFailed,
    not_authorized,
    not_found,
)
from schema.ids import decode_id, encode_id
from schema.journeys.actions import JourneyPayload, ran_on, run_action
from schema.journeys.steps_in_flight import step_on_journey
from schema.journeys.types import Journey
from schema.money.bill_types import PAYMENT_ID_TYPE, Refund
from schema.money.common import billing_settings, invalid, read_money
from schema.money.types import MoneyInput
from schema.text import check_text
from schema.update_ids import update_taken

log = logging.getLogger(__name__)


@strawberry.input(description="Money given back against one payment.")
class RecordRefundInput:
    payment_id: strawberry.ID = strawberry.field(
        description=f"The payment (`Payment.id`); one given back {MAX_REFUNDS_PER_PAYMENT} "
        "times already takes no more (`ValidationFailed` on `paymentId`)."
    )
    amount: MoneyInput = strawberry.field(
        description="In the payment's currency; at most what the payment has left. A payment "
        "without a bill is given back to two decimal places at most, as it was taken."
    )
    reason: str = strawberry.field(description="Why (at most 500 characters).")
    kind: RefundKind | None = strawberry.field(
        default=None,
        description="What the money given back means for the bill: REVERSAL undoes the "
        "payment, and an installment it paid is owed again (before the treatment a correction: "
        "the journey goes on); WITHDRAWAL, only before the treatment (else `ValidationFailed` "
        "on `kind`), is the client withdrawing, part of what was paid given back or all of it, "
        "and ends the journey as REFUNDED; GOODWILL, only once the treatment began (else "
        "`ValidationFailed` on `kind`), is not asked for again (`Bill.outstanding` does not "
        "rise, no installment falls late for it). None: WITHDRAWAL before the treatment, "
        "REVERSAL after it. Part of what the key stands for: the same key with another kind "
        "is a `Conflict`.",
    )
    idempotency_key: str | None = idempotency.key_field()
    # A key claimed before `kind` existed digested a refund without one: sent with none, the
    # digest is as it was then (`domain.idempotency.LEFT_OUT_AT`). Any kind named is part of it,
    # REVERSAL too: before the treatment none means WITHDRAWAL, so the two are other requests.
    digest_leaves_out: ClassVar[dict[str, tuple[str | None, ...]]] = {"kind": (None,)}


@strawberry.type(description="The refund entry and the journey after it.")
class RefundPayload:
    refund: Refund = strawberry.field(description="The new entry; the payment is unchanged.")
    journey: Journey = strawberry.field(
        description="REFUNDED when the client withdrew before the treatment; otherwise where it "
        "was (a correction before the treatment, any refund after it)."
    )


RefundResult = Annotated[
    RefundPayload
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | Unavailable,
    strawberry.union("RefundResult", description="Given back, or why not."),
]


async def _payload(refund_id: str, locale: str) -> RefundPayload | ValidationFailed:
    row = await RefundRow.get_or_none(id=refund_id)
    if row is None:  # its journey step was taken, and another refund had taken the money first
        return invalid([FieldProblem("amount.amount", TAKEN_FIRST)])
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
        problems.append(FieldProblem("amount.amount", "more than zero"))
    if amount is not None and payment.bill_id is None:
        # Given back as the payment was taken: in hundredths (0.125 KWD of 1.25 is refused).
        finer = hundredths_problem(amount.amount, amount.currency)
        problems += [FieldProblem("amount.amount", finer)] if finer else []
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
    refusal = await _refusal(payment, amount, claims.role, input.kind)
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
        # Other refunds wait for this entry (`_journey_refund_being_written`); one past that wait
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
            return invalid([FieldProblem("amount.amount", str(over))])
        except TooManyRefunds as many:
            return invalid([FieldProblem("paymentId", str(many))])
        return None

    if before_treatment and not Stage(journey.stage).is_terminal:
        # The journey's own step (validated and serialised by the journey); the entry is written
        # once the journey accepted, as a signature is.
        action = _JourneyStep(encode_id("Journey", journey.id), input.idempotency_key)
        counted = _in_the_journeys_unit(facts, amount)
        if counted is None:
            return invalid([FieldProblem("amount.amount", FINER_THAN_HUNDREDTHS)])
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
        ended = await _ended_since(journey, outcome)
        if ended is None:
            return outcome
        # Another request ended the journey since it was read (a refund sent at once, most
        # often): this one is judged as a refund of the ended journey, as its retry would be.
        journey = ended
    if (
        before_treatment
        and await _journey_refund_being_written(journey)
        and not await _own_step_ended_it(claims.account_id, input, ledger, info, journey)
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


async def _ended_since(journey: JourneyRow, refused: object) -> JourneyRow | None:
    """The journey as it is now, when its step was refused because the journey ended before its
    treatment since it was read; None when it was refused for anything else."""
    if not isinstance(refused, TransitionNotAllowed):
        return None
    now = await JourneyRow.get(id=journey.id)
    if not Stage(now.stage).is_terminal or facts_from_json(now.facts).treatment_started:
        return None
    return now


# The journey's refund step writes its refund row right after the step: within seconds, unless
# its request died in between (its retry then writes it, by the branch below, as any other).
JOURNEY_REFUND_WRITTEN_WITHIN = timedelta(seconds=60)


async def _journey_refund_being_written(journey: JourneyRow) -> bool:
    """Whether another request's refund step has just ended the journey (REFUNDED) and its row
    is not written yet. A refund written now could take that one's money first: the step's own
    write would then find nothing left, after the journey had ended for it."""
    if journey.stage != Stage.REFUNDED.value:
        return False
    ended_at = facts_from_json(journey.facts).stage_entered_at
    if ended_at is None or datetime.now(UTC) - ended_at > JOURNEY_REFUND_WRITTEN_WITHIN:
        return False
    # A correction's row before it does not count: it left the journey going on.
    corrections = RefundKind.REVERSAL.value
    return not await RefundRow.exists(
        journey_id=journey.id, before_treatment=True, kind__not=corrections
    )


async def _own_step_ended_it(
    account_id: str,
    input: RecordRefundInput,
    ledger: records.KeyClaim | None,
    info: Info[Context, None],
    journey: JourneyRow,
) -> bool:
    """Whether this very request's refund step ended the journey (its entry then lost): its
    retry writes the entry, and is not told another refund is being recorded. Temporal not
    saying raises `JourneyUnavailable`: answered `Unavailable` (`schema.unanswered`), and a later
    retry writes its entry."""
    key = input.idempotency_key
    if key is None or ledger is None or not idempotency.unfinished(ledger):
        return False
    return await update_taken(account_id, key, ledger, ran_on(info, journey.id))


TAKEN_FIRST = "another refund of this payment was recorded first"
WITHDRAWAL_BEFORE_TREATMENT = (
    "a client withdraws before the treatment; once it began, money given back is a REVERSAL or "
    "GOODWILL"
)
GOODWILL_AFTER_TREATMENT = (
    "GOODWILL is given back once the treatment began; before it, the client withdraws "
    "(WITHDRAWAL) or a payment is corrected (REVERSAL)"
)


def _in_the_journeys_unit(facts: JourneyFacts, amount: MoneyValue) -> int | None:
    """The refund as the journey counts what was paid (`JourneyFacts.paid_minor`): at the
    currency's minor units once a payment named a bill, in hundredths before (as the plan's
    price). None: finer than hundredths, which such a journey cannot count."""
    if facts.bill_total_minor is not None:
        return amount.minor
    try:
        return as_hundredths(amount.minor, amount.currency)
    except MoneyError:
        return None


@dataclass
class _JourneyStep:
    """What the journey's step needs of the refund: which journey, under which key."""

    journey_id: str
    idempotency_key: str | None


async def _refusal(
    payment: PaymentRow, amount: MoneyValue, role: Role, kind: RefundKind | None
) -> ValidationFailed | NotAuthorized | None:
    earlier = await RefundRow.filter(payment_id=payment.id)
    left = payment_minor(payment) - sum(r.amount_minor for r in earlier)
    problems = []
    if amount.minor > left:
        shown = MoneyValue.from_minor(left, payment.currency).amount
        problems.append(FieldProblem("amount.amount", f"at most {shown} is left to refund"))
    too_many = too_many_refunds(len(earlier))
    if too_many is not None:
        problems.append(FieldProblem("paymentId", too_many))
    journey = await JourneyRow.get(id=payment.journey_id)
    started = facts_from_json(journey.facts).treatment_started
    if kind is RefundKind.GOODWILL and not started:
        problems.append(FieldProblem("kind", GOODWILL_AFTER_TREATMENT))
    if kind is RefundKind.WITHDRAWAL and started:
        problems.append(FieldProblem("kind", WITHDRAWAL_BEFORE_TREATMENT))
    if problems:
        return invalid(problems)
    if started and role is not Role.SUPERVISOR:
        return not_authorized("after the treatment began only a supervisor gives money back")
    return None
