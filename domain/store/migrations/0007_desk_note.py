from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0006_lead_contact")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DeskNote",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(db_index=True, max_length=64)),
                ("author_id", fields.CharField(max_length=64)),
                ("operation", fields.CharField(max_length=64)),
                ("text", fields.TextField(unique=False)),
                ("policy_name", fields.CharField(null=True, max_length=100)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "desk_note",
                "app": "models",
                "pk_attr": "id",
                "table_description": "What staff wrote for one desk change: its reason and, for a new rotation policy, the",
            },
            bases=["AppendOnlyModel"],
        ),
    ]
