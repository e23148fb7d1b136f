"""Tasks closed by hand: who closed which task, when, and the outcome note. Append-only in the
database itself, like the survey answers (0018)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0022_partner_deal_lines")]

    initial = False

    operations = [
        ops.CreateModel(
            name="TaskClosing",
            fields=[
                (
                    "task_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(max_length=64)),
                ("kind", fields.CharField(max_length=32)),
                ("closed_by", fields.CharField(max_length=64)),
                ("closed_by_role", fields.CharField(max_length=32)),
                ("closed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("note", fields.TextField(unique=False)),
            ],
            options={
                "table": "task_closing",
                "app": "models",
                "pk_attr": "task_id",
                "table_description": "A task closed by hand (`completeTask`): who, when and the "
                "outcome note.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("task_closing"),
    ]
