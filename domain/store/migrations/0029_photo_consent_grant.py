"""What each signed PHOTO consent gave (`PhotoConsentGrant`), so that withdrawing it ends those
purposes only: a consent signed on a paper form kept no row naming its purposes, and its
withdrawal ended every purpose in force. Append-only in the database itself, like the photo
consent changes it names. Consents signed before it have no grant (see `withdraw_signed_purposes`).
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0028_active_recheck_claim")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PhotoConsentGrant",
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
                        related_name="photo_consent_grants",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                ("signature_id", fields.CharField(null=True, max_length=64)),
                (
                    "changes",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("granted_by", fields.CharField(max_length=64)),
                ("granted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "photo_consent_grant",
                "app": "models",
                "indexes": [Index(fields=["journey_id", "granted_at"])],
                "pk_attr": "id",
                "table_description": "The purposes one signed PHOTO consent gave, each with the "
                "change that gave it: what withdrawing that consent takes back.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("photo_consent_grant"),
    ]
