"""At most one recheck per client still to come in (`ActiveRecheckClaim`): two warranty claims
sent at once opened two rechecks."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0027_staff_names")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ActiveRecheckClaim",
            fields=[
                (
                    "client_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                ("claimed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "active_recheck_claim",
                "app": "models",
                "pk_attr": "client_id",
                "table_description": "At most one recheck per client still to come in: a "
                "complication or a warranty claim claims the client before the recheck's "
                "workflow exists.",
            },
            bases=["Model"],
        ),
    ]
