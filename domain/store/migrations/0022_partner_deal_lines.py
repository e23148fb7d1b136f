"""What a partner statement needs from a bill: whether a price-list item is a special-price
minor procedure (seed 003, rule 9; versioned with the item and copied to the bill line), and
whether the client is the partner's own staff or relative (rule 10), kept on the bill.

Columns with a default added to append-only tables: existing rows read as the default, and no
row is updated (the guards stay as migration 0020 installed them).
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0021_partners")]

    initial = False

    operations = [
        ops.AddField(
            model_name="PriceListItem",
            name="minor_procedure",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="BillLine",
            name="minor_procedure",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Bill",
            name="partner_staff",
            field=fields.CharField(default="NONE", max_length=32),
        ),
    ]
