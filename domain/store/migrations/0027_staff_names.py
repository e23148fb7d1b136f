"""Staff members' display names through time (`domain.store.staff_names`), append-only in the
database itself. Every account there is keeps its name as it stands, from the beginning: it is
the only name known for its past."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import POSTGRES, SQLITE, RunSQLForDialect, protect_tables

_KEEP_CURRENT_NAMES = (
    "INSERT INTO staff_name (account_id, clinic_id, display_name, since, after_seq) "
    "SELECT id, clinic_id, display_name, {beginning}, 0 FROM staff_account"
)

keep_current_names = RunSQLForDialect(
    {
        SQLITE: [_KEEP_CURRENT_NAMES.format(beginning="'1970-01-01 00:00:00+00:00'")],
        POSTGRES: [_KEEP_CURRENT_NAMES.format(beginning="TIMESTAMPTZ '1970-01-01 00:00:00+00'")],
    },
    {SQLITE: [], POSTGRES: []},
)


class Migration(migrations.Migration):
    dependencies = [("models", "0026_receipt_counter_counts_up")]

    initial = False

    operations = [
        ops.CreateModel(
            name="StaffName",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("account_id", fields.CharField(max_length=64)),
                ("clinic_id", fields.CharField(max_length=64)),
                ("display_name", fields.CharField(max_length=200)),
                ("since", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("after_seq", fields.BigIntField()),
            ],
            options={
                "table": "staff_name",
                "app": "models",
                "indexes": [Index(fields=["account_id", "since"])],
                "pk_attr": "id",
                "table_description": "A staff member's display name from `since` on: records of "
                "the past (a client's copy of who saw their file) name staff as they were named "
                "then, though an account's name changes.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("staff_name"),
        keep_current_names,
    ]
