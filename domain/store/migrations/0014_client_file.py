"""The client file: entries of each part, their "entered in error" marks, identity amendments.

All three tables are append-only in the database itself (triggers refuse UPDATE, DELETE and,
on PostgreSQL, TRUNCATE): a correction is a new row that points at the original.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


class Migration(migrations.Migration):
    dependencies = [("models", "0013_event_snapshot")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ClientEntry",
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
                        related_name="file_entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                (
                    "body",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("author_id", fields.CharField(max_length=64)),
                ("author_role", fields.CharField(max_length=32)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "amends",
                    fields.OneToOneField(
                        "models.ClientEntry",
                        source_field="amends_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="amended_by",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reason", fields.CharField(null=True, max_length=1000)),
            ],
            options={
                "table": "client_entry",
                "app": "models",
                "indexes": [Index(fields=["client_id", "kind", "recorded_at"])],
                "pk_attr": "id",
                "table_description": "One entry of one part of the file (`kind`), with its author, role and time.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ClientEntryError",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "entry",
                    fields.OneToOneField(
                        "models.ClientEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="error_mark",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reason", fields.CharField(max_length=1000)),
                ("author_id", fields.CharField(max_length=64)),
                ("author_role", fields.CharField(max_length=32)),
                ("marked_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "client_entry_error",
                "app": "models",
                "pk_attr": "id",
                "table_description": 'An entry marked "entered in error": it stays in the file, shown with this mark.',
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="ClientIdentityAmendment",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="identity_amendments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("full_name", fields.CharField(max_length=200)),
                ("phone", fields.CharField(null=True, max_length=40)),
                ("email", fields.CharField(null=True, max_length=200)),
                ("reason", fields.CharField(max_length=1000)),
                ("author_id", fields.CharField(max_length=64)),
                ("author_role", fields.CharField(max_length=32)),
                ("amended_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "client_identity_amendment",
                "app": "models",
                "indexes": [Index(fields=["client_id", "amended_at"])],
                "pk_attr": "id",
                "table_description": "The identity page as corrected: the whole identity after the correction, and why.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("client_entry", "client_entry_error", "client_identity_amendment"),
    ]
