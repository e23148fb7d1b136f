"""A consent signed for the client, in no journey: `consent_signature.journey_id` may be null.

A DATA_SHARING consent could be signed only while one of the client's journeys waited in
CONSENT, so a client whose treatment was long over could not let the clinic send her file to
her family doctor or an insurer (seed 000: shared only on her written consent). It is signed
for the client now (`signSharingConsent`), with the same proof as any other; its signature has
no journey. Signatures already stored keep theirs.

On PostgreSQL the column loses its NOT NULL in place. SQLite has no ALTER for it, and the table
cannot be made again under its name: `consent_withdrawal` refers to it ON DELETE RESTRICT,
which SQLite checks at once, deferred or not, so dropping the old table with
signatures withdrawn failed the migration ("FOREIGN KEY constraint failed"). SQLite's own
procedure for dropping a NOT NULL (its ALTER TABLE page, "making other kinds of table schema
changes") is used instead: the table's stored definition is edited, in the migration's
transaction, and the schema's version moved on so every connection reads it anew. Rows, indexes,
references and triggers stay as they are; no row can break the looser definition.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import POSTGRES, SQLITE

_TABLE = "consent_signature"


_STRICT = '"journey_id" VARCHAR(64) NOT NULL,'
_LOOSE = '"journey_id" VARCHAR(64),'


async def _sqlite_definition(editor: Any, old: str, new: str) -> None:
    """`consent_signature`'s stored definition with `old` made `new` (SQLite only)."""
    if editor.client.capabilities.dialect != SQLITE:
        return
    client = editor.client
    _, rows = await client.execute_query(
        f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{_TABLE}'"
    )
    definition = rows[0]["sql"]
    if definition.count(old) != 1:
        raise RuntimeError(f"{_TABLE}: its definition does not hold {old!r} once")
    _, version = await client.execute_query("PRAGMA schema_version")
    number = int(version[0]["schema_version"]) + 1
    await client.execute_query("PRAGMA writable_schema = ON")
    try:
        await client.execute_query(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
            [definition.replace(old, new), _TABLE],
        )
        await client.execute_query(f"PRAGMA schema_version = {number}")
    finally:
        await client.execute_query("PRAGMA writable_schema = OFF")


async def _postgres(editor: Any, statement: str) -> None:
    if editor.client.capabilities.dialect == POSTGRES:
        await editor.client.execute_query(statement)


class _StateOnly(ops.AlterField):
    """The model's new field in the migrations' state; the SQL beside it changes the table."""

    async def database_forward(self, *args: object, **kwargs: object) -> None:
        return None

    async def database_backward(self, *args: object, **kwargs: object) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("models", "0041_file_disclosure")]

    initial = False

    operations = [
        ops.RunPython(
            lambda _apps, editor: _loosen(editor),
            lambda _apps, editor: _tighten(editor),
        ),
        _StateOnly(
            model_name="ConsentSignature",
            name="journey_id",
            field=fields.CharField(max_length=64, null=True),
        ),
    ]


async def _loosen(editor: Any) -> None:
    await _sqlite_definition(editor, _STRICT, _LOOSE)
    await _postgres(editor, f'ALTER TABLE "{_TABLE}" ALTER COLUMN "journey_id" DROP NOT NULL')


async def _tighten(editor: Any) -> None:
    """Back: refused by either database while a signature names no journey. SQLite does not
    check rows against an edited definition, so the refusal there is the migration's own: the
    edit alone would leave NOT NULL over nulls (`PRAGMA integrity_check` reports them)."""
    if editor.client.capabilities.dialect == SQLITE:
        _, rows = await editor.client.execute_query(
            f'SELECT 1 FROM "{_TABLE}" WHERE "journey_id" IS NULL LIMIT 1'
        )
        if rows:
            raise RuntimeError(
                f"{_TABLE}: a signature names no journey (signSharingConsent), so the column "
                "cannot be NOT NULL again"
            )
    await _sqlite_definition(editor, _LOOSE, _STRICT)
    await _postgres(editor, f'ALTER TABLE "{_TABLE}" ALTER COLUMN "journey_id" SET NOT NULL')
