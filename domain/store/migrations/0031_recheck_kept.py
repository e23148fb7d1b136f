"""A booked recheck kept: the recheck visit reception started when the client came for it,
naming the journey whose handover booked it. Append-only in the database itself, like the
closing of a task (0023)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0030_live_subscription_lease")]

    initial = False

    operations = [
        ops.CreateModel(
            name="RecheckKept",
            fields=[
                (
                    "booking_journey_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("visit_journey_id", fields.CharField(unique=True, max_length=64)),
                ("kept_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "recheck_kept",
                "app": "models",
                "pk_attr": "booking_journey_id",
                "table_description": "A recheck booked at a journey's handover, kept: the "
                "recheck visit reception started for it once the client came.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("recheck_kept"),
    ]
