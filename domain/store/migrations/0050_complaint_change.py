"""The log of the complaint register's changes (`complaint_change`): each complaint recorded,
answered or resolved, read by the live feed by id, so the supervisor's board says when the
clinic's complaint counts change. Append-only in the database itself.

Rolled back, the table is dropped: the complaints and their entries stay as they were written.
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0049_clinic_day_off")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ComplaintChange",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("complaint_id", fields.CharField(max_length=64)),
                ("kind", fields.CharField(max_length=32)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "complaint_change",
                "app": "models",
                "indexes": [Index(fields=["clinic_id", "id"])],
                "pk_attr": "id",
                "table_description": "A complaint recorded, answered or resolved, written in the "
                "same transaction as its row. The live feed reads it by id, so the supervisor's "
                "board can say the clinic's complaint counts changed.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("complaint_change"),
    ]
