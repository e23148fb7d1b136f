"""Name keys in the comparable form (`domain.client_file.matching.name_key`): a name written
with a decomposed letter, full-width letters or an invisible format character (a soft hyphen,
a zero-width space) is found by the name as it reads. Every identity version there is gets its
name's key as a registration makes it now; the keys made before stay (the table is
append-only)."""

from tortoise import migrations

from domain.store.match_key_backfill import NameKeysComparable


class Migration(migrations.Migration):
    dependencies = [("models", "0050_complaint_change")]

    initial = False

    operations = [NameKeysComparable("name keys in their comparable form")]
