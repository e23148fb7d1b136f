from tortoise import fields, migrations

from domain.store.column_default import AddFieldWithItsDefault


class Migration(migrations.Migration):
    dependencies = [("models", "0009_audit_log")]

    initial = False

    operations = [
        AddFieldWithItsDefault(
            model_name="StaffAccount",
            name="must_change_password",
            field=fields.BooleanField(default=False),
            default_sql="FALSE",
        ),
    ]
