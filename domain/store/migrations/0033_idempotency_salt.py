"""Ids a request derives from its idempotency key stop telling anything of the key.

- `idempotency_key.salt`: random, written when a key is first claimed; every id the request
  derives (its rows, its journey, its Temporal update) comes from it, so a key built from what
  the client sends (a name, a phone number) cannot be checked against those ids by guessing.
  Rows written before have none: their requests keep deriving ids from (account, key), so a
  retry of one left unfinished converges on what its first attempt made.
"""

from tortoise import fields, migrations

from domain.store.column_default import AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0032_recheck_reminders_ahead")]

    initial = False

    operations = [
        AddNullableField(
            model_name="IdempotencyKey",
            name="salt",
            field=fields.CharField(max_length=32, null=True),
        ),
    ]
