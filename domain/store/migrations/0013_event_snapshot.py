"""Every journey event keeps the journey as that event left it.

`journey_event.facts`: the workflow's snapshot just after the event, so the journey can be
rebuilt as of any event (`journeyChanged` pushes one such view per event, in order). Events
written before this version have none (null): a view of one of them is built from the event
and the journey row (`store.snapshots`).
"""

from tortoise import fields, migrations

from domain.store.column_default import AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0012_idempotency_digest")]

    initial = False

    operations = [
        AddNullableField(
            model_name="JourneyEvent",
            name="facts",
            field=fields.JSONField(null=True),
        ),
    ]
