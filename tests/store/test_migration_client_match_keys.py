"""Migration 0034 gives every client there is the keys a new registration of them is found by:
of the identity as registered and as each amendment left it, made as a registration makes them
(on a database of its own, of the session's kind)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tortoise.migrations.api import migrate

from domain.client_file.matching import match_keys
from domain.store.client_file import ClientIdentityAmendment, ClientMatchKey
from domain.store.models import Client, Clinic
from tests.migration_templates import MigrationTemplates

BEFORE = "models.0033_idempotency_salt"
MIGRATION = "models.0034_client_match_keys"
BORN = date(1985, 6, 7)


async def _keys() -> set[tuple[str, str, str]]:
    rows = await ClientMatchKey.all().values_list("clinic_id", "client_id", "key")
    return {(str(c), str(k), str(v)) for c, k, v in rows}


async def test_every_client_there_is_is_found_by_its_registered_and_amended_identity(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0033 left it: a client with a non-ASCII name, amended, and another
    async with migration_templates.migrated_to(BEFORE) as config:
        await Clinic.create(id="clinic-1", name="One")
        now = datetime.now(UTC)
        common = {"clinic_id": "clinic-1", "data_consent_at": now, "registered_by": "desk"}
        await Client.create(
            id="c-1", full_name="Żaneta  Łęcka", birth_date=BORN, phone="600 100 200", **common
        )
        await ClientIdentityAmendment.create(
            id="a-1",
            client_id="c-1",
            full_name="Żaneta Łęcka",
            phone="+48 600 100 300",
            email="Zaneta@Example.com",
            reason="new number",
            author_id="desk",
            author_role="FRONT_DESK",
            amended_at=now,
        )
        await Client.create(
            id="c-2", full_name="Ola", birth_date=BORN, phone="+48 700", email=None, **common
        )

        # When migration 0034 runs (0035 adds the phone keys read in the clinic's country)
        await migrate(config=config, target=MIGRATION)

        # Then each identity version's keys are there once, as a registration makes them
        expected = {
            ("clinic-1", client, key)
            for client, identity in (
                ("c-1", ("Żaneta  Łęcka", "600 100 200", None)),
                ("c-1", ("Żaneta Łęcka", "+48 600 100 300", "Zaneta@Example.com")),
                ("c-2", ("Ola", "+48 700", None)),
            )
            for key in match_keys(identity[0], BORN, identity[1], identity[2])
        }
        assert "name:1985-06-07:żaneta łęcka" in {key for _, _, key in expected}
        assert await _keys() == expected
        assert len(expected) == 6  # the name is one key for both versions
