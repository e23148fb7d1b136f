"""Each procedure type version names the anaesthesia its treatment is given under
(`procedure_type_version.anaesthesia`, `domain.procedures.template.ProcedureAnaesthesia`): NONE,
LOCAL or GENERAL, a surgery LOCAL or GENERAL. The checks a new version must list follow from it
(a local anaesthesia's emptied bladder, a general one's fasting: seed 003).

The versions published before it named none. Every surgery among them was made to list the
bladder check, the check of a local anaesthesia, and none of a general one: they are given
LOCAL, which asks what they asked, no more and no less; the other categories are given NONE.
(LOCAL stands for the checks they ask, not for how their operations went: the ward's record of
one, `recordPostOpObservation`, takes the nurse's word for those, as it did,
`domain.procedures.template.anaesthesia_named`.)

`procedure_type_version` is append-only in the database. The column is added NOT NULL with NONE
as the database's own default (`domain.store.column_default`), so the stored rows read as it
without an UPDATE; the surgeries are then set to LOCAL with the table's triggers
dropped and made again, in the migration's one transaction (as 0043 did). A surgery written by a
process of the release before, in a rolling deploy, gets NONE, and is read as LOCAL all the same
(`anaesthesia_read`: a surgery is never under none). Rolled back, the column is dropped in place
(`DROP COLUMN`, SQLite 3.35 and later), the triggers untouched: Tortoise's RemoveField would
rebuild the table on SQLite, and with it drop its triggers.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations.operations import RunSQL

from domain.store.append_only import guards_lifted
from domain.store.column_default import AddFieldWithItsDefault

_TABLE = "procedure_type_version"
_SURGERIES = f"UPDATE \"{_TABLE}\" SET anaesthesia = 'LOCAL' WHERE category = 'SURGERY'"
_FORWARD = "the stored surgeries are under a local anaesthesia"


class LocalForTheStoredSurgeries(RunSQL):
    """The stored surgeries' LOCAL (`_SURGERIES`); nothing to undo (the column goes)."""

    def __init__(self) -> None:
        super().__init__(_FORWARD, "")

    async def _run_sql(self, state_editor: Any, sqls: Any) -> None:
        if sqls != _FORWARD or state_editor.collect_sql:
            return  # backwards, or the SQLite script of a new database: no versions there
        client = state_editor.client
        dialect = state_editor.DIALECT
        found = await client.execute_query_dict(
            f"SELECT id FROM \"{_TABLE}\" WHERE category = 'SURGERY' LIMIT 1"
        )
        if not found:
            return
        async with guards_lifted(client, _TABLE, dialect):
            await client.execute_query(_SURGERIES)


class Migration(migrations.Migration):
    dependencies = [("models", "0044_refund_kind")]

    initial = False

    operations = [
        AddFieldWithItsDefault(
            model_name="ProcedureTypeVersion",
            name="anaesthesia",
            field=fields.CharField(max_length=16, default="NONE"),
            default_sql="'NONE'",
        ),
        LocalForTheStoredSurgeries(),
    ]
