"""A consent withdrawn once its journey had ended (`ConsentWithdrawalAfterJourney`): a photo or
data-processing consent outlives its journey (`domain.consent.after_journey`), and the finished
workflow records no step, so the withdrawal is this row, one per journey and kind. Append-only in
the database itself, like the signatures and withdrawals beside it.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0035_phone_keys_by_country")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ConsentWithdrawalAfterJourney",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consent_withdrawals_after_journey",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                ("kind", fields.CharField(max_length=32)),
                ("note", fields.TextField(null=True, unique=False)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_by_role", fields.CharField(max_length=32)),
                ("withdrawn_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consent_withdrawal_after_journey",
                "app": "models",
                "unique_together": (("journey_id", "kind"),),
                "pk_attr": "id",
                "table_description": "A consent withdrawn once its journey had ended "
                "(`domain.consent.after_journey`): the withdrawal's record.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("consent_withdrawal_after_journey"),
    ]
