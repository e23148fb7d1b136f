import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.column_default import AddFieldWithItsDefault


class Migration(migrations.Migration):
    dependencies = [("models", "0003_triage_desk")]

    initial = False

    operations = [
        AddFieldWithItsDefault(
            model_name="Clinic",
            name="stage_slas",
            field=fields.JSONField(
                default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
            default_sql="'{}'",
        ),
        ops.RemoveIndex(
            model_name="Journey",
            name=None,
            fields=["clinic_id", "active", "stage"],
        ),
        ops.AddIndex(
            model_name="Journey",
            index=Index(fields=["clinic_id", "active", "stage", "stuck"]),
        ),
    ]
