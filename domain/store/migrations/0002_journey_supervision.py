from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.column_default import AddFieldWithItsDefault, AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        AddNullableField(
            model_name="Journey",
            name="sla_deadline",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AddFieldWithItsDefault(
            model_name="Journey",
            name="stuck",
            field=fields.BooleanField(default=False),
            default_sql="FALSE",
        ),
        AddNullableField(
            model_name="Journey",
            name="stuck_reason",
            field=fields.CharField(null=True, max_length=200),
        ),
        AddNullableField(
            model_name="Journey",
            name="stuck_since",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name="Journey",
            index=Index(fields=["clinic_id", "stuck", "sla_deadline"]),
        ),
        ops.AddIndex(
            model_name="Journey",
            index=Index(fields=["clinic_id", "active", "stage"]),
        ),
    ]
