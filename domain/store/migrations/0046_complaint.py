"""The complaint register (`Complaint`, `ComplaintEntry`): before, the clinic had no way to
take, record or resolve a client's complaint (seed 003 art. 20, seed 000). Both append-only in
the database itself: an answer or a resolution is an entry of its own, never an edit.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


def _id() -> tuple[str, fields.Field]:
    return ("id", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64))


def _recorded() -> list[tuple[str, fields.Field]]:
    return [
        ("recorded_by", fields.CharField(max_length=64)),
        ("recorded_by_role", fields.CharField(max_length=32)),
        ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
    ]


class Migration(migrations.Migration):
    dependencies = [("models", "0045_procedure_anaesthesia")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Complaint",
            fields=[
                _id(),
                ("clinic_id", fields.CharField(max_length=64)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="complaints",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("journey_id", fields.CharField(null=True, max_length=64)),
                ("channel", fields.CharField(max_length=32)),
                ("category", fields.CharField(null=True, max_length=32)),
                ("description", fields.TextField(unique=False)),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("first_answer_due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                *_recorded(),
            ],
            options={
                "table": "complaint",
                "app": "models",
                "indexes": [
                    Index(fields=["client_id", "recorded_at"]),
                    Index(fields=["clinic_id", "first_answer_due_at"]),
                ],
                "pk_attr": "id",
                "table_description": "A client's complaint as it was taken.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ComplaintEntry",
            fields=[
                _id(),
                ("clinic_id", fields.CharField(max_length=64)),
                (
                    "complaint",
                    fields.ForeignKeyField(
                        "models.Complaint",
                        source_field="complaint_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                ("outcome", fields.CharField(null=True, max_length=32)),
                ("note", fields.TextField(unique=False)),
                *_recorded(),
            ],
            options={
                "table": "complaint_entry",
                "app": "models",
                "indexes": [
                    Index(fields=["complaint_id", "recorded_at"]),
                    Index(fields=["clinic_id", "kind"]),
                ],
                "pk_attr": "id",
                "table_description": "An answer to a complaint, or its resolution.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("complaint", "complaint_entry"),
    ]
