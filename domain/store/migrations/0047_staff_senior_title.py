"""A doctor's senior professional title on the staff account (`staff_account.senior_title`):
seed 004 三.4 has a complex procedure led by a doctor holding one ("具备高级职称的医生主持"). An
administrator or a supervisor sets it (`setSeniorTitle`).

No account stored before it held one the system knew of: the column is added NOT NULL with
FALSE as the database's own default (the same statement on SQLite and PostgreSQL,
`store.column_default`), so the stored accounts read as holding none without an UPDATE, and an
account made by a process of the release before, in a rolling deploy, gets it too. Rolled back,
the column is dropped in place.
"""

from tortoise import fields, migrations

from domain.store.column_default import AddFieldWithItsDefault


class Migration(migrations.Migration):
    dependencies = [("models", "0046_complaint")]

    initial = False

    operations = [
        AddFieldWithItsDefault(
            model_name="StaffAccount",
            name="senior_title",
            field=fields.BooleanField(default=False),
            default_sql="FALSE",
        ),
    ]
