"""Append-only in the database itself.

- Every event that points at a record that no longer exists (a draft deleted by earlier
  versions while its event was still on the way) gets a placeholder record, kind
  `lost_record`, that says so: no row is changed, and the foreign key below can hold.
- `journey_event.record_id` becomes a foreign key to `journey_record.id` (SQLite: the table
  is rebuilt, since SQLite cannot add a constraint to an existing table).
- `journey_record_void`: how a draft the journey will never attach is settled (no deletes).
- Triggers refuse UPDATE and DELETE on the client file, the journey log and records, the
  voids, and the triage tables written once.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from domain.store.append_only import POSTGRES, SQLITE, RunSQLForDialect, protect_tables

_LOST_BODY = '{"lost": "this draft was deleted before records were kept append-only"}'
_DANGLING = """
    FROM journey_event e
    WHERE e.record_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM journey_record r WHERE r.id = e.record_id)"""
_COLUMNS = (
    '"id", "journey_id", "seq", "action", "from_stage", "to_stage", "actor_id", "actor_role", '
    '"at", "summary", "record_id"'
)


def _sqlite_event_table(record_reference: str) -> list[str]:
    """The SQLite rebuild of `journey_event` as 0001 created it, plus `record_reference`."""
    return [
        f"""CREATE TABLE "new__journey_event" (
            "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            "journey_id" VARCHAR(64) NOT NULL,
            "seq" INT NOT NULL,
            "action" VARCHAR(40) NOT NULL,
            "from_stage" VARCHAR(32),
            "to_stage" VARCHAR(32) NOT NULL,
            "actor_id" VARCHAR(64) NOT NULL,
            "actor_role" VARCHAR(32) NOT NULL,
            "at" TIMESTAMP NOT NULL,
            "summary" VARCHAR(500) NOT NULL,
            "record_id" VARCHAR(64) UNIQUE{record_reference},
            CONSTRAINT "uid_journey_eve_journey_0754cc" UNIQUE ("journey_id", "seq")
        )""",
        f'INSERT INTO "new__journey_event" ({_COLUMNS}) SELECT {_COLUMNS} FROM "journey_event"',
        'DROP TABLE "journey_event"',
        'ALTER TABLE "new__journey_event" RENAME TO "journey_event"',
    ]


_RECORD_REFERENCE = ' REFERENCES "journey_record" ("id") ON DELETE RESTRICT'
_PG_FOREIGN_KEY = "fk_journey_event_record"


class Migration(migrations.Migration):
    dependencies = [("models", "0010_staff_administration")]

    initial = False

    operations = [
        RunSQLForDialect(
            {
                SQLITE: [
                    "INSERT INTO journey_record (id, journey_id, kind, body, author_id, created_at)"
                    f" SELECT e.record_id, e.journey_id, 'lost_record', '{_LOST_BODY}',"
                    f" 'system', e.at {_DANGLING}"
                ],
                POSTGRES: [
                    "INSERT INTO journey_record (id, journey_id, kind, body, author_id, created_at)"
                    f" SELECT e.record_id, e.journey_id, 'lost_record', '{_LOST_BODY}'::jsonb,"
                    f" 'system', e.at {_DANGLING}"
                ],
            },
            {SQLITE: [], POSTGRES: []},
        ),
        RunSQLForDialect(
            {
                SQLITE: _sqlite_event_table(_RECORD_REFERENCE),
                POSTGRES: [
                    f'ALTER TABLE "journey_event" ADD CONSTRAINT "{_PG_FOREIGN_KEY}"'
                    ' FOREIGN KEY ("record_id") REFERENCES "journey_record" ("id")'
                    " ON DELETE RESTRICT"
                ],
            },
            {
                SQLITE: _sqlite_event_table(""),
                POSTGRES: [f'ALTER TABLE "journey_event" DROP CONSTRAINT "{_PG_FOREIGN_KEY}"'],
            },
        ),
        ops.CreateModel(
            name="JourneyRecordVoid",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "record",
                    fields.OneToOneField(
                        "models.JourneyRecord",
                        source_field="record_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="void",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reason", fields.CharField(max_length=200)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "journey_record_void",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A draft the journey will never attach, as its workflow answered reconciliation.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables(
            "client",
            "journey_event",
            "journey_record",
            "journey_record_void",
            "triage_entry",
            "ownership_transfer",
            "revenue_credit",
            "lead_contact",
            "desk_note",
        ),
    ]
