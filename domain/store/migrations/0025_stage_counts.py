"""Per-stage counters and finished stays for the supervisor's board, filled from the rows there are.

The counters hold what `SELECT ... GROUP BY clinic_id, stage` over the active journeys says; the
stays are the stage changes of the journey log, each timed from the change before it (as the
board computed them from the events until now).
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import POSTGRES, SQLITE, RunSQLForDialect

_COUNTS = """
INSERT INTO journey_stage_count (clinic_id, stage, active, stuck)
SELECT clinic_id, stage, COUNT(*), SUM(CASE WHEN stuck THEN 1 ELSE 0 END)
FROM journey WHERE active GROUP BY clinic_id, stage
"""

# Each stage change of a journey, with the time of the change before it (its stay's start).
_STAYS = """
INSERT INTO stage_stay (clinic_id, journey_id, seq, stage, ended_at, seconds)
SELECT j.clinic_id, m.journey_id, m.seq, m.from_stage, m.at, {seconds}
FROM (
    SELECT journey_id, seq, from_stage, at,
           LAG(at) OVER (PARTITION BY journey_id ORDER BY seq) AS began
    FROM journey_event WHERE from_stage IS NULL OR from_stage <> to_stage
) m JOIN journey j ON j.id = m.journey_id
WHERE m.from_stage IS NOT NULL AND m.began IS NOT NULL
"""

backfill = RunSQLForDialect(
    {
        SQLITE: [
            _COUNTS,
            _STAYS.format(seconds="(julianday(m.at) - julianday(m.began)) * 86400.0"),
        ],
        POSTGRES: [_COUNTS, _STAYS.format(seconds="EXTRACT(EPOCH FROM m.at - m.began)")],
    },
    {SQLITE: [], POSTGRES: []},
)


class Migration(migrations.Migration):
    dependencies = [("models", "0024_task_change")]

    initial = False

    operations = [
        ops.CreateModel(
            name="JourneyStageCount",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("stage", fields.CharField(max_length=32)),
                ("active", fields.IntField(default=0)),
                ("stuck", fields.IntField(default=0)),
            ],
            options={
                "table": "journey_stage_count",
                "app": "models",
                "unique_together": (("clinic_id", "stage"),),
                "pk_attr": "id",
                "table_description": "Active and stuck journeys of a clinic in one stage, for the supervisor's board.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StageStay",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(max_length=64)),
                ("seq", fields.IntField()),
                ("stage", fields.CharField(max_length=32)),
                ("ended_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("seconds", fields.FloatField()),
            ],
            options={
                "table": "stage_stay",
                "app": "models",
                "unique_together": (("journey_id", "seq"),),
                "indexes": [Index(fields=["clinic_id", "ended_at", "stage", "seconds"])],
                "pk_attr": "id",
                "table_description": "One finished stay in a stage, written with the event that left it.",
            },
            bases=["Model"],
        ),
        backfill,
    ]
