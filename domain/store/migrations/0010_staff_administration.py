from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0009_audit_log")]

    initial = False

    operations = [
        ops.AddField(
            model_name="StaffAccount",
            name="must_change_password",
            field=fields.BooleanField(default=False),
        ),
    ]
