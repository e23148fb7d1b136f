"""The keys a client is found by when registered again (`domain.client_file.matching`),
append-only in the database itself, one index search per registration. Every client there is
gets the keys of its identity as registered and as amended, made by the same Python as a new
registration's (SQLite's `lower()` knows ASCII only, so SQL would make other keys)."""

from datetime import date
from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.operations import RunSQL

from domain.client_file.matching import match_keys
from domain.store.append_only import protect_tables
from domain.store.match_key_backfill import IDENTITIES, add_match_keys

_FORWARD = "keys of the clients there are"


class KeepExistingClientsFindable(RunSQL):
    """The keys of every identity version there is; nothing to undo (the table goes)."""

    def __init__(self) -> None:
        super().__init__(_FORWARD, "")

    async def _run_sql(self, state_editor: Any, sqls: Any) -> None:
        if sqls != _FORWARD or state_editor.collect_sql:
            return  # backwards, or the SQLite script of a new database: no clients there
        client = state_editor.client
        values = {
            (row["clinic_id"], key, row["client_id"])
            for row in await client.execute_query_dict(IDENTITIES)
            for key in match_keys(
                row["full_name"], _date(row["birth_date"]), row["phone"], row["email"]
            )
        }
        await add_match_keys(state_editor, values)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class Migration(migrations.Migration):
    dependencies = [("models", "0033_idempotency_salt")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ClientMatchKey",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("key", fields.CharField(max_length=255)),
                ("client_id", fields.CharField(max_length=64)),
            ],
            options={
                "table": "client_match_key",
                "app": "models",
                "indexes": [Index(fields=["clinic_id", "key"])],
                "unique_together": (("client_id", "key"),),
                "pk_attr": "id",
                "table_description": "A key a client of the clinic is found by when someone "
                "registers them again.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("client_match_key"),
        KeepExistingClientsFindable(),
    ]
