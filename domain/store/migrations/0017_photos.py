"""Photos and photo consents by purpose.

Both tables are append-only in the database itself (triggers refuse UPDATE, DELETE and, on
PostgreSQL, TRUNCATE): a withdrawn purpose is a new row, and a photo's record never changes.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


def _client_key(related_name: str) -> fields.ForeignKeyField:  # type: ignore[type-arg]
    return fields.ForeignKeyField(
        "models.Client",
        source_field="client_id",
        db_constraint=True,
        to_field="id",
        related_name=related_name,
        on_delete=OnDelete.RESTRICT,
    )


def _id() -> fields.CharField:
    return fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)


class Migration(migrations.Migration):
    dependencies = [("models", "0016_catalog")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Photo",
            fields=[
                ("id", _id()),
                ("clinic_id", fields.CharField(max_length=64)),
                ("client", _client_key("photos")),
                ("journey_id", fields.CharField(max_length=64)),
                ("stage", fields.CharField(max_length=32)),
                ("body_area", fields.CharField(max_length=100)),
                ("content_type", fields.CharField(max_length=32)),
                ("size_bytes", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("storage_key", fields.CharField(max_length=128)),
                ("taken_by", fields.CharField(max_length=64)),
                ("taken_by_role", fields.CharField(max_length=32)),
                ("uploaded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "photo",
                "app": "models",
                "indexes": [Index(fields=["client_id", "uploaded_at"])],
                "pk_attr": "id",
                "table_description": "One uploaded photo: its tags, its author and where its "
                "bytes are stored.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="PhotoConsentChange",
            fields=[
                ("id", _id()),
                ("clinic_id", fields.CharField(max_length=64)),
                ("client", _client_key("photo_consent_changes")),
                ("purpose", fields.CharField(max_length=32)),
                ("given", fields.BooleanField()),
                ("signature_id", fields.CharField(null=True, max_length=64)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("recorded_by_role", fields.CharField(max_length=32)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "photo_consent_change",
                "app": "models",
                "indexes": [Index(fields=["client_id", "recorded_at"])],
                "pk_attr": "id",
                "table_description": "One purpose given or withdrawn by a client, with the "
                "signature that gave it, if any.",
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("photo", "photo_consent_change"),
    ]
