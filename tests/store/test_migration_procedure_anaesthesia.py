"""Migration 0045 gives every procedure type version the anaesthesia it is given under
(`procedure_type_version.anaesthesia`): the surgeries stored before it LOCAL (each lists the
bladder check, a local anaesthesia's), the others NONE, and the table stays append-only as it
was, on the way back too (on a database of its own, of the session's kind)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.procedures.template import ProcedureAnaesthesia, ProcedureContent
from domain.store.append_only import is_append_only_refusal
from domain.store.procedures import ProcedureTypeVersion
from server.procedure_seeds import BLEPHAROPLASTY, FILLER
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row
from tests.store.money_rows import utc

BEFORE = "models.0044_refund_kind"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


def _stored_before(content: ProcedureContent) -> dict[str, Any]:
    """The content as a release before stored it: no anaesthesia named."""
    return {k: v for k, v in content.to_json().items() if k != "anaesthesia"}


async def test_stored_surgeries_are_under_a_local_anaesthesia_and_stay_append_only(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0044 left it, with a surgery and an injectable published
    async with migration_templates.migrated_to(BEFORE) as config:
        for key, content in (("bleph", BLEPHAROPLASTY), ("filler", FILLER)):
            await old_row(
                ProcedureTypeVersion,
                id=f"v-{key}",
                clinic_id="c-1",
                type_key=key,
                version=1,
                category=content.category.value,
                content=_stored_before(content),
                content_hash="0" * 64,
                published_by="supervisor-1",
                published_at=utc(3),
            )

        # When the migrations run to the end
        await migrate(config=config)

        # Then the surgery is under a local anaesthesia (the checks it asks), the injectable
        # under none, in the column and as the ORM reads them
        after = await _rows("SELECT id, anaesthesia FROM procedure_type_version ORDER BY id")
        assert [(r["id"], r["anaesthesia"]) for r in after] == [
            ("v-bleph", "LOCAL"),
            ("v-filler", "NONE"),
        ]
        rows = await ProcedureTypeVersion.all().order_by("id")
        assert [ProcedureContent.from_json(r.content).anaesthesia for r in rows] == [
            ProcedureAnaesthesia.LOCAL,
            ProcedureAnaesthesia.NONE,
        ]
        # And the table refuses to be changed, as before the migration
        db = connections.get("default")
        changes = (
            "UPDATE procedure_type_version SET anaesthesia = 'GENERAL'",
            "DELETE FROM procedure_type_version",
        )
        for change in changes:
            with pytest.raises(IntegrityError) as refused:
                await db.execute_query(change)
            assert is_append_only_refusal(refused.value), change

        # When it is rolled back to the release before, and run to the end again (the refunds'
        # test walks back past the indexes of 0037; the versions have none there)
        await migrate(config=config, target=BEFORE)
        await migrate(config=config)

        # Then the versions are there as before, still append-only
        again = await _rows("SELECT id, anaesthesia FROM procedure_type_version ORDER BY id")
        assert [(r["id"], r["anaesthesia"]) for r in again] == [
            ("v-bleph", "LOCAL"),
            ("v-filler", "NONE"),
        ]
        # (on the connection of now: one taken before the migrations ran would open another,
        # which nothing closes and whose thread holds the process at exit)
        with pytest.raises(IntegrityError) as refused:
            await connections.get("default").execute_query("DELETE FROM procedure_type_version")
        assert is_append_only_refusal(refused.value)
