"""Phone keys of numbers written with "00" before their country code where the clinic dials
abroad otherwise, or has no country (`domain.client_file.matching.phone_key`): "00 48 600 100 200"
in a Russian clinic is the key of "+48 600 100 200". Every identity version there is gets its
phone's key as a registration makes it now; the keys made before stay (the table is
append-only)."""

from tortoise import migrations

from domain.store.match_key_backfill import PhoneKeysByCountry


class Migration(migrations.Migration):
    dependencies = [("models", "0037_read_indexes")]

    initial = False

    operations = [PhoneKeysByCountry("phone keys of numbers dialled abroad with 00")]
