"""A consent signed for the client, in no journey: `consent_signature.journey_id` may be null.

A DATA_SHARING consent could be signed only while one of the client's journeys waited in
CONSENT, so a client whose treatment was long over could not let the clinic send her file to
her family doctor or an insurer (seed 000: shared only on her written consent). It is signed
for the client now (`signSharingConsent`), with the same proof as any other; its signature has
no journey. Signatures already stored keep theirs.

On PostgreSQL the column loses its NOT NULL in place. SQLite cannot drop a NOT NULL: the table
is made again with its rows, its indexes and its append-only triggers, in the migration's one
transaction. `consent_withdrawal` refers to it, and dropping the old table would check those
references at once: `defer_foreign_keys` moves the check to the commit, when the new table has
the old one's name and every row it refers to.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import POSTGRES, SQLITE, RunSQLForDialect, append_only_sql

_TABLE = "consent_signature"
_COLUMNS = (
    '"id", "clinic_id", "journey_id", "content_hash", "kind", "language", "signer_name", '
    '"capacity", "guardian_name", "guardian_relation", "witness_id", "witness_role", '
    '"signature_format", "signature_data", "signed_at", "client_id", "template_version_id"'
)


def _table(name: str, journey: str) -> str:
    return (
        f'CREATE TABLE "{name}" (\n'
        '    "id" VARCHAR(64) NOT NULL  PRIMARY KEY,\n'
        '    "clinic_id" VARCHAR(64) NOT NULL,\n'
        f'    "journey_id" VARCHAR(64){journey},\n'
        '    "content_hash" VARCHAR(64) NOT NULL,\n'
        '    "kind" VARCHAR(32) NOT NULL,\n'
        '    "language" VARCHAR(16) NOT NULL,\n'
        '    "signer_name" VARCHAR(200) NOT NULL,\n'
        '    "capacity" VARCHAR(16) NOT NULL,\n'
        '    "guardian_name" VARCHAR(200),\n'
        '    "guardian_relation" VARCHAR(100),\n'
        '    "witness_id" VARCHAR(64) NOT NULL,\n'
        '    "witness_role" VARCHAR(32) NOT NULL,\n'
        '    "signature_format" VARCHAR(16),\n'
        '    "signature_data" TEXT,\n'
        '    "signed_at" TIMESTAMP NOT NULL,\n'
        '    "client_id" VARCHAR(64) NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT,\n'
        '    "template_version_id" VARCHAR(64) NOT NULL REFERENCES "consent_template_version" '
        '("id") ON DELETE RESTRICT\n'
        ")"
    )


def _sqlite_rebuild(journey: str) -> list[str]:
    """`consent_signature` made again with `journey_id` as `journey` says, rows and all."""
    return [
        "PRAGMA defer_foreign_keys = ON",
        _table(f"new__{_TABLE}", journey),
        f'INSERT INTO "new__{_TABLE}" ({_COLUMNS}) SELECT {_COLUMNS} FROM "{_TABLE}"',
        f'DROP TABLE "{_TABLE}"',
        f'ALTER TABLE "new__{_TABLE}" RENAME TO "{_TABLE}"',
        f'CREATE INDEX "idx_consent_sig_client__d5d529" ON "{_TABLE}" ("client_id", "signed_at")',
        f'CREATE INDEX "idx_consent_sig_journey_80cbea" ON "{_TABLE}" ("journey_id")',
        *append_only_sql(_TABLE, SQLITE),
    ]


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
        RunSQLForDialect(
            {
                SQLITE: _sqlite_rebuild(""),
                POSTGRES: [f'ALTER TABLE "{_TABLE}" ALTER COLUMN "journey_id" DROP NOT NULL'],
            },
            {
                SQLITE: _sqlite_rebuild(" NOT NULL"),
                POSTGRES: [f'ALTER TABLE "{_TABLE}" ALTER COLUMN "journey_id" SET NOT NULL'],
            },
        ),
        _StateOnly(
            model_name="ConsentSignature",
            name="journey_id",
            field=fields.CharField(max_length=64, null=True),
        ),
    ]
