"""Migration 0047 keeps a doctor's senior professional title on the account
(`staff_account.senior_title`, seed 004 三.4): the accounts an older release wrote read as holding
none, and the way back drops the column alone (on a database of its own, of the session's
kind)."""

from __future__ import annotations

from typing import Any

from tortoise import connections
from tortoise.migrations.api import migrate

from domain.store.models import Clinic, StaffAccount
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row

BEFORE = "models.0046_complaint"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def test_stored_accounts_hold_no_senior_title(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0046 left it, with a doctor and a nurse
    async with migration_templates.migrated_to(BEFORE) as config:
        await old_row(Clinic, id="c-1", name="Klinika", timezone="Europe/Warsaw", stage_slas={})
        for role in ("EXPERT", "NURSE"):
            await old_row(
                StaffAccount,
                id=f"staff-{role.lower()}",
                clinic_id="c-1",
                username=role.lower(),
                display_name=f"Test {role.title()}",
                role=role,
                password_hash="x",
                active=True,
                must_change_password=False,
            )

        # When the migrations run to the end
        await migrate(config=config)

        # Then neither holds a senior title, in the column and as the ORM reads them
        after = await _rows("SELECT id, senior_title FROM staff_account ORDER BY id")
        assert [(r["id"], bool(r["senior_title"])) for r in after] == [
            ("staff-expert", False),
            ("staff-nurse", False),
        ]
        assert [a.senior_title for a in await StaffAccount.all().order_by("id")] == [False, False]
        # And the doctor can be given one
        await StaffAccount.filter(id="staff-expert").update(senior_title=True)

        # When it is rolled back to the release before, and run to the end again
        await migrate(config=config, target=BEFORE)
        columns = await _rows("SELECT * FROM staff_account WHERE id = 'staff-expert'")
        assert "senior_title" not in columns[0]
        await migrate(config=config)

        # Then the accounts are there, holding none again
        again = await _rows("SELECT id, senior_title FROM staff_account ORDER BY id")
        assert [(r["id"], bool(r["senior_title"])) for r in again] == [
            ("staff-expert", False),
            ("staff-nurse", False),
        ]
