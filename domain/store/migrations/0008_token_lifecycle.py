from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.column_default import AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0007_desk_note")]

    initial = False

    operations = [
        AddNullableField(
            model_name="StaffAccount",
            name="tokens_valid_after",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.CreateModel(
            name="RevokedToken",
            fields=[
                (
                    "token_id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("account_id", fields.CharField(max_length=64)),
                (
                    "expires_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "revoked_token",
                "app": "models",
                "pk_attr": "token_id",
                "table_description": "One signed-out token (`logout`), kept until it would have expired anyway.",
            },
            bases=["Model"],
        ),
    ]
