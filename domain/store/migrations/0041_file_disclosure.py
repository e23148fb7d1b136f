"""The custodian of a clinic's records (`RecordsCustodianAppointment`) and the disclosures of a
client's file to someone outside the clinic (`FileDisclosure`): before, no one was named to keep
the records and nothing said to whom a file had gone, nor on which consent (DOMAIN.md, seeds 000
and 002). Both append-only in the database itself, like the consents they stand beside.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0040_complication_report")]

    initial = False

    operations = [
        ops.CreateModel(
            name="FileDisclosure",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="file_disclosures",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("consent_signature_id", fields.CharField(max_length=64)),
                ("recipient_name", fields.CharField(max_length=200)),
                ("recipient_organisation", fields.CharField(null=True, max_length=200)),
                ("purpose", fields.TextField(unique=False)),
                (
                    "parts",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("channel", fields.CharField(max_length=32)),
                ("custodian_id", fields.CharField(null=True, max_length=64)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_by_role", fields.CharField(max_length=32)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "file_disclosure",
                "app": "models",
                "indexes": [Index(fields=["client_id", "recorded_at"])],
                "pk_attr": "id",
                "table_description": "Parts of a client's file given to someone outside the "
                "clinic, on the client's signed DATA_SHARING consent.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="RecordsCustodianAppointment",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("staff_id", fields.CharField(max_length=64)),
                ("appointed_by", fields.CharField(max_length=64)),
                ("appointed_by_role", fields.CharField(max_length=32)),
                ("appointed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "records_custodian_appointment",
                "app": "models",
                "indexes": [Index(fields=["clinic_id", "appointed_at"])],
                "pk_attr": "id",
                "table_description": "A staff account of the clinic named the custodian of its "
                "records, until the clinic's next appointment.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("file_disclosure", "records_custodian_appointment"),
    ]
