"""The records of the client's journeys in her copy, from consultation to follow-up call.

Each is the record a journey's step kept (`run_recorded_action`: the step's input, under the
names the record keeps it by), taken in by the journey's event: who acted (`by`, `author_role`)
and when (`at`) are the event's. As first written, with its `amendments` (`amendRecord`) oldest
first, as a treatment is (`domain.client_file.file_records`). The fields between `journey_id`
and `by` are the record's own, read from its body by their names: a record written before a
field existed has it as None.

Each class's `KIND` is the journey record kind it is read from; `CORRECTABLE` the fields an
amendment may correct in the record as amended (`domain.client_file.amended`), `LISTED` those
of them kept as lists of objects, `STAFF` those naming members of staff (`StaffNamed`).
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from domain.client_file.file_records import RecordAmendment

_PLAN = Mapping[str, Any]


@dataclass(frozen=True)
class Consultation:
    """`recordConsultation`: her needs, the consultant's assessment, and the one to three plans
    proposed (items, effect, cycle, price and currency, risks, recovery)."""

    KIND: ClassVar[str] = "consultation"
    CORRECTABLE: ClassVar[tuple[str, ...]] = ("occupation", "needs", "assessment", "plans")

    id: str
    journey_id: str
    occupation: str | None
    needs: Mapping[str, Any] | None
    assessment: Mapping[str, Any] | None
    plans: Sequence[_PLAN] | None
    by: str
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class ExpertBriefing:
    """`requestExpertReview`: what the consultant told the expert of her (goal, expectation,
    history, the items proposed, the help wanted) and the expert asked to review."""

    KIND: ClassVar[str] = "expert_briefing"
    CORRECTABLE: ClassVar[tuple[str, ...]] = ()

    id: str
    journey_id: str
    expert_id: str | None
    briefing: Mapping[str, Any] | None
    by: str
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class ExpertReview:
    """`completeExpertReview`: the expert's decision (APPROVE or REFUSE), the points of the joint
    talk, and the final plan approved or the reason refused."""

    KIND: ClassVar[str] = "expert_review"
    CORRECTABLE: ClassVar[tuple[str, ...]] = ("points", "final_plan", "reason")

    id: str
    journey_id: str
    decision: str | None
    points: str | None
    final_plan: _PLAN | None
    reason: str | None
    by: str
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class StaffNamed:
    """A member of staff a record names: their account id, as `by` gives an author's, and their
    name as it was when the record was taken in (None: an account no longer known)."""

    id: str
    name: str | None


@dataclass(frozen=True)
class PreTreatmentCheck:
    """`startTreatment`: the checks made on the day before treatment (identity, plan, pregnancy,
    lactation, allergies, medication, labs); none when the procedure type's checklist decided.
    And the team a complex procedure starts with (seed 004 三.4), or any start named: the
    `assistant` (a doctor) and the `nurse`, None when not named."""

    KIND: ClassVar[str] = "pre_treatment"
    CORRECTABLE: ClassVar[tuple[str, ...]] = ("checks",)
    # The fields naming staff, and the key of the body each account is read from (the record
    # keeps a StaffMember's global id, as the API took it): named by the store, not read as is.
    STAFF: ClassVar[Mapping[str, str]] = {"assistant": "assistant_id", "nurse": "nurse_id"}

    id: str
    journey_id: str
    checks: Mapping[str, Any] | None
    assistant: StaffNamed | None = field(default=None, kw_only=True)
    nurse: StaffNamed | None = field(default=None, kw_only=True)
    by: str
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class Handover:
    """`handOver`: the aftercare she was given, the discomfort notes (what is normal, when it
    passes, when to call at once, self-care, activities), the next recheck, if booked, and the
    medicines she took home (medicine, dose, frequency, days, note) or why none."""

    KIND: ClassVar[str] = "handover"
    CORRECTABLE: ClassVar[tuple[str, ...]] = (
        "aftercare",
        "discomfort",
        "next_recheck_at",
        "prescriptions",
        "no_prescription_reason",
    )
    # Kept as a list of objects: a handover written before it was kept has None, which a
    # correction's list replaces.
    LISTED: ClassVar[tuple[str, ...]] = ("prescriptions",)

    id: str
    journey_id: str
    aftercare: str | None
    discomfort: Mapping[str, Any] | None
    next_recheck_at: str | None
    prescriptions: Sequence[Mapping[str, Any]] | None
    no_prescription_reason: str | None
    by: str
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class FollowUpCall:
    """`completeFollowUp`: a scheduled follow-up call's outcome (REACHED or NOT_REACHED), her
    satisfaction (1 to 5) when reached (None: reached, she asked not to be asked about her
    results and gave none), and the caller's note. A call on which she reported a
    complication is in `followUpComplications`."""

    KIND: ClassVar[str] = "follow_up"
    CORRECTABLE: ClassVar[tuple[str, ...]] = ("note",)

    id: str
    journey_id: str
    follow_up_id: str | None
    outcome: str | None
    satisfaction: int | None
    note: str | None
    by: str
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime
