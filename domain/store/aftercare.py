"""After-care tables: follow-up tasks, the clinic's after-care setting, survey answers and
warranty cards with their claims.

Tasks are a projection of the journeys (rewritten as their follow-ups move, like `journey`);
survey answers, warranty cards and claims are records, append-only in the database (0018), and
so is the closing of a task by hand (0023), the log of task changes no journey event
carries (0024), the recheck visit that kept a booked recheck (0031) and a complication the
client reported between the scheduled calls or after the last (0040).
"""

from __future__ import annotations

import uuid
from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.store.models import AppendOnlyModel


class AftercareSetting(Model):
    """A clinic's after-care choices (a clinic without a row takes the defaults)."""

    clinic_id = fields.CharField(primary_key=True, max_length=64)
    # FOLLOW_UP_STAFF or OWNING_CONSULTANT (`domain.aftercare.tasks.FollowUpAssignee`).
    follow_up_assignee = fields.CharField(max_length=32, default="FOLLOW_UP_STAFF")
    overdue_after_seconds = fields.IntField(default=86400)
    warranty_days = fields.IntField(default=365)
    warranty_terms = fields.TextField(null=True)

    class Meta:
        table = "aftercare_setting"


async def clinic_setting(clinic_id: str) -> AftercareSetting:
    """The clinic's after-care setting, or the defaults when it has none."""
    return await AftercareSetting.get_or_none(clinic_id=clinic_id) or AftercareSetting(
        clinic_id=clinic_id
    )


class FollowUpTask(Model):
    """One task on a member of staff's list: a due call, a complication, a low survey score."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    follow_up_id = fields.CharField(max_length=16, null=True)
    kind = fields.CharField(max_length=32)
    label = fields.CharField(max_length=16, null=True)
    status = fields.CharField(max_length=16, default="OPEN")
    due_at = fields.DatetimeField()
    assignee_role = fields.CharField(max_length=32)
    assignee_id = fields.CharField(max_length=64, null=True)
    attempts = fields.IntField(default=0)
    escalated = fields.BooleanField(default=False)
    linked_journey_id = fields.CharField(max_length=64, null=True)
    # The journey event that last wrote the row: a late write never undoes a newer one.
    journey_seq = fields.IntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "follow_up_task"
        indexes = (("clinic_id", "status", "due_at"), ("linked_journey_id",))


class SurveyResponse(AppendOnlyModel):
    """One phone survey: four scores from 1 to 5 and what the client added."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    client_id = fields.CharField(max_length=64)
    doctor_id = fields.CharField(max_length=64, null=True)
    procedure_type = fields.CharField(max_length=100, null=True)
    month = fields.CharField(max_length=7)  # YYYY-MM in the clinic's time zone
    scores: Any = fields.JSONField()
    comment = fields.TextField(null=True)
    recorded_by = fields.CharField(max_length=64)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "survey_response"
        indexes = (("clinic_id", "month"),)


class WarrantyCard(AppendOnlyModel):
    """The warranty issued with a treatment: its number, period and terms."""

    number = fields.CharField(primary_key=True, max_length=32)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, unique=True)
    client_id = fields.CharField(max_length=64)
    issued_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    terms = fields.TextField()

    class Meta:
        table = "warranty_card"


class WarrantyClaim(AppendOnlyModel):
    """A claim accepted on a warranty card, and the recheck journey it opened."""

    id = fields.CharField(primary_key=True, max_length=64)
    card: fields.ForeignKeyRelation[WarrantyCard] = fields.ForeignKeyField(
        "models.WarrantyCard", related_name="claims", on_delete=fields.RESTRICT
    )
    card_id: str
    recheck_journey_id = fields.CharField(max_length=64)
    reason = fields.TextField()
    claimed_by = fields.CharField(max_length=64)
    claimed_at = fields.DatetimeField()

    class Meta:
        table = "warranty_claim"


class TaskClosing(AppendOnlyModel):
    """A task closed by hand (`completeTask`), a booked recheck's reminder closed by the
    visit that kept it (`recheck_visits`), or a photo reminder closed, or written closed, for
    the client's withdrawn consent (`photo_tasks`): who, when and the outcome note. One per
    task; the task's row in `follow_up_task` shows it DONE (NO_PHOTO_CONSENT for the last).

    `request_id` names the request that closed it, so that only an attempt of that request is
    answered the task done: for `completeTask` under a key, the id its key's claim derives
    (`idempotency.derived_id`), the same for every attempt of it and no other's; for any other
    closing (`completeTask` without a key, a kept visit, a withdrawal) an id of its own, which
    no request matches. Null on the closings written before migration 0052."""

    task_id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=32)
    closed_by = fields.CharField(max_length=64)
    closed_by_role = fields.CharField(max_length=32)
    closed_at = fields.DatetimeField()
    note = fields.TextField()
    request_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "task_closing"


def request_of_its_own() -> str:
    """The `request_id` of a closing that no request of `completeTask` made: a random one."""
    return str(uuid.uuid4())


class TaskChangeLog(AppendOnlyModel):
    """A task changed outside any journey event (closed by hand, a photo reminder settled by an
    upload), written in the same transaction as the change. The live feed reads it by id, as it
    reads journey events, so `tasksChanged` can push the task."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    task_id = fields.CharField(max_length=64)
    at = fields.DatetimeField()

    class Meta:
        table = "task_change"


class RecheckKept(AppendOnlyModel):
    """A recheck booked at a journey's handover, kept: the client came, and reception's visit
    for it (the recheck journey, checked in) names the booking's journey. One per booking and
    one per visit; the booking itself stays as it was booked (and as corrected)."""

    booking_journey_id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    visit_journey_id = fields.CharField(max_length=64, unique=True)
    kept_at = fields.DatetimeField()

    class Meta:
        table = "recheck_kept"


class ComplicationReport(AppendOnlyModel):
    """A complication the client reported outside a scheduled follow-up call (they called in,
    or came back, as the after-care leaflet tells them to), at any time once treated, the
    journey's calls over or not. One per request: the treating doctor's task (`task_id`, kind
    COMPLICATION) and the recheck journey that serves it are written with it."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    client_id = fields.CharField(max_length=64, db_index=True)  # the client's copy reads by it
    note = fields.TextField()  # what the client reports, in their words as taken down
    task_id = fields.CharField(max_length=64, unique=True)
    recheck_journey_id = fields.CharField(max_length=64)
    reported_by = fields.CharField(max_length=64)
    reported_by_role = fields.CharField(max_length=32)
    reported_at = fields.DatetimeField()

    class Meta:
        table = "complication_report"
