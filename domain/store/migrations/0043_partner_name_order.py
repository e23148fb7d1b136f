"""Each partner registration version keeps its name case-folded (`name_order`), so the database
can order a clinic's partners as `partners` lists them and stop at the list's 500.

`partners` read the newest version of every partner of the clinic and sorted them in Python by
the case-folded name: a clinic with thousands of partners paid for all of them on each call. SQL
has no case folding that matches Python's for every script (SQLite's `lower()` knows ASCII
only, PostgreSQL's follows the collation), so the key is made by the same Python as a new
version's (`domain.store.partners.name_order`) and stored.

`partner_registration` is append-only in the database, so the versions already stored get their
key as `journey_event` got its clinic (0039): the triggers are dropped, the column filled and the
triggers made again, in the migration's one transaction. Rolled back, the column is dropped in
place (`store.column_default`): the table keeps its triggers and indexes, which SQLite's rebuild
of the table (Tortoise's way back) lost.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.operations import RunSQL

from domain.store.append_only import POSTGRES, guards_lifted
from domain.store.column_default import AddNullableField
from domain.store.partners import name_order

_TABLE = "partner_registration"
_FORWARD = "the order keys of the versions there are"


class KeyTheStoredVersions(RunSQL):
    """Each stored version's `name_order`, made from its name; nothing to undo (the column
    goes)."""

    def __init__(self) -> None:
        super().__init__(_FORWARD, "")

    async def _run_sql(self, state_editor: Any, sqls: Any) -> None:
        if sqls != _FORWARD or state_editor.collect_sql:
            return  # backwards, or the SQLite script of a new database: no versions there
        client = state_editor.client
        dialect = state_editor.DIALECT
        rows = await client.execute_query_dict(f"SELECT id, name FROM {_TABLE}")
        if not rows:
            return
        update = (
            f"UPDATE {_TABLE} SET name_order = $1 WHERE id = $2"
            if dialect == POSTGRES
            else f"UPDATE {_TABLE} SET name_order = ? WHERE id = ?"
        )
        async with guards_lifted(client, _TABLE, dialect):
            await client.execute_many(update, [[name_order(r["name"]), r["id"]] for r in rows])


class Migration(migrations.Migration):
    dependencies = [("models", "0042_client_consent")]

    initial = False

    operations = [
        AddNullableField(
            model_name="PartnerRegistration",
            name="name_order",
            field=fields.CharField(max_length=600, null=True),
        ),
        KeyTheStoredVersions(),
        ops.AddIndex(
            model_name="PartnerRegistration",
            index=Index(fields=["clinic_id", "partner_id", "version"]),
        ),
    ]
