"""After-care: follow-up tasks, the clinic's after-care setting, survey answers, warranty cards
and claims. The last three are append-only in the database itself, like the consents (0015)."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0017_photos")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AftercareSetting",
            fields=[
                (
                    "clinic_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("follow_up_assignee", fields.CharField(default="FOLLOW_UP_STAFF", max_length=32)),
                ("overdue_after_seconds", fields.IntField(default=86400)),
                ("warranty_days", fields.IntField(default=365)),
                ("warranty_terms", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "aftercare_setting",
                "app": "models",
                "pk_attr": "clinic_id",
                "table_description": "A clinic's after-care choices (a clinic without a row takes the defaults).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="FollowUpTask",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("follow_up_id", fields.CharField(null=True, max_length=16)),
                ("kind", fields.CharField(max_length=32)),
                ("label", fields.CharField(null=True, max_length=16)),
                ("status", fields.CharField(default="OPEN", max_length=16)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("assignee_role", fields.CharField(max_length=32)),
                ("assignee_id", fields.CharField(null=True, max_length=64)),
                ("attempts", fields.IntField(default=0)),
                ("escalated", fields.BooleanField(default=False)),
                ("linked_journey_id", fields.CharField(null=True, max_length=64)),
                ("journey_seq", fields.IntField(default=0)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "follow_up_task",
                "app": "models",
                "indexes": [Index(fields=["clinic_id", "status", "due_at"])],
                "pk_attr": "id",
                "table_description": "One task on a member of staff's list: a due call, a complication, a low survey score.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SurveyResponse",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("client_id", fields.CharField(max_length=64)),
                ("doctor_id", fields.CharField(null=True, max_length=64)),
                ("procedure_type", fields.CharField(null=True, max_length=100)),
                ("month", fields.CharField(max_length=7)),
                (
                    "scores",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("comment", fields.TextField(null=True, unique=False)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "survey_response",
                "app": "models",
                "indexes": [Index(fields=["clinic_id", "month"])],
                "pk_attr": "id",
                "table_description": "One phone survey: four scores from 1 to 5 and what the client added.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="WarrantyCard",
            fields=[
                (
                    "number",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(unique=True, max_length=64)),
                ("client_id", fields.CharField(max_length=64)),
                ("issued_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("terms", fields.TextField(unique=False)),
            ],
            options={
                "table": "warranty_card",
                "app": "models",
                "pk_attr": "number",
                "table_description": "The warranty issued with a treatment: its number, period and terms.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="WarrantyClaim",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "card",
                    fields.ForeignKeyField(
                        "models.WarrantyCard",
                        source_field="card_id",
                        db_constraint=True,
                        to_field="number",
                        related_name="claims",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("recheck_journey_id", fields.CharField(max_length=64)),
                ("reason", fields.TextField(unique=False)),
                ("claimed_by", fields.CharField(max_length=64)),
                ("claimed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "warranty_claim",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A claim accepted on a warranty card, and the recheck journey it opened.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("survey_response", "warranty_card", "warranty_claim"),
    ]
