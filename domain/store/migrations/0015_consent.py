"""Consent templates, signatures and withdrawals.

All three tables are append-only in the database itself (triggers refuse UPDATE, DELETE and,
on PostgreSQL, TRUNCATE): a published template version, and so every signed one, never changes.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0014_client_file")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ConsentTemplateVersion",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("template_key", fields.CharField(max_length=100)),
                ("procedure_type", fields.CharField(max_length=100)),
                ("kind", fields.CharField(max_length=32)),
                ("version", fields.IntField()),
                (
                    "texts",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("content_hash", fields.CharField(max_length=64)),
                ("published_by", fields.CharField(max_length=64)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consent_template_version",
                "app": "models",
                "unique_together": (("clinic_id", "template_key", "version"),),
                "pk_attr": "id",
                "table_description": "One published version of a consent template: its texts in every language and its hash.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ConsentSignature",
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
                        related_name="consent_signatures",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                (
                    "template_version",
                    fields.ForeignKeyField(
                        "models.ConsentTemplateVersion",
                        source_field="template_version_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="signatures",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("content_hash", fields.CharField(max_length=64)),
                ("kind", fields.CharField(max_length=32)),
                ("language", fields.CharField(max_length=16)),
                ("signer_name", fields.CharField(max_length=200)),
                ("capacity", fields.CharField(max_length=16)),
                ("guardian_name", fields.CharField(null=True, max_length=200)),
                ("guardian_relation", fields.CharField(null=True, max_length=100)),
                ("witness_id", fields.CharField(max_length=64)),
                ("witness_role", fields.CharField(max_length=32)),
                ("signature_format", fields.CharField(null=True, max_length=16)),
                ("signature_data", fields.TextField(null=True, unique=False)),
                ("signed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consent_signature",
                "app": "models",
                "indexes": [Index(fields=["client_id", "signed_at"])],
                "pk_attr": "id",
                "table_description": "One signed consent: who signed, in what capacity, which exact text, witnessed by whom.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ConsentWithdrawal",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "signature",
                    fields.OneToOneField(
                        "models.ConsentSignature",
                        source_field="signature_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="withdrawal",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("recorded_by", fields.CharField(max_length=64)),
                ("withdrawn_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consent_withdrawal",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A consent withdrawn: the signature stays, with this withdrawal next to it.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("consent_template_version", "consent_signature", "consent_withdrawal"),
    ]
