from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0004_clinic_slas")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ActiveJourneyClaim",
            fields=[
                (
                    "client_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                ("claimed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "active_journey_claim",
                "app": "models",
                "pk_attr": "client_id",
                "table_description": "At most one active journey per client: a start claims the client before the workflow",
            },
            bases=["Model"],
        ),
    ]
