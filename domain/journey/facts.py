"""Everything a journey workflow knows, as plain dataclasses of ids and codes.

These cross the Temporal boundary, so they hold no personal data: names, notes, plans and
signatures live in the database and are referred to here by `record_id` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.journey.stages import (
    ArrivalChannel,
    ConsentKind,
    ExpertDecision,
    FollowUpOutcome,
    FollowUpStatus,
    PaymentKind,
    Stage,
    VisitCategory,
)
from domain.journey.stuck_reasons import StuckReason
from domain.journey.table import Action
from domain.money.catalog import PaymentPolicy
from domain.roles import Role


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: Role


SYSTEM_ACTOR = Actor(user_id="system", role=Role.SYSTEM)
# The clinic's triage desk when it hands a client to another consultant.
TRIAGE_DESK_ACTOR = Actor(user_id="triage-desk", role=Role.SYSTEM)


@dataclass
class JourneyStart:
    journey_id: str
    clinic_id: str
    client_id: str
    visit_category: VisitCategory
    channel: ArrivalChannel
    client_is_minor: bool
    started_by: Actor
    # Walk-ins are checked in at once; bookings wait at reception until the client arrives.
    checked_in: bool
    # Seconds after handover at which each follow-up falls due (the clinic's schedule).
    follow_up_offsets: list[int]
    record_id: str | None = None
    # The clinic's SLA overrides ("CONSENT" or "CONSENT:RECHECK" -> seconds); defaults otherwise.
    sla_overrides: dict[str, int] = field(default_factory=dict)
    # A recheck opened from another journey (a complication, a warranty claim): the journey it
    # comes from, and the consultant who owns the client there and keeps owning them here.
    linked_journey_id: str | None = None
    consultant_id: str | None = None
    # The workflow's code changes this run was started with, by name: it follows them without
    # recording a marker for each (`workflows.journey_changes`). Filled in by the workflow
    # client; runs started before it was sent have none listed.
    started_with_changes: list[str] = field(default_factory=list)
    # Set when an earlier run of this journey continued as new: the journey as that run left
    # it. The run then opens nothing (the fields above are the first run's, as it was started).
    carried: CarriedJourney | None = None


@dataclass
class ActionDetails:
    """The codes an action carries; which fields matter depends on the action."""

    consultant_id: str | None = None
    expert_id: str | None = None
    plan_total_minor: int | None = None
    currency: str | None = None
    requires_anesthesia: bool = False
    decision: ExpertDecision | None = None
    consent_kind: ConsentKind | None = None
    guardian_signed: bool = False
    amount_minor: int | None = None
    payment_kind: PaymentKind | None = None
    # A payment against an itemised bill: the bill's total, and the clinic's payment policy.
    bill_total_minor: int | None = None
    payment_policy: PaymentPolicy | None = None
    follow_up_id: str | None = None
    follow_up_outcome: FollowUpOutcome | None = None
    satisfaction: int | None = None
    # A follow-up call of a client who asked staff not to ask her about her results (seed 001:
    # her service card's PHONE_WISHES, `mayAskAboutResults` false), read by the API as it sends
    # the call: reached, she gives no satisfaction unless she offers one. False from an API
    # before it was sent, and for a client who may be asked: a score is needed, as before.
    results_not_asked: bool = False
    product_count: int | None = None
    # The procedure type version the approved plan names, and its follow-up plan's offsets:
    # the journey keeps both, whatever versions are published later.
    procedure_type_version_id: str | None = None
    follow_up_offsets: list[int] | None = None
    # A refund before the treatment that corrects a payment taken in error (`recordRefund` with
    # kind REVERSAL): the journey counts it and goes on. Left out (every refund recorded before
    # it existed), the refund is the client withdrawing, and ends the journey as it always did.
    corrects_a_payment: bool = False
    # The handover: how long the clinic lets a call stay open past its due time
    # (`aftercarePolicy.overdueAfterHours`), read by the API as it sends the step. None from an
    # API before it was sent: a day.
    follow_up_allowance_seconds: int | None = None
    # A hand-over of the triage desk's (REASSIGN): the consultant it hands the client from. The
    # journey takes it only while it names them still, so a supervisor's reassignJourney written
    # before it wins (the desk follows that when told). None: no such check (the supervisor's
    # own reassignJourney, and the desk's hand-overs sent before it was sent).
    from_consultant_id: str | None = None


@dataclass
class ActionRequest:
    action: Action
    actor: Actor
    details: ActionDetails = field(default_factory=ActionDetails)
    # The clinical record (in the database) that this action attaches to the journey.
    record_id: str | None = None


@dataclass
class FollowUp:
    follow_up_id: str
    label: str
    due_at: datetime
    status: FollowUpStatus = FollowUpStatus.SCHEDULED
    attempts: int = 0
    outcome: FollowUpOutcome | None = None
    satisfaction: int | None = None


@dataclass
class JourneyFacts:
    journey_id: str
    clinic_id: str
    client_id: str
    visit_category: VisitCategory
    channel: ArrivalChannel
    client_is_minor: bool
    started_at: datetime
    follow_up_offsets: list[int]
    stage: Stage = Stage.RECEPTION
    stage_entered_at: datetime | None = None
    consultant_id: str | None = None
    # The event at which the journey's consultant first acted since being named (None: not
    # yet). The triage desk hears of that action alone (`domain.triage.notices`): a later one
    # by the same consultant tells it nothing new, and each notice costs a signal and a step
    # of the desk's workflow.
    consultant_first_acted_seq: int | None = None
    expert_id: str | None = None
    consultation_recorded: bool = False
    plan_total_minor: int | None = None
    currency: str | None = None
    requires_anesthesia: bool = False
    consents_signed: list[ConsentKind] = field(default_factory=list)
    paid_minor: int = 0
    # The total of the bill paid against (null: the final plan's price is the total).
    bill_total_minor: int | None = None
    # Told of a bill for it (`workflows.journey_bills`): a payment names a bill from then on
    # (`domain.journey.bill_notes`). False in journeys billed before the journey was told.
    billed: bool = False
    installment_plan: bool = False
    treatment_started: bool = False
    follow_ups: list[FollowUp] = field(default_factory=list)
    event_seq: int = 0
    # Seconds a journey may stay in each stage; resolved from the clinic's policy at start.
    stage_slas: dict[str, int] = field(default_factory=dict)
    stuck_since: datetime | None = None
    stuck_reason: str | None = None
    # The rule that marked it stuck, kept beside its words as it fired: the words change when a
    # rule is reworded, the code only with the rule. None in a journey marked stuck before it
    # was kept (`domain.journey.stuck_words` reads those from their words) and while not stuck.
    stuck_reason_code: StuckReason | None = None
    # Records the journey's events point at, oldest first: the drafts it attached.
    attached_records: list[str] = field(default_factory=list)
    # Drafts reconciliation asked about that the journey had not attached: refused from then on.
    void_records: list[str] = field(default_factory=list)
    # The journey this recheck was opened from (a complication, a warranty claim), if any.
    linked_journey_id: str | None = None
    # The procedure type version this journey follows (named by the approved plan), if any.
    procedure_type_version_id: str | None = None
    # Whether a due call makes the journey stuck by its handbook window, as the task lists count
    # it overdue (`domain.journey.sla`); unset in runs started before that change, which keep a
    # day past every call's due time. Set by the workflow in the follow-up stage.
    follow_up_call_windows: bool = False
    # The clinic's allowance past a due call's time as the journey was handed over (seconds),
    # for its stuck deadline (`domain.journey.sla`), as the task lists count the call overdue.
    # None in journeys handed over before it was kept: a day. A clinic changing its allowance
    # later changes the deadline of journeys handed over after.
    follow_up_allowance_seconds: int | None = None

    def follow_up(self, follow_up_id: str | None) -> FollowUp | None:
        return next((f for f in self.follow_ups if f.follow_up_id == follow_up_id), None)


@dataclass
class JourneyEvent:
    """One line of the append-only journey log."""

    journey_id: str
    seq: int
    action: str
    from_stage: Stage | None
    to_stage: Stage
    actor: Actor
    at: datetime
    summary: str
    record_id: str | None = None


@dataclass
class JourneyChange:
    """What the read model receives for every event: the event and the journey after it."""

    event: JourneyEvent
    facts: JourneyFacts


@dataclass
class DraftQuestion:
    """Reconciliation asks the journey about drafts that no event in the read model points at."""

    record_ids: list[str]


@dataclass
class DraftAnswer:
    # Attached by an event, or carried by an accepted action that has not been applied yet.
    attached: list[str]
    # Never attached, and refused from now on: the database may void them.
    void: list[str]


@dataclass
class ActionResult:
    stage: Stage
    event_seq: int
    record_id: str | None


@dataclass
class AnsweredAction:
    """A staff action the journey applied, by the id of the update that carried it."""

    update_id: str
    result: ActionResult


@dataclass
class CarriedJourney:
    """What a run hands the next one when it continues as new (`workflows.journey_runs`): the
    journey, and the answers to its latest staff actions. Temporal knows an update id again only
    within one run, so a retry of an action answered just before the new run began would
    otherwise be applied a second time."""

    facts: JourneyFacts
    answered: list[AnsweredAction] = field(default_factory=list)
