"""Live subscriptions counted across every API process (`LiveSubscriptionLease`): the bound of
an account's open subscriptions was kept in each process's memory, so with several API replicas
an account held that many on each. Operational rows, written when a subscription opens and
deleted when it ends (or swept once expired): not append-only."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0029_photo_consent_grant")]

    initial = False

    operations = [
        ops.CreateModel(
            name="LiveSubscriptionLease",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("account_id", fields.CharField(max_length=64)),
                ("holder", fields.CharField(db_index=True, max_length=64)),
                (
                    "expires_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "live_subscription_lease",
                "app": "models",
                "indexes": [Index(fields=["account_id", "expires_at"])],
                "pk_attr": "id",
                "table_description": "One open subscription of an account, held by the API "
                "process serving it until it ends, or until it expires when that process stops "
                "renewing it.",
            },
            bases=["Model"],
        ),
    ]
