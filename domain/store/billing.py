"""The money tables: price list, bills and their lines, confirmations, payments and refunds.

Amounts are whole minor units (`*_minor`, BigInt) beside an ISO 4217 code: exact on SQLite and
PostgreSQL alike; `domain.money.Money` turns them back into Decimal amounts. Every table but the
two settings rows is append-only in the database itself (migration 0018): a price change is a new
version, a correction of a bill is a new bill, a refund is a new row beside its payment.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from domain.store.models import AppendOnlyModel


class ClinicBilling(Model):
    """A clinic's money settings: a clinic without a row has the defaults (`domain.money`)."""

    clinic_id = fields.CharField(primary_key=True, max_length=64)
    currency = fields.CharField(max_length=3)
    locale = fields.CharField(max_length=32)
    # A discount above this share of the bill (in percent) needs a supervisor.
    discount_threshold_percent = fields.IntField()
    payment_policy = fields.CharField(max_length=16)

    class Meta:
        table = "clinic_billing"


class ReceiptCounter(Model):
    """The last receipt number a clinic gave: taken and raised in the payment's transaction."""

    clinic_id = fields.CharField(primary_key=True, max_length=64)
    last_number = fields.BigIntField(default=0)

    class Meta:
        table = "receipt_counter"


class PriceListItem(AppendOnlyModel):
    """One version of a price-list item: the newest version of a code is the one in force."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    code = fields.CharField(max_length=64)
    version = fields.IntField()
    kind = fields.CharField(max_length=32)
    name = fields.CharField(max_length=200)
    currency = fields.CharField(max_length=3)
    list_price_minor = fields.BigIntField()
    special_price_minor = fields.BigIntField(null=True)
    consumable_cost_minor = fields.BigIntField(null=True)
    # Seed 003 rule 9: a special-price minor procedure pays a partner 10 % (see partner_split).
    minor_procedure = fields.BooleanField(default=False)
    valid_from = fields.DateField()
    valid_to = fields.DateField(null=True)
    set_by = fields.CharField(max_length=64)
    set_at = fields.DatetimeField()

    class Meta:
        table = "price_list_item"
        unique_together = (("clinic_id", "code", "version"),)


class Bill(AppendOnlyModel):
    """An itemised bill for a journey: it keeps the prices it was made with (its lines)."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    client_id = fields.CharField(max_length=64, db_index=True)
    currency = fields.CharField(max_length=3)
    subtotal_minor = fields.BigIntField()
    discount_minor = fields.BigIntField(default=0)
    discount_reason = fields.TextField(null=True)
    discount_granted_by = fields.CharField(max_length=64, null=True)
    total_minor = fields.BigIntField()
    # Seed 003 rule 10: the client is the referring partner's own staff or relative
    # (`partner_split.StaffTreatment`).
    partner_staff = fields.CharField(max_length=32, default="NONE")
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "bill"


class BillLine(AppendOnlyModel):
    id = fields.CharField(primary_key=True, max_length=64)
    bill: fields.ForeignKeyRelation[Bill] = fields.ForeignKeyField(
        "models.Bill", related_name="lines", on_delete=fields.RESTRICT
    )
    bill_id: str
    position = fields.IntField()
    price_item_id = fields.CharField(max_length=64)
    item_code = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=32)
    name = fields.CharField(max_length=200)
    quantity = fields.IntField()
    list_price_minor = fields.BigIntField()
    unit_price_minor = fields.BigIntField()
    special_price = fields.BooleanField(default=False)
    minor_procedure = fields.BooleanField(default=False)
    consumable_cost_minor = fields.BigIntField(default=0)
    line_total_minor = fields.BigIntField()

    class Meta:
        table = "bill_line"
        indexes = (("bill_id", "position"),)


class BillConfirmation(AppendOnlyModel):
    """The client's confirmation of a bill, recorded like a signature."""

    id = fields.CharField(primary_key=True, max_length=64)
    bill: fields.OneToOneRelation[Bill] = fields.OneToOneField(
        "models.Bill", related_name="confirmation", on_delete=fields.RESTRICT
    )
    bill_id: str
    signer_name = fields.CharField(max_length=200)
    signature_format = fields.CharField(max_length=16, null=True)
    signature_data = fields.TextField(null=True)
    witness_id = fields.CharField(max_length=64)
    witness_role = fields.CharField(max_length=32)
    confirmed_at = fields.DatetimeField()

    class Meta:
        table = "bill_confirmation"


class Payment(AppendOnlyModel):
    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    client_id = fields.CharField(max_length=64, db_index=True)
    bill_id = fields.CharField(max_length=64, null=True, db_index=True)
    kind = fields.CharField(max_length=32)
    method = fields.CharField(max_length=32)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    receipt_number = fields.BigIntField()
    recorded_by = fields.CharField(max_length=64)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "payment"
        unique_together = (("clinic_id", "receipt_number"),)
        indexes = (("clinic_id", "recorded_at"),)  # a month's payments


class Refund(AppendOnlyModel):
    """Money given back: a new row beside the payment, which stays as it was."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="refunds", on_delete=fields.RESTRICT
    )
    payment_id: str
    journey_id = fields.CharField(max_length=64)
    client_id = fields.CharField(max_length=64, db_index=True)
    bill_id = fields.CharField(max_length=64, null=True)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    reason = fields.TextField()
    before_treatment = fields.BooleanField()
    # `domain.money.refund_kinds.RefundKind`: whether the bill asks for the money again.
    kind = fields.CharField(max_length=16, default="REVERSAL")
    recorded_by = fields.CharField(max_length=64)
    recorded_role = fields.CharField(max_length=32)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "refund"
        indexes = (("clinic_id", "recorded_at"), ("payment_id",), ("bill_id",), ("journey_id",))


class InstallmentDue(AppendOnlyModel):
    """One installment of a plan agreed with its first payment: when, and how much."""

    id = fields.CharField(primary_key=True, max_length=64)
    bill_id = fields.CharField(max_length=64, db_index=True)
    clinic_id = fields.CharField(max_length=64)
    seq = fields.IntField()
    due_on = fields.DateField()
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)

    class Meta:
        table = "installment_due"
        unique_together = (("bill_id", "seq"),)


class InstallmentOverdue(AppendOnlyModel):
    """A task: the bill was not paid up to this installment when it fell due."""

    id = fields.CharField(primary_key=True, max_length=64)
    bill_id = fields.CharField(max_length=64, db_index=True)
    clinic_id = fields.CharField(max_length=64, db_index=True)
    journey_id = fields.CharField(max_length=64)
    seq = fields.IntField()
    owed_by_then_minor = fields.BigIntField()
    noted_at = fields.DatetimeField()

    class Meta:
        table = "installment_overdue"
