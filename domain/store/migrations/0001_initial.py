import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Clinic",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("name", fields.CharField(max_length=200)),
                ("timezone", fields.CharField(default="Europe/Warsaw", max_length=64)),
            ],
            options={"table": "clinic", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Client",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "clinic",
                    fields.ForeignKeyField(
                        "models.Clinic",
                        source_field="clinic_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="clients",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("full_name", fields.CharField(db_index=True, max_length=200)),
                ("birth_date", fields.DateField()),
                ("phone", fields.CharField(db_index=True, max_length=40)),
                ("email", fields.CharField(null=True, max_length=200)),
                ("occupation", fields.CharField(null=True, max_length=200)),
                ("data_consent_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("registered_by", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "client",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The client file's identity page. Corrections come as `ClientAmendment` rows.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="IdempotencyKey",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("account_id", fields.CharField(max_length=64)),
                ("key", fields.CharField(max_length=200)),
                ("operation", fields.CharField(max_length=64)),
                ("result_id", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "idempotency_key",
                "app": "models",
                "unique_together": (("account_id", "key"),),
                "pk_attr": "id",
                "table_description": "A mutation's key and what it produced, so a retried call changes nothing.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Journey",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("clinic_id", fields.CharField(db_index=True, max_length=64)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="journeys",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("consultant_id", fields.CharField(null=True, db_index=True, max_length=64)),
                ("stage", fields.CharField(db_index=True, max_length=32)),
                ("visit_category", fields.CharField(max_length=32)),
                ("active", fields.BooleanField(default=True, db_index=True)),
                (
                    "started_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("stage_entered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_event_seq", fields.IntField(default=0)),
                (
                    "facts",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "journey",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Projection of one journey workflow. The facts column is the workflow's own snapshot.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JourneyEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("journey_id", fields.CharField(max_length=64)),
                ("seq", fields.IntField()),
                ("action", fields.CharField(max_length=40)),
                ("from_stage", fields.CharField(null=True, max_length=32)),
                ("to_stage", fields.CharField(max_length=32)),
                ("actor_id", fields.CharField(max_length=64)),
                ("actor_role", fields.CharField(max_length=32)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("summary", fields.CharField(max_length=500)),
                ("record_id", fields.CharField(null=True, unique=True, max_length=64)),
            ],
            options={
                "table": "journey_event",
                "app": "models",
                "unique_together": (("journey_id", "seq"),),
                "pk_attr": "id",
                "table_description": "The append-only journey log. (journey, seq) makes the at-least-once writer idempotent.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="JourneyRecord",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("journey_id", fields.CharField(db_index=True, max_length=64)),
                ("kind", fields.CharField(max_length=40)),
                (
                    "body",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("author_id", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "amends",
                    fields.ForeignKeyField(
                        "models.JourneyRecord",
                        source_field="amends_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="amendments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "journey_record",
                "app": "models",
                "pk_attr": "id",
                "table_description": "What staff wrote for one action (plans, consents, notes): the clinical content.",
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="StaffAccount",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "clinic",
                    fields.ForeignKeyField(
                        "models.Clinic",
                        source_field="clinic_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="staff",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("username", fields.CharField(unique=True, max_length=100)),
                ("display_name", fields.CharField(max_length=200)),
                ("role", fields.CharField(max_length=32)),
                ("password_hash", fields.CharField(max_length=255)),
                ("active", fields.BooleanField(default=True)),
            ],
            options={"table": "staff_account", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
