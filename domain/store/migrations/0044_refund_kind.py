"""Each refund says what it means for its bill (`refund.kind`, `domain.money.refund_kinds`): a
REVERSAL undoes its payment, which is owed again; GOODWILL is money the clinic gives back after
the treatment began, which the bill no longer asks for.

`refund` is append-only in the database. 0043 added its own column nullable and filled it
with its table's triggers dropped for the while; here every refund stored so far meant a
REVERSAL, so the column is added NOT NULL with REVERSAL as the database's own default (the same
statement on SQLite and PostgreSQL, `store.column_default`): the stored rows read as it without
an UPDATE, and the triggers are never dropped. A refund written by a process of the release
before, in a rolling deploy, gets the default too. Rolled back, the column is dropped in place.
"""

from tortoise import fields, migrations

from domain.store.column_default import AddFieldWithItsDefault


class Migration(migrations.Migration):
    dependencies = [("models", "0043_partner_name_order")]

    initial = False

    operations = [
        AddFieldWithItsDefault(
            model_name="Refund",
            name="kind",
            field=fields.CharField(max_length=16, default="REVERSAL"),
            default_sql="'REVERSAL'",
        ),
    ]
