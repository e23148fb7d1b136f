"""Phone keys in international form, read in the clinic's country (`domain.client_file.matching`):
"600 100 200" in a Polish clinic is the key of "+48 600 100 200". Every identity version there
is gets its phone's key as a registration makes it now; the keys made before stay (the table
is append-only), no longer asked for by a registration whose number has that form."""

from typing import Any

from tortoise import migrations
from tortoise.migrations.operations import RunSQL

from domain.client_file.matching import clinic_country, phone_key
from domain.store.match_key_backfill import IDENTITIES, add_match_keys

_PHONES = (
    "SELECT i.clinic_id, i.client_id, i.phone, k.timezone"
    f" FROM ({IDENTITIES}) i JOIN clinic k ON k.id = i.clinic_id"
    " WHERE i.phone IS NOT NULL"
)
_FORWARD = "phone keys of the clients there are, by their clinic's country"


class FindPhonesByCountry(RunSQL):
    """Adds the keys; nothing to undo (the older keys were never taken away)."""

    def __init__(self) -> None:
        super().__init__(_FORWARD, "")

    async def _run_sql(self, state_editor: Any, sqls: Any) -> None:
        if sqls != _FORWARD or state_editor.collect_sql:
            return  # backwards, or the SQLite script of a new database: no clients there
        values = set()
        for row in await state_editor.client.execute_query_dict(_PHONES):
            key = phone_key(row["phone"], clinic_country(row["timezone"]))
            if key is not None:
                values.add((row["clinic_id"], key, row["client_id"]))
        await add_match_keys(state_editor, values)


class Migration(migrations.Migration):
    dependencies = [("models", "0034_client_match_keys")]

    initial = False

    operations = [FindPhonesByCountry()]
