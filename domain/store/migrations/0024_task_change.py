"""The log of task changes no journey event carries (a task closed by hand, a photo reminder
settled by an upload), read by the live feed by id. Append-only in the database itself."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0023_task_closing")]

    initial = False

    operations = [
        ops.CreateModel(
            name="TaskChangeLog",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("task_id", fields.CharField(max_length=64)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "task_change",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A task changed outside any journey event (closed by hand, "
                "a photo reminder settled by an upload), written in the same transaction as the "
                "change. The live feed reads it by id, as it reads journey events, so "
                "`tasksChanged` can push the task.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("task_change"),
    ]
