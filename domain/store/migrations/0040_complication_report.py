"""A complication the client reported outside a scheduled follow-up call
(`ComplicationReport`): before, a complication was only recorded as the outcome of a call that
was due, so a client who called in between the calls, or after the last one, could not be
heard as such, and the treating doctor was told nothing. Append-only in the database itself,
like the warranty claims beside it.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0039_journey_event_clinic")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ComplicationReport",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("client_id", fields.CharField(db_index=True, max_length=64)),
                ("note", fields.TextField(unique=False)),
                ("task_id", fields.CharField(unique=True, max_length=64)),
                ("recheck_journey_id", fields.CharField(max_length=64)),
                ("reported_by", fields.CharField(max_length=64)),
                ("reported_by_role", fields.CharField(max_length=32)),
                ("reported_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "complication_report",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A complication the client reported outside a scheduled "
                "follow-up call: the report's record.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("complication_report"),
    ]
