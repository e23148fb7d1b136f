"""Idempotency keys remember what they stood for.

- `idempotency_key.digest`: a keyed digest of the operation and its input, so the same key
  with another input is answered `Conflict` instead of the first result. Rows written before
  have none and are matched on the operation alone; operations are now named by the GraphQL
  mutation, so a retry of a call made before this version is a `Conflict` (nothing is done
  twice; the caller sends a new key).
- `lead_contact.request_id`: derived from (account, key) and unique, so concurrent calls with
  one key record one contact (the table is append-only: a duplicate cannot be removed later).
"""

from tortoise import fields, migrations

from domain.store.column_default import AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0011_append_only")]

    initial = False

    operations = [
        AddNullableField(
            model_name="IdempotencyKey",
            name="digest",
            field=fields.CharField(max_length=64, null=True),
        ),
        AddNullableField(
            model_name="LeadContact",
            name="request_id",
            field=fields.CharField(max_length=64, null=True, unique=True),
        ),
    ]
