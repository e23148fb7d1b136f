"""Phone keys in international form, read in the clinic's country (`domain.client_file.matching`):
"600 100 200" in a Polish clinic is the key of "+48 600 100 200". Every identity version there
is gets its phone's key as a registration makes it now; the keys made before stay (the table
is append-only), no longer asked for by a registration whose number has that form."""

from tortoise import migrations

from domain.store.match_key_backfill import PhoneKeysByCountry


class Migration(migrations.Migration):
    dependencies = [("models", "0034_client_match_keys")]

    initial = False

    operations = [
        PhoneKeysByCountry("phone keys of the clients there are, by their clinic's country")
    ]
