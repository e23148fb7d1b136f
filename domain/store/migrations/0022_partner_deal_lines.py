"""What a partner statement needs from a bill: whether a price-list item is a special-price
minor procedure (seed 003, rule 9; versioned with the item and copied to the bill line), and
whether the client is the partner's own staff or relative (rule 10), kept on the bill.

Columns with a default added to append-only tables: existing rows read as the database's own
default (`store.column_default`), and no row is updated (the guards stay as migration 0020
installed them).
"""

from tortoise import fields, migrations

from domain.store.column_default import AddFieldWithItsDefault


class Migration(migrations.Migration):
    dependencies = [("models", "0021_partners")]

    initial = False

    operations = [
        AddFieldWithItsDefault(
            model_name="PriceListItem",
            name="minor_procedure",
            field=fields.BooleanField(default=False),
            default_sql="FALSE",
        ),
        AddFieldWithItsDefault(
            model_name="BillLine",
            name="minor_procedure",
            field=fields.BooleanField(default=False),
            default_sql="FALSE",
        ),
        AddFieldWithItsDefault(
            model_name="Bill",
            name="partner_staff",
            field=fields.CharField(default="NONE", max_length=32),
            default_sql="'NONE'",
        ),
    ]
