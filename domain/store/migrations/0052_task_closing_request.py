"""Each task's closing names the request that closed it (`task_closing.request_id`,
`domain.store.aftercare.TaskClosing`), so `completeTask` answers the task done to an attempt of
that request only: matched by its closer and note, the closer's own new request with the same
note was answered done, where any other second closing is refused as already done.

`task_closing` is append-only in the database. The column is added nullable and the stored
closings are left as they were written: their request was never kept, and a null one is matched
by closer and note as before, so a retry of a request answered by the release before answers as
it did; a closing written by a process of that release, in a rolling deploy, is null too and
matched so. Rolled back, the column is dropped in place (`store.column_default`), the table's
triggers untouched.
"""

from tortoise import fields, migrations

from domain.store.column_default import AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0051_name_keys_comparable")]

    initial = False

    operations = [
        AddNullableField(
            model_name="TaskClosing",
            name="request_id",
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
