"""The days a clinic is closed besides weekends (`clinic_day_off`, `domain.clinic_days`): a
complaint's first answer was due two weekdays on, a public holiday counted as a working day.

A setting the supervisor replaces a year at a time, so not append-only. Rolled back, the table
is dropped: complaints received meanwhile keep the due times they were given.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0048_journey_stuck_reason_code")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ClinicDayOff",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("day", fields.DateField()),
                ("reason", fields.CharField(null=True, max_length=200)),
                ("set_by", fields.CharField(max_length=64)),
                ("set_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "clinic_day_off",
                "app": "models",
                "unique_together": (("clinic_id", "day"),),
                "pk_attr": "id",
                "table_description": "A day the clinic is closed, with why.",
            },
            bases=["Model"],
        ),
    ]
