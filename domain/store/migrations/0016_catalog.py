"""The clinic's catalogue of products and procedures, one row per item version.

Append-only in the database itself (triggers refuse UPDATE, DELETE and, on PostgreSQL,
TRUNCATE): a change to an item is its next version.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


def _json() -> fields.JSONField:  # type: ignore[type-arg]
    return fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads)


class Migration(migrations.Migration):
    dependencies = [("models", "0015_consent")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CatalogItemVersion",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(max_length=64)),
                ("item_id", fields.CharField(max_length=64)),
                ("version", fields.IntField()),
                ("name", fields.CharField(max_length=200)),
                ("kind", fields.CharField(max_length=16)),
                ("ingredients", _json()),
                ("allergens", _json()),
                ("interacting_medications", _json()),
                ("excluded_states", _json()),
                ("minimum_age", fields.IntField(null=True)),
                ("published_by", fields.CharField(max_length=64)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "catalog_item_version",
                "app": "models",
                "unique_together": (("clinic_id", "item_id", "version"),),
                "pk_attr": "id",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("catalog_item_version"),
    ]
