"""Each refund says what it means for its bill (`refund.kind`, `domain.money.refund_kinds`): a
REVERSAL undoes its payment, which is owed again; GOODWILL is money the clinic gives back after
the treatment began, which the bill no longer asks for.

`refund` is append-only in the database. 0043 added its column nullable and filled it with the
table's triggers dropped for the while; here every refund stored so far meant a REVERSAL, so the
column is added NOT NULL with REVERSAL as the database's own default (the same statement on
SQLite and PostgreSQL): the stored rows read as it without an UPDATE, and the triggers are never
dropped. (Tortoise's AddField leaves the default to the ORM: `NOT NULL` alone, refused on a
table with rows by both databases.) A refund written by a process of the release before, in a
rolling deploy, gets the default too. Rolled back, the column is dropped in place (`DROP
COLUMN`, SQLite 3.35 and later): Tortoise's RemoveField would rebuild the table on SQLite, and
with it drop its triggers and the indexes earlier migrations made, which their own way back
then could not find.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

_TABLE = "refund"
_ADD = f'ALTER TABLE "{_TABLE}" ADD COLUMN "kind" VARCHAR(16) NOT NULL DEFAULT \'REVERSAL\''
_DROP = f'ALTER TABLE "{_TABLE}" DROP COLUMN "kind"'


class AddKindWithItsDefault(ops.AddField):
    """`AddField` whose column carries its default in the database (`_ADD`), dropped in place on
    the way back (`_DROP`)."""

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        await _run(state_editor, _ADD)

    async def database_backward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        await _run(state_editor, _DROP)


async def _run(state_editor: Any, statement: str) -> None:
    if state_editor is None:
        return
    if state_editor.collect_sql:  # the SQLite script of a new database
        state_editor.collected_sql.append(statement)
    else:
        await state_editor.client.execute_query(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0043_partner_name_order")]

    initial = False

    operations = [
        AddKindWithItsDefault(
            model_name="Refund",
            name="kind",
            field=fields.CharField(max_length=16, default="REVERSAL"),
        ),
    ]
