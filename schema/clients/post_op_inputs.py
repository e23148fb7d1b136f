"""What the ward writes after an operation (`domain.client_file.post_op`): one input per record,
used both to record it (with its surgery journey and an idempotency key) and to correct it
(`amendClientEntry`, which keeps the journey of the entry corrected)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.client_file import post_op
from schema import idempotency
from schema.clients import file_enums  # noqa: F401  (describes the enums below)

JOURNEY = (
    "The surgery journey, its operation done (its treatment completed); ValidationFailed on "
    "`journeyId` for another procedure than surgery, or before the operation ended."
)


@strawberry.input(
    description="Vital signs with their values; a value no living client shows "
    "is ValidationFailed on `vitals.<sign>`."
)
class VitalSignsInput:
    systolic: int = strawberry.field(description="Systolic blood pressure, 50 to 260 mmHg.")
    diastolic: int = strawberry.field(
        description="Diastolic blood pressure, 20 to 160 mmHg, below the systolic."
    )
    pulse: int = strawberry.field(description="Pulse, 20 to 250 beats a minute.")
    respiratory_rate: int = strawberry.field(description="Breaths a minute, 4 to 60.")
    temperature_celsius: float = strawberry.field(
        description="Body temperature, 30 to 43 °C (kept to 0.1)."
    )
    oxygen_saturation: int | None = strawberry.field(
        default=None, description="Oxygen saturation (SpO2), 50 to 100 %, when measured."
    )


@strawberry.input(
    description="An observation in the ward after the operation: the round's and the hour's "
    "vital signs (seed 003). The observer is the caller."
)
class PostOpObservationFields:
    observed_at: datetime = strawberry.field(
        description="When the client was observed: from the operation's end to 24 hours after, "
        "not in the future."
    )
    anaesthesia: post_op.Anaesthesia | None = strawberry.field(
        default=None,
        description="How she was anaesthetised for the operation: omitted, the anaesthesia the "
        "journey's procedure type is given under; another is refused. Required for a type "
        "version published before the types named theirs.",
    )
    vitals: VitalSignsInput = strawberry.field(description="The vital signs measured.")
    lying_flat: bool | None = strawberry.field(
        default=None,
        description="GENERAL anaesthesia, within 6 hours of the operation's end only (and "
        "required then): lying flat without a pillow, as ordered.",
    )
    nil_by_mouth: bool | None = strawberry.field(
        default=None,
        description="GENERAL anaesthesia, within 6 hours of the operation's end only (and "
        "required then): nothing taken by mouth, as ordered.",
    )
    note: str | None = strawberry.field(
        default=None,
        description="What else was seen or done (dressing, drain, pain, nausea, the surgeon "
        "called).",
    )


@strawberry.input(
    description="The ward round on the day after the operation (seed 003: the doctor or the "
    "doctor's assistant sees how the client recovers). Whoever went is the caller."
)
class WardRoundFields:
    visited_at: datetime = strawberry.field(
        description="When the client was seen: on the day after the operation in the clinic's "
        "calendar, not in the future."
    )
    recovering_as_expected: bool = strawberry.field(description="Whether she recovers as expected.")
    findings: str = strawberry.field(description="What was found: wound, swelling, pain, mood.")
    next_step: str = strawberry.field(
        description="What is next: discharge, a dressing, another night, the surgeon called."
    )


@strawberry.input(description="Record an observation in the ward after an operation.")
class RecordPostOpObservationInput(PostOpObservationFields):
    journey_id: strawberry.ID = strawberry.field(description=JOURNEY)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Record the ward round on the day after an operation.")
class RecordWardRoundInput(WardRoundFields):
    journey_id: strawberry.ID = strawberry.field(description=JOURNEY)
    idempotency_key: str | None = idempotency.key_field()
