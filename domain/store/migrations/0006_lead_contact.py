from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0005_active_journey_claim")]

    initial = False

    operations = [
        ops.CreateModel(
            name="LeadContact",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("client_id", fields.CharField(db_index=True, max_length=64)),
                ("consultant_id", fields.CharField(max_length=64)),
                ("channel", fields.CharField(max_length=32)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("note", fields.CharField(null=True, max_length=1000)),
            ],
            options={
                "table": "lead_contact",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A phone or online contact with a prospective client, by a consultant. For such leads the",
            },
            bases=["AppendOnlyModel"],
        ),
    ]
