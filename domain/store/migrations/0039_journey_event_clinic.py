"""Each journey event names its journey's clinic, and a clinic's events are indexed by id.

A live subscriber's replay (`schema.supervision.log_replay`) read the events it missed back from
a window of every clinic's newest 50,000, then kept its clinic's: at 120,000 events it cost
hundreds of milliseconds, and a busy clinic pushed a quiet one's own events out of the window.
`journey_event.clinic_id`, with an index on `(clinic_id, id)`, lets it read its clinic's only,
newest first. The projection writes it with every event (`store.projection`).

The events already stored get their journey's clinic here. `journey_event` is append-only in
the database (migration 0011's triggers refuse UPDATE and DELETE), so this migration drops the
table's triggers, fills the column, and makes the table append-only again, in its one
transaction: no other session sees the table unguarded (on PostgreSQL, DROP TRIGGER locks the
table until the commit; SQLite has one writer), and past the migration every path that changes a
stored event is refused as before, the new column included. The ways not taken: a trigger that
lets an UPDATE set a null clinic would leave a way to change clinical rows open for good, and a
separate table of the events' clinics would add a join to every replay. An event whose journey
has no row (none is written so, but the log may hold one from an early release) keeps a null
clinic, which no replay reads: it had no journey to be judged by before either.

Rolled back, the column is dropped in place (`store.column_default`): the table keeps its
triggers, its (journey_id, seq) uniqueness and its reference to `journey_record`, which SQLite's
rebuild of the table (Tortoise's way back) lost.
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import (
    POSTGRES,
    SQLITE,
    RunSQLForDialect,
    append_only_sql,
    drop_append_only_sql,
)
from domain.store.column_default import AddNullableField

_TABLE = "journey_event"
_CLINICS = (
    "UPDATE journey_event SET clinic_id ="
    " (SELECT journey.clinic_id FROM journey WHERE journey.id = journey_event.journey_id)"
    " WHERE clinic_id IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [("models", "0038_phone_keys_dialled_abroad")]

    initial = False

    operations = [
        AddNullableField(
            model_name="JourneyEvent",
            name="clinic_id",
            field=fields.CharField(max_length=64, null=True),
        ),
        RunSQLForDialect(
            {
                dialect: [
                    *drop_append_only_sql(_TABLE, dialect),
                    _CLINICS,
                    *append_only_sql(_TABLE, dialect),
                ]
                for dialect in (SQLITE, POSTGRES)
            },
            {SQLITE: [], POSTGRES: []},
        ),
        ops.AddIndex(model_name="JourneyEvent", index=Index(fields=["clinic_id", "id"])),
    ]
