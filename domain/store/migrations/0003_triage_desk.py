import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_journey_supervision")]

    initial = False

    operations = [
        ops.CreateModel(
            name="OwnershipTransfer",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("client_id", fields.CharField(db_index=True, max_length=64)),
                ("consultant_id", fields.CharField(null=True, max_length=64)),
                ("from_consultant_id", fields.CharField(null=True, max_length=64)),
                ("reason", fields.CharField(max_length=1000)),
                ("entry_seq", fields.IntField()),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ownership_transfer",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Who owns a client, as a history: the latest row is the owner (null: back to rotation).",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="RevenueCredit",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("consultant_id", fields.CharField(max_length=64)),
                ("percent", fields.IntField()),
                ("rule", fields.CharField(max_length=40)),
                ("entry_seq", fields.IntField()),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "revenue_credit",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A journey's revenue split. The rows of its latest entry are the ones in force.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="TriageBoard",
            fields=[
                (
                    "clinic_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("version", fields.IntField()),
                ("day", fields.CharField(max_length=10)),
                (
                    "state",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "triage_board",
                "app": "models",
                "pk_attr": "clinic_id",
                "table_description": "The latest snapshot of a clinic's desk, written only by a newer version.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TriageEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("seq", fields.IntField()),
                ("day", fields.CharField(db_index=True, max_length=10)),
                ("kind", fields.CharField(max_length=32)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("actor_id", fields.CharField(max_length=64)),
                ("consultant_id", fields.CharField(null=True, max_length=64)),
                ("journey_id", fields.CharField(null=True, db_index=True, max_length=64)),
                ("client_id", fields.CharField(null=True, max_length=64)),
                ("counted", fields.BooleanField(default=False)),
                ("reason", fields.CharField(max_length=1000)),
                ("policy", fields.CharField(max_length=100)),
                ("amends_seq", fields.IntField(null=True)),
                (
                    "details",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "triage_entry",
                "app": "models",
                "unique_together": (("clinic_id", "seq"),),
                "pk_attr": "id",
                "table_description": "One line of a desk's log. (clinic, seq) makes the at-least-once writer idempotent.",
            },
            bases=["AppendOnlyModel"],
        ),
    ]
