"""The input and answer of `reportComplicationCall` (`schema.aftercare.complication_call`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema import idempotency
from schema.errors import Conflict, NotAuthorized, NotFound, Unavailable, ValidationFailed
from schema.journeys.types import Journey


@strawberry.input(
    description="A complication the client reports outside the scheduled follow-up calls: "
    "they called in, or came back, between two calls or after the last one."
)
class ReportComplicationCallInput:
    journey_id: strawberry.ID = strawberry.field(
        description="The journey whose treatment it follows (a `Journey` id): treated, its "
        "calls still running or over (HANDOVER, FOLLOW_UP or COMPLETED)."
    )
    note: str = strawberry.field(
        description="What the client reports: symptoms, since when, what they did."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(
    description="The complication is recorded, the treating doctor has a task for it at once "
    "(kind COMPLICATION, escalated), and a recheck journey serves it."
)
class ComplicationCallTaken:
    report_id: strawberry.ID = strawberry.field(description="The report's id.")
    reported_at: datetime = strawberry.field(
        description="When it was recorded, in UTC (a retry's answer names the same moment)."
    )
    journey: Journey = strawberry.field(
        description="The treated journey, as it stands: the report does not move it."
    )
    doctor_id: str | None = strawberry.field(
        description="The account id of the doctor whose list the task is on: the performer "
        "the treatment record names (as corrected), else the expert who approved the plan; "
        "null when neither still works here (then any doctor of the clinic has it)."
    )
    recheck_journey: Journey | None = strawberry.field(
        description="The recheck journey that serves the complication (RECHECK, waiting at "
        "reception for the client): one opened for it, owned by the same consultant, or one "
        "the client already had coming in; null while its first events are still being "
        "written."
    )


ComplicationCallResult = Annotated[
    ComplicationCallTaken | NotAuthorized | ValidationFailed | NotFound | Conflict | Unavailable,
    strawberry.union("ComplicationCallResult"),
]
