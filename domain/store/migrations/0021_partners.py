"""Partner salons: registration versions, the journeys they referred, the deadlines they missed.

All three tables are append-only in the database itself (triggers refuse UPDATE, DELETE and,
on PostgreSQL, TRUNCATE): a partner's new details are a new registration version.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.store.append_only import protect_tables


def _int_id() -> tuple[str, fields.IntField]:
    return ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True))


def _options(table: str, description: str) -> dict[str, object]:
    return {"table": table, "app": "models", "pk_attr": "id", "table_description": description}


class Migration(migrations.Migration):
    dependencies = [("models", "0020_billing")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PartnerRegistration",
            fields=[
                (
                    "id",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("partner_id", fields.CharField(db_index=True, max_length=64)),
                ("clinic_id", fields.CharField(db_index=True, max_length=64)),
                ("version", fields.IntField()),
                ("name", fields.CharField(max_length=200)),
                ("agreement_reference", fields.CharField(null=True, max_length=200)),
                ("bank_details", fields.CharField(null=True, max_length=500)),
                (
                    "premises_photo_ids",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("registered_by", fields.CharField(max_length=64)),
                ("registered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                **_options(
                    "partner_registration",
                    "One version of a partner registration: the highest version is in force.",
                ),
                "unique_together": (("partner_id", "version"),),
            },
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="PartnerReferral",
            fields=[
                _int_id(),
                ("clinic_id", fields.CharField(max_length=64)),
                ("partner_id", fields.CharField(db_index=True, max_length=64)),
                ("journey_id", fields.CharField(unique=True, max_length=64)),
                ("client_id", fields.CharField(max_length=64)),
                ("recorded_by", fields.CharField(max_length=64)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options=_options(
                "partner_referral",
                "A journey the partner sent (reception recorded the arrival as a partner referral).",
            ),
            bases=["AppendOnlyModel"],
        ),
        ops.CreateModel(
            name="PartnerLapse",
            fields=[
                _int_id(),
                ("clinic_id", fields.CharField(max_length=64)),
                ("partner_id", fields.CharField(db_index=True, max_length=64)),
                ("milestone", fields.CharField(max_length=32)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("flagged_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                **_options(
                    "partner_lapse",
                    "A deadline of seed 003 the partner missed, flagged by the partner workflow.",
                ),
                "unique_together": (("partner_id", "milestone"),),
            },
            bases=["AppendOnlyModel"],
        ),
        protect_tables("partner_registration", "partner_referral", "partner_lapse"),
    ]
