"""Open recheck reminders written due at the recheck itself (the first release that wrote them)
move to a day before it, where a reminder is written now (`domain.store.old_recheck_reminders`).
Rows only, no schema: a new database has none to move. Going back leaves them where they are:
the reminder due at the visit was the old rule's mistake, not a state to return to."""

from datetime import UTC, datetime

from tortoise import migrations
from tortoise.migrations import operations as ops

from domain.store.old_recheck_reminders import move_old_recheck_reminders


async def move_reminders(apps, schema_editor):
    if schema_editor.collect_sql:
        return  # rows read and written one by one: there is no script to show
    await move_old_recheck_reminders(schema_editor.client, datetime.now(UTC))


class Migration(migrations.Migration):
    dependencies = [("models", "0031_recheck_kept")]

    initial = False

    operations = [ops.RunPython(move_reminders, ops.RunPython.noop)]
