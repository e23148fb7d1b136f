"""Migration 0043 gives each partner registration version already stored its case-folded name
(`name_order`, made by the same Python as a new version's), and leaves the table append-only as
it found it (on a database of its own, of the session's kind)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.store.append_only import is_append_only_refusal
from domain.store.partners import PartnerRegistration
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row
from tests.store.money_rows import utc

BEFORE = "models.0042_client_consent"
NAMES = ["Straße Nord", "ÉCLAT", "美容院", "Salon Róża"]


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def test_stored_versions_get_their_case_folded_name_and_stay_append_only(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0042 left it, with partner versions named in several scripts
    async with migration_templates.migrated_to(BEFORE) as config:
        for n, name in enumerate(NAMES):
            await old_row(
                PartnerRegistration,
                id=f"v-{n}",
                partner_id=f"p-{n % 2}",
                clinic_id="c-1",
                version=n // 2 + 1,
                name=name,
                premises_photo_ids=[],
                registered_by="supervisor",
                registered_at=utc(3),
            )

        # When the migrations run to the end
        await migrate(config=config)

        # Then each version holds its name case-folded
        after = await _rows("SELECT id, name, name_order FROM partner_registration ORDER BY id")
        assert [row["name"] for row in after] == NAMES
        assert [row["name_order"] for row in after] == [name.casefold() for name in NAMES]
        # And the table refuses to be changed, as before the migration
        db = connections.get("default")
        for change in (
            "UPDATE partner_registration SET name_order = 'another'",
            "DELETE FROM partner_registration",
        ):
            with pytest.raises(IntegrityError) as refused:
                await db.execute_query(change)
            assert is_append_only_refusal(refused.value), change
