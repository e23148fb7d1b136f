"""What a refund is judged on before its entry is written: what its payment has left, how often
it was given back, its kind against the treatment, the unit the journey counts it in, and the
journey's own refund step another request (or this one, before it died) took beside it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.codec import facts_from_json
from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.money.hundredths import as_hundredths
from domain.money.money import Money as MoneyValue
from domain.money.money import MoneyError
from domain.money.refund_kinds import RefundKind
from domain.roles import Role
from domain.store import records
from domain.store.billing import Payment as PaymentRow
from domain.store.billing import Refund as RefundRow
from domain.store.billing_reads import payment_minor
from domain.store.models import Journey as JourneyRow
from domain.store.refund_writes import too_many_refunds
from schema import idempotency
from schema.context import Context
from schema.errors import NotAuthorized, TransitionNotAllowed, ValidationFailed, not_authorized
from schema.journeys.actions import ran_on
from schema.money.common import invalid
from schema.money.refund_types import RecordRefundInput
from schema.update_ids import update_taken


async def ended_since(journey: JourneyRow, refused: object) -> JourneyRow | None:
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


async def journey_refund_being_written(journey: JourneyRow) -> bool:
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


async def own_step_ended_it(
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


def in_the_journeys_unit(facts: JourneyFacts, amount: MoneyValue) -> int | None:
    """The refund as the journey counts what was paid (`JourneyFacts.paid_minor`): at the
    currency's minor units once a payment named a bill, in hundredths before (as the plan's
    price). None: finer than hundredths, which such a journey cannot count."""
    if facts.bill_total_minor is not None:
        return amount.minor
    try:
        return as_hundredths(amount.minor, amount.currency)
    except MoneyError:
        return None


async def refund_refusal(
    payment: PaymentRow, amount: MoneyValue, role: Role, kind: RefundKind | None
) -> ValidationFailed | NotAuthorized | None:
    """Why the refund is not given back, judged on what the payment has left and how often it
    was given back, its kind against the treatment, and who gives it; None: it may be."""
    earlier = await RefundRow.filter(payment_id=payment.id)
    left = payment_minor(payment) - sum(r.amount_minor for r in earlier)
    problems = []
    if amount.minor > left:
        shown = MoneyValue.from_minor(left, payment.currency).amount
        problems.append(
            FieldProblem("amount.amount", f"at most {shown} is left to refund", Code.OUT_OF_RANGE)
        )
    too_many = too_many_refunds(len(earlier))
    if too_many is not None:
        problems.append(FieldProblem("paymentId", too_many, Code.TOO_MANY))
    journey = await JourneyRow.get(id=payment.journey_id)
    started = facts_from_json(journey.facts).treatment_started
    if kind is RefundKind.GOODWILL and not started:
        problems.append(FieldProblem("kind", GOODWILL_AFTER_TREATMENT, Code.NOT_ALLOWED_NOW))
    if kind is RefundKind.WITHDRAWAL and started:
        problems.append(FieldProblem("kind", WITHDRAWAL_BEFORE_TREATMENT, Code.NOT_ALLOWED_NOW))
    if problems:
        return invalid(problems)
    if started and role is not Role.SUPERVISOR:
        return not_authorized("after the treatment began only a supervisor gives money back")
    return None
