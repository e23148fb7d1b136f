"""Migration 0042 lets a consent signature name no journey (a DATA_SHARING consent signed for the
client): the signatures and withdrawals already stored come through it as they were, still
referring to one another, and the table stays append-only (on a database of its own, of the
session's kind; on SQLite the table is made again with its rows)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.store.append_only import is_append_only_refusal
from domain.store.consents import ConsentSignature, ConsentTemplateVersion, ConsentWithdrawal
from domain.store.models import Client, Clinic
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row
from tests.store.money_rows import utc

BEFORE = "models.0041_file_disclosure"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


def _signature(signature_id: str, journey_id: str | None) -> dict[str, Any]:
    return {
        "id": signature_id,
        "clinic_id": "c-1",
        "client_id": "client-1",
        "journey_id": journey_id,
        "template_version_id": "tv-1",
        "content_hash": "h" * 64,
        "kind": "PROCEDURE",
        "language": "pl",
        "signer_name": "Maria Nowak",
        "capacity": "CLIENT",
        "witness_id": "nurse-1",
        "witness_role": "NURSE",
        "signed_at": utc(3),
    }


async def _clinic_client_and_template() -> None:
    """The clinic, client and template version the signatures refer to."""
    await Clinic.create(id="c-1", name="One")
    # (no migration after 0041 changes these tables: the models write them as 0041 had them)
    await Client.create(
        id="client-1",
        clinic_id="c-1",
        full_name="Maria Nowak",
        birth_date=utc(3).date(),
        phone="+48 600 100 200",
        data_consent_at=utc(3),
        registered_by="desk",
    )
    await ConsentTemplateVersion.create(
        id="tv-1",
        clinic_id="c-1",
        template_key="filler",
        procedure_type="filler",
        kind="PROCEDURE",
        version=1,
        texts={"pl": {"title": "Zgoda"}},
        content_hash="h" * 64,
        published_by="supervisor",
        published_at=utc(2),
    )


async def test_stored_signatures_and_withdrawals_come_through_and_stay_append_only(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0041 left it: two signatures on journeys, one of them withdrawn
    async with migration_templates.migrated_to(BEFORE) as config:
        await _clinic_client_and_template()
        await old_row(ConsentSignature, **_signature("s-1", "j-1"))
        await old_row(ConsentSignature, **_signature("s-2", "j-2"))
        await old_row(
            ConsentWithdrawal,
            id="w-1",
            signature_id="s-1",
            recorded_by="nurse-1",
            withdrawn_at=utc(4),
        )

        # When the migrations run to the end
        await migrate(config=config)

        # Then the signatures are as they were, and the withdrawal still names its signature
        stored = await _rows("SELECT id, journey_id FROM consent_signature ORDER BY id")
        assert stored == [{"id": "s-1", "journey_id": "j-1"}, {"id": "s-2", "journey_id": "j-2"}]
        withdrawal = await ConsentWithdrawal.get(id="w-1").prefetch_related("signature")
        assert withdrawal.signature.id == "s-1"
        # And a signature for the client alone, in no journey, may be written
        await old_row(ConsentSignature, **_signature("s-3", None))
        assert (await ConsentSignature.get(id="s-3")).journey_id is None
        # And the table refuses to be changed, as before the migration
        db = connections.get("default")
        for change in (
            "UPDATE consent_signature SET journey_id = 'another'",
            "DELETE FROM consent_signature",
        ):
            with pytest.raises(IntegrityError) as refused:
                await db.execute_query(change)
            assert is_append_only_refusal(refused.value), change


async def test_the_way_back_is_refused_while_a_signature_names_no_journey(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database at 0042 holding a signature for the client alone, in no journey
    async with migration_templates.migrated_to("models.0042_client_consent") as config:
        await _clinic_client_and_template()
        await old_row(ConsentSignature, **_signature("s-1", None))

        # When the migrations are walked back to 0041, then they are refused, on SQLite too
        # (an edited definition there is not checked against the rows)
        with pytest.raises(Exception) as refused:
            await migrate(config=config, target=BEFORE)
        assert "journey" in str(refused.value)

        # And the signature stands, its column still loose (no NOT NULL over a null)
        stored = await _rows("SELECT id, journey_id FROM consent_signature")
        assert stored == [{"id": "s-1", "journey_id": None}]
        checked = await _rows("PRAGMA integrity_check") if _on_sqlite() else [{"ok": "ok"}]
        assert list(checked[0].values()) == ["ok"]


def _on_sqlite() -> bool:
    return connections.get("default").capabilities.dialect == "sqlite"
