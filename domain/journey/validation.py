"""Checks that an action carries what it needs, before the machine is asked."""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import Conflict, FieldProblem, TransitionNotAllowed, ValidationFailed
from domain.errors import FieldProblemCode as Code
from domain.journey.bill_notes import payment_beside_bill
from domain.journey.facts import ActionDetails, ActionRequest, JourneyFacts
from domain.journey.machine import fire, triggers_from
from domain.journey.stages import ExpertDecision, FollowUpOutcome, FollowUpStatus, PaymentKind
from domain.journey.table import ENDING_ACTIONS, Action

Problems = list[FieldProblem]

# 100 million in major units: no price or payment comes near it, and it bounds the arithmetic.
MAX_MINOR_UNITS = 10_000_000_000
# A journey's facts name every record it attached and travel whole in each step's change, each
# read-model row and each continue-as-new; Temporal refuses a payload over 2 MB (about 50,000
# ids), after which the journey could take no step at all. A year's journey keeps tens of
# records; a client repeating a step that keeps one (a consultation, a note) in a loop would
# reach the limit in hours and make every step of the journey slower on the way.
MAX_RECORDS_PER_JOURNEY = 1_000
# What a step carrying a record the journey attached or voided before is refused with (a
# retry of a refused step whose draft was voided since): each draft takes effect once, or never.
RECORD_ALREADY_USED = "this record was already attached or voided; write it again"
# Corrections of a journey's records, all records together. Each is up to 16 KB and is shown
# with its record in every read of the history, so their number is bounded as the records'
# is: a journey's history read whole stays a few MB at most. A year's journey needs a handful.
MAX_AMENDMENTS_PER_JOURNEY = 100


UNKNOWN = Code.UNKNOWN_VALUE


def _given(value: object, code: Code = Code.OUT_OF_RANGE) -> Code:
    """REQUIRED for a value not given at all, else `code`."""
    return Code.REQUIRED if value is None else code


def _assign(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if not d.consultant_id:
        out.append(FieldProblem("consultantId", "a consultant must be chosen", Code.REQUIRED))


def _expert_review(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if not d.expert_id:
        out.append(FieldProblem("expertId", "name the expert to review the plan", Code.REQUIRED))


def _approve(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if d.decision is not ExpertDecision.APPROVE:
        out.append(FieldProblem("decision", "approval expected", _given(d.decision, UNKNOWN)))
    if d.plan_total_minor is None or not 0 <= d.plan_total_minor <= MAX_MINOR_UNITS:
        needs = "the final plan needs a price of zero or more"
        out.append(FieldProblem("finalPlan.price", needs, _given(d.plan_total_minor)))
    if not d.currency:
        out.append(
            FieldProblem("finalPlan.currency", "the final plan needs a currency", Code.REQUIRED)
        )


def _consent(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if d.consent_kind is None:
        out.append(FieldProblem("kind", "say which consent is signed", Code.REQUIRED))
    elif d.consent_kind in facts.consents_signed:
        out.append(
            FieldProblem(
                "kind", f"{d.consent_kind.value} consent is already signed", Code.NOT_ALLOWED_NOW
            )
        )


def _withdrawal(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if d.consent_kind is None:
        out.append(FieldProblem("kind", "say which consent is withdrawn", Code.REQUIRED))
    elif d.consent_kind not in facts.consents_signed and _takes_withdrawals(facts):
        # None of any kind in force too: the state table's refusal of it ("no consent is in
        # force to withdraw") was another error for the same case, and the API answers it so
        # once the journey has ended (`domain.consent.after_journey.not_in_force`). A stage that
        # takes no withdrawal at all (before CONSENT, ended) still says so, as the table does.
        out.append(
            FieldProblem(
                "kind", f"no {d.consent_kind.value} consent is in force", Code.NOT_ALLOWED_NOW
            )
        )


def _takes_withdrawals(facts: JourneyFacts) -> bool:
    return Action.WITHDRAW_CONSENT in triggers_from(facts.stage)


def _payment(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if d.amount_minor is None or d.amount_minor <= 0:
        out.append(FieldProblem("amount", "the amount must be positive", _given(d.amount_minor)))
    elif d.amount_minor > MAX_MINOR_UNITS:
        # Said as what it is: a payment past it was told it "must be positive".
        most = f"at most {MAX_MINOR_UNITS:,} in the currency's minor units (cents)"
        out.append(FieldProblem("amount", most, Code.OUT_OF_RANGE))
    if d.payment_kind is None:
        out.append(
            FieldProblem(
                "kind", "say whether this is full payment, a deposit or a top-up", Code.REQUIRED
            )
        )
    if facts.currency and d.currency != facts.currency:
        out.append(FieldProblem("currency", f"the bill is in {facts.currency}", Code.INCONSISTENT))
    # Against an itemised bill the journey, which takes one payment at a time, never lets two
    # payments together pay more than the bill.
    owed = None if d.bill_total_minor is None else d.bill_total_minor - facts.paid_minor
    if owed is not None and d.amount_minor is not None and d.amount_minor > owed:
        out.append(FieldProblem("amount", "more than the bill still owes", Code.OUT_OF_RANGE))
    out.extend(payment_beside_bill(facts, d))


def _refund(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if d.amount_minor is None or d.amount_minor <= 0:
        out.append(FieldProblem("amount", "the amount must be positive", _given(d.amount_minor)))
    elif 0 < facts.paid_minor < d.amount_minor:  # nothing paid at all: the table says so
        out.append(FieldProblem("amount", "at most what was paid", Code.OUT_OF_RANGE))


def _follow_up(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    follow_up = facts.follow_up(d.follow_up_id)
    if follow_up is None:
        out.append(
            FieldProblem("followUpId", "no such follow-up on this journey", Code.UNKNOWN_VALUE)
        )
    elif follow_up.status is FollowUpStatus.SCHEDULED:
        due = follow_up.due_at.isoformat(timespec="minutes")
        out.append(FieldProblem("followUpId", f"not due until {due}", Code.NOT_ALLOWED_NOW))
    elif follow_up.status is not FollowUpStatus.DUE:
        out.append(
            FieldProblem("followUpId", "this follow-up is already closed", Code.NOT_ALLOWED_NOW)
        )
    if d.follow_up_outcome is None:
        out.append(FieldProblem("outcome", "say whether the client was reached", Code.REQUIRED))
    if d.follow_up_outcome is FollowUpOutcome.REACHED and not _rated(d):
        one_to_five = "a reached client's satisfaction is 1 to 5"
        out.append(FieldProblem("satisfaction", one_to_five, _given(d.satisfaction)))


def _rated(d: ActionDetails) -> bool:
    """A reached client's satisfaction is 1 to 5; one who asked not to be asked about her
    results may give none (seed 001). Loosened in the validator and under the lock alike: every
    call a recorded history holds carried a score, so none replays otherwise."""
    if d.satisfaction is None:
        return d.results_not_asked
    return 1 <= d.satisfaction <= 5


def _reassign(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if not d.consultant_id:
        out.append(FieldProblem("consultantId", "name the consultant to take over", Code.REQUIRED))
    elif d.consultant_id == facts.consultant_id:
        out.append(
            FieldProblem("consultantId", "already the journey's consultant", Code.NOT_ALLOWED_NOW)
        )
    elif d.from_consultant_id is not None and d.from_consultant_id != facts.consultant_id:
        # The desk hands over a client the journey no longer gives the consultant it took her from.
        out.append(
            FieldProblem("consultantId", "handed to another consultant since", Code.NOT_ALLOWED_NOW)
        )


def _reassign_review(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    if not d.expert_id:
        out.append(
            FieldProblem("expertId", "name the expert to take the review over", Code.REQUIRED)
        )
    elif d.expert_id == facts.expert_id:
        out.append(
            FieldProblem(
                "expertId", "already the expert asked for this review", Code.NOT_ALLOWED_NOW
            )
        )


def _return_to_triage(facts: JourneyFacts, d: ActionDetails, out: Problems) -> None:
    # The desk releases the consultant it named: one the journey has since been handed to stays.
    if not d.consultant_id or d.consultant_id != facts.consultant_id:
        out.append(
            FieldProblem("consultantId", "not the journey's consultant", Code.NOT_ALLOWED_NOW)
        )


VALIDATORS: dict[Action, Callable[[JourneyFacts, ActionDetails, Problems], None]] = {
    Action.ASSIGN_CONSULTANT: _assign,
    Action.REQUEST_EXPERT_REVIEW: _expert_review,
    Action.APPROVE_PLAN: _approve,
    Action.SIGN_CONSENT: _consent,
    Action.WITHDRAW_CONSENT: _withdrawal,
    Action.RECORD_PAYMENT: _payment,
    Action.REFUND: _refund,
    Action.COMPLETE_FOLLOW_UP: _follow_up,
    Action.REASSIGN: _reassign,
    Action.REASSIGN_EXPERT_REVIEW: _reassign_review,
    Action.RETURN_TO_TRIAGE: _return_to_triage,
}


def validate_details(facts: JourneyFacts, action: Action, details: ActionDetails) -> None:
    problems: Problems = []
    validator = VALIDATORS.get(action)
    if validator is not None:
        validator(facts, details, problems)
    if problems:
        raise ValidationFailed(problems)


def check_within_what_is_owed(facts: JourneyFacts, request: ActionRequest) -> None:
    """A payment without a bill pays at most what the final plan's price still owes, on a
    journey no payment against a bill has named (one against a bill is held to that bill by
    `_payment`). Before, nothing held it: one plan was paid four times over.

    Apart from `validate_details`: the journey applies it under its lock only in runs that
    follow the change (`workflows.journey_changes`), so that older histories replay as they ran.
    """
    d = request.details
    if request.action is not Action.RECORD_PAYMENT or d.bill_total_minor is not None:
        return
    # Once a bill was paid against, its total is in the currency's own minor units and a
    # payment without a bill in hundredths: compared only with the plan's price, as written.
    total = facts.plan_total_minor if facts.bill_total_minor is None else None
    if total is None or d.amount_minor is None:
        return
    if d.amount_minor > total - facts.paid_minor:
        raise ValidationFailed(
            [FieldProblem("amount", "more than the journey still owes", Code.OUT_OF_RANGE)]
        )


# The kinds that open a bill's payments (`domain.money.payments`): each only as its first.
FIRST_PAYMENT_KINDS = {
    PaymentKind.FULL: "the whole bill, as the first payment (the rest after a deposit is a TOP_UP)",
    PaymentKind.DEPOSIT: "a deposit is the first payment and less than the bill",
    PaymentKind.INSTALLMENT_PLAN: "an installment plan is agreed with its first payment",
}


def check_first_payment(facts: JourneyFacts, request: ActionRequest) -> None:
    """A bill's full payment, deposit or installment plan is its first payment. The API checks
    the bill before the journey is asked, but two such payments sent at once both passed that
    check, and the journey took both (a deposit and an installment plan of 300.00 each on a bill
    of 900.00: a schedule of 600.00 more for 300.00 owed). The journey takes one payment at a
    time and refuses the second. Before treatment a refund ends the journey, so what it counts
    as paid is what the bill holds.

    Apart from `validate_details`, as `check_within_what_is_owed`: the journey applies it under
    its lock only in runs that follow the change (`workflows.journey_changes`)."""
    d = request.details
    if request.action is not Action.RECORD_PAYMENT or d.bill_total_minor is None:
        return
    why = FIRST_PAYMENT_KINDS.get(d.payment_kind) if d.payment_kind else None
    if why is not None and facts.paid_minor > 0:
        raise ValidationFailed([FieldProblem("kind", why, Code.NOT_ALLOWED_NOW)])


# The checks of a payment the journey repeats under its lock, each in runs that follow the change
# that brought it (`workflows.journey_changes.PAYMENT_CHANGES`, in this order).
PAYMENT_CHECKS = (check_within_what_is_owed, check_first_payment)


def check_room_for_a_record(facts: JourneyFacts, request: ActionRequest, in_flight: int) -> None:
    """A step that keeps a record is refused once the journey holds `MAX_RECORDS_PER_JOURNEY`,
    counting those of steps admitted and not yet applied (`in_flight`); steps that keep none,
    and steps that end the journey, go on: every way to end a journey keeps its reason as a
    record, and a full journey must still end for the client's care to go on in a new one.
    Checked when the step is admitted only: a run that holds more replays as it ran."""
    if not request.record_id or _ends_the_journey(facts, request):
        return
    if len(facts.attached_records) + in_flight >= MAX_RECORDS_PER_JOURNEY:
        raise TransitionNotAllowed(
            f"this journey holds {MAX_RECORDS_PER_JOURNEY} records, the most one journey keeps: "
            "amend a record, or continue the client's care in a new journey"
        )


def _ends_the_journey(facts: JourneyFacts, request: ActionRequest) -> bool:
    """Whether this very step ends the journey, not only its action: a follow-up call that did
    not reach the client (the call stays due) is a `complete_follow_up` that ends nothing, and
    went on past a full journey's bound as often as it was sent. Under the rule before optional
    consents stopped ending a journey too, which runs that do not follow it still apply."""
    if request.action not in ENDING_ACTIONS:
        return False
    return any(
        fire(facts, request, any_withdrawal_declines=as_before).is_terminal
        for as_before in (False, True)
    )


def check_record_unused(facts: JourneyFacts, record_id: str | None) -> None:
    """A record the journey attached, or named void to reconciliation, is never attached again:
    each draft takes effect once, or never."""
    if record_id and (record_id in facts.attached_records or record_id in facts.void_records):
        raise Conflict(RECORD_ALREADY_USED)


def check_on_admission(facts: JourneyFacts, request: ActionRequest, records_in_flight: int) -> None:
    """What a step's admission checks beyond the state table and its details: rules that came
    after journeys were recorded (the handler repeats one only in runs that follow it)."""
    check_within_what_is_owed(facts, request)
    check_first_payment(facts, request)
    check_room_for_a_record(facts, request, records_in_flight)
