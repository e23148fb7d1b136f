"""Money: price list, bills, lines, confirmations, payments, refunds, receipt counters,
installment schedules and the overdue installments.

Every table but the two settings rows (clinic_billing, receipt_counter) is append-only in the
database itself: a new price is a new version, a refund a new row beside its payment.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0019_procedure_types")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Bill",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("client_id", fields.CharField(db_index=True, max_length=64)),
                ("currency", fields.CharField(max_length=3)),
                ("subtotal_minor", fields.BigIntField()),
                ("discount_minor", fields.BigIntField(default=0)),
                ("discount_reason", fields.TextField(null=True, unique=False)),
                ("discount_granted_by", fields.CharField(null=True, max_length=64)),
                ("total_minor", fields.BigIntField()),
                ("created_by", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "bill",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An itemised bill for a journey: it keeps the prices it was made with (its lines).",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="BillConfirmation",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "bill",
                    fields.OneToOneField(
                        "models.Bill",
                        source_field="bill_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="confirmation",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("signer_name", fields.CharField(max_length=200)),
                ("signature_format", fields.CharField(null=True, max_length=16)),
                ("signature_data", fields.TextField(null=True, unique=False)),
                ("witness_id", fields.CharField(max_length=64)),
                ("witness_role", fields.CharField(max_length=32)),
                ("confirmed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "bill_confirmation",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The client's confirmation of a bill, recorded like a signature.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="BillLine",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "bill",
                    fields.ForeignKeyField(
                        "models.Bill",
                        source_field="bill_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("position", fields.IntField()),
                ("price_item_id", fields.CharField(max_length=64)),
                ("item_code", fields.CharField(max_length=64)),
                ("kind", fields.CharField(max_length=32)),
                ("name", fields.CharField(max_length=200)),
                ("quantity", fields.IntField()),
                ("list_price_minor", fields.BigIntField()),
                ("unit_price_minor", fields.BigIntField()),
                ("special_price", fields.BooleanField(default=False)),
                ("consumable_cost_minor", fields.BigIntField(default=0)),
                ("line_total_minor", fields.BigIntField()),
            ],
            options={"table": "bill_line", "app": "models", "pk_attr": "id"},
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ClinicBilling",
            fields=[
                (
                    "clinic_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("currency", fields.CharField(max_length=3)),
                ("locale", fields.CharField(max_length=32)),
                ("discount_threshold_percent", fields.IntField()),
                ("payment_policy", fields.CharField(max_length=16)),
            ],
            options={
                "table": "clinic_billing",
                "app": "models",
                "pk_attr": "clinic_id",
                "table_description": "A clinic's money settings: a clinic without a row has the defaults (`domain.money`).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="InstallmentDue",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("bill_id", fields.CharField(db_index=True, max_length=64)),
                ("clinic_id", fields.CharField(max_length=64)),
                ("seq", fields.IntField()),
                ("due_on", fields.DateField()),
                ("amount_minor", fields.BigIntField()),
                ("currency", fields.CharField(max_length=3)),
            ],
            options={
                "table": "installment_due",
                "app": "models",
                "unique_together": (("bill_id", "seq"),),
                "pk_attr": "id",
                "table_description": "One installment of a plan agreed with its first payment: when, and how much.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="InstallmentOverdue",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("bill_id", fields.CharField(db_index=True, max_length=64)),
                ("clinic_id", fields.CharField(db_index=True, max_length=64)),
                ("journey_id", fields.CharField(max_length=64)),
                ("seq", fields.IntField()),
                ("owed_by_then_minor", fields.BigIntField()),
                ("noted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "installment_overdue",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A task: the bill was not paid up to this installment when it fell due.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="Payment",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("client_id", fields.CharField(db_index=True, max_length=64)),
                ("bill_id", fields.CharField(null=True, db_index=True, max_length=64)),
                ("kind", fields.CharField(max_length=32)),
                ("method", fields.CharField(max_length=32)),
                ("amount_minor", fields.BigIntField()),
                ("currency", fields.CharField(max_length=3)),
                ("receipt_number", fields.BigIntField()),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "payment",
                "app": "models",
                "unique_together": (("clinic_id", "receipt_number"),),
                "pk_attr": "id",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="PriceListItem",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("code", fields.CharField(max_length=64)),
                ("version", fields.IntField()),
                ("kind", fields.CharField(max_length=32)),
                ("name", fields.CharField(max_length=200)),
                ("currency", fields.CharField(max_length=3)),
                ("list_price_minor", fields.BigIntField()),
                ("special_price_minor", fields.BigIntField(null=True)),
                ("consumable_cost_minor", fields.BigIntField(null=True)),
                ("valid_from", fields.DateField()),
                ("valid_to", fields.DateField(null=True)),
                ("set_by", fields.CharField(max_length=64)),
                ("set_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "price_list_item",
                "app": "models",
                "unique_together": (("clinic_id", "code", "version"),),
                "pk_attr": "id",
                "table_description": "One version of a price-list item: the newest version of a code is the one in force.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ReceiptCounter",
            fields=[
                (
                    "clinic_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("last_number", fields.BigIntField(default=0)),
            ],
            options={
                "table": "receipt_counter",
                "app": "models",
                "pk_attr": "clinic_id",
                "table_description": "The last receipt number a clinic gave: taken and raised in the payment's transaction.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Refund",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                (
                    "payment",
                    fields.ForeignKeyField(
                        "models.Payment",
                        source_field="payment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refunds",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                ("client_id", fields.CharField(db_index=True, max_length=64)),
                ("bill_id", fields.CharField(null=True, max_length=64)),
                ("amount_minor", fields.BigIntField()),
                ("currency", fields.CharField(max_length=3)),
                ("reason", fields.TextField(unique=False)),
                ("before_treatment", fields.BooleanField()),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_role", fields.CharField(max_length=32)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "refund",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Money given back: a new row beside the payment, which stays as it was.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables(
            "price_list_item",
            "bill",
            "bill_line",
            "bill_confirmation",
            "payment",
            "refund",
            "installment_due",
            "installment_overdue",
        ),
    ]
