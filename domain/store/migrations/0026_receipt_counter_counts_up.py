"""A clinic's receipt counter moves only to the next number, in the database itself.

Receipt numbers run 1, 2, 3, ... without a gap (`domain.store.receipts`). The counter row must
change, so it could not be append-only; moved back, the next payment would take a number
already on a receipt, and moved on, numbers would be missing. Only the step a payment takes, to
the next number of the same clinic, is allowed.
"""

from tortoise import migrations

from domain.store.append_only import counts_up_by_one


class Migration(migrations.Migration):
    dependencies = [("models", "0025_stage_counts")]

    initial = False

    operations = [counts_up_by_one("receipt_counter", "clinic_id", "last_number")]
