"""Procedure type versions, checklist completions and the products given: all append-only.

A published version never changes (a new text is a new version); a checklist item completed
twice keeps both rows (the newest result counts); a product given stays given, and is what a
recall looks up by its lot number.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.store.models import AppendOnlyModel

TYPE_KEY_MAX_LENGTH = 100


class ProcedureTypeVersion(AppendOnlyModel):
    """One published version of a clinic's procedure type (`domain.procedures.template`)."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    type_key = fields.CharField(max_length=TYPE_KEY_MAX_LENGTH)
    version = fields.IntField()
    category = fields.CharField(max_length=32)
    # The anaesthesia it is performed under (`ProcedureAnaesthesia`), as its content names it;
    # read through `anaesthesia_read` (migration 0045 gave the versions before it theirs).
    anaesthesia = fields.CharField(max_length=16, default="NONE")
    content: Any = fields.JSONField()
    content_hash = fields.CharField(max_length=64)
    published_by = fields.CharField(max_length=64)
    published_at = fields.DatetimeField()

    class Meta:
        table = "procedure_type_version"
        unique_together = (("clinic_id", "type_key", "version"),)


class ChecklistCompletion(AppendOnlyModel):
    """A pre-treatment checklist item completed for a journey, with its result if it has one."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64)
    version_id = fields.CharField(max_length=64)
    item_code = fields.CharField(max_length=50)
    result = fields.TextField(null=True)
    completed_by = fields.CharField(max_length=64)
    completed_at = fields.DatetimeField()

    class Meta:
        table = "checklist_completion"
        indexes = (("journey_id", "completed_at"),)


class TreatmentProduct(AppendOnlyModel):
    """A product given in a treatment: which lot, how much, where; found again by its lot."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64)
    client_id = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    lot_number = fields.CharField(max_length=200)
    dose = fields.CharField(max_length=200)
    body_area = fields.CharField(max_length=200, null=True)
    recorded_by = fields.CharField(max_length=64)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "treatment_product"
        indexes = (("clinic_id", "lot_number"),)
