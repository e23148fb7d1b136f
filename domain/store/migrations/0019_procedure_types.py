"""Procedure type versions, checklist completions and treatment products.

All three tables are append-only in the database itself (triggers refuse UPDATE, DELETE and,
on PostgreSQL, TRUNCATE).
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


def _id() -> fields.CharField:
    return fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)


class Migration(migrations.Migration):
    dependencies = [("models", "0018_aftercare")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProcedureTypeVersion",
            fields=[
                ("id", _id()),
                ("clinic_id", fields.CharField(max_length=64)),
                ("type_key", fields.CharField(max_length=100)),
                ("version", fields.IntField()),
                ("category", fields.CharField(max_length=32)),
                (
                    "content",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("content_hash", fields.CharField(max_length=64)),
                ("published_by", fields.CharField(max_length=64)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "procedure_type_version",
                "app": "models",
                "unique_together": (("clinic_id", "type_key", "version"),),
                "pk_attr": "id",
                "table_description": "One published version of a clinic's procedure type.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ChecklistCompletion",
            fields=[
                ("id", _id()),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(max_length=64)),
                ("version_id", fields.CharField(max_length=64)),
                ("item_code", fields.CharField(max_length=50)),
                ("result", fields.TextField(null=True, unique=False)),
                ("completed_by", fields.CharField(max_length=64)),
                ("completed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "checklist_completion",
                "app": "models",
                "indexes": [Index(fields=["journey_id", "completed_at"])],
                "pk_attr": "id",
                "table_description": "A pre-treatment checklist item completed for a journey.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="TreatmentProduct",
            fields=[
                ("id", _id()),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(max_length=64)),
                ("client_id", fields.CharField(max_length=64)),
                ("name", fields.CharField(max_length=200)),
                ("lot_number", fields.CharField(max_length=200)),
                ("dose", fields.CharField(max_length=200)),
                ("body_area", fields.CharField(null=True, max_length=200)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "treatment_product",
                "app": "models",
                "indexes": [Index(fields=["clinic_id", "lot_number"])],
                "pk_attr": "id",
                "table_description": "A product given in a treatment, found again by its lot.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("procedure_type_version", "checklist_completion", "treatment_product"),
    ]
