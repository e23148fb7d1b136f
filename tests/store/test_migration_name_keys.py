"""Migration 0051 gives every identity version there is the key of its name in the comparable
form, as a registration now makes it; the keys made before stay (on a database of its own, of
the session's kind)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tortoise.migrations.api import migrate

from domain.client_file.matching import name_key
from domain.store.client_file import ClientIdentityAmendment, ClientMatchKey
from domain.store.models import Client, Clinic
from tests.migration_templates import MigrationTemplates

BEFORE = "models.0050_complaint_change"
BORN = date(1990, 1, 1)


def _key_then(name: str) -> str:
    """A name's key as registrations made it before 0051: spacing and case folded, no more."""
    return f"name:{BORN.isoformat()}:{' '.join(name.split()).lower()}"


async def _name_keys(client_id: str) -> set[str]:
    keys = ClientMatchKey.filter(client_id=client_id, key__startswith="name:")
    return {str(key) for key in await keys.values_list("key", flat=True)}


async def test_a_name_with_a_decomposed_letter_or_a_soft_hyphen_is_found_as_it_reads(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0050 left it: a client registered with a decomposed letter in her
    # name, one with a soft hyphen who later corrected it, and one with a plain name, each
    # name's key as registrations made it then
    async with migration_templates.migrated_to(BEFORE) as config:
        now = datetime.now(UTC)
        await Clinic.create(id="warsaw", name="warsaw", timezone="Europe/Warsaw")
        common = {"birth_date": BORN, "data_consent_at": now, "registered_by": "desk"}
        names = (
            ("c-zoe", "Zoe\u0308 Nowak"),
            ("c-ewa", "Ewa Ko\u00adwalska"),
            ("c-ann", "Ann Lis"),
        )
        for client, name in names:
            await Client.create(
                id=client, clinic_id="warsaw", full_name=name, phone="+48 600 100 200", **common
            )
            await ClientMatchKey.create(clinic_id="warsaw", client_id=client, key=_key_then(name))
        await ClientIdentityAmendment.create(
            id="a-1",
            client_id="c-ewa",
            full_name="Ewa Kowalska-Lis",
            phone="+48 600 100 200",
            reason="married",
            author_id="desk",
            author_role="FRONT_DESK",
            amended_at=now,
        )
        await ClientMatchKey.create(
            clinic_id="warsaw", client_id="c-ewa", key=_key_then("Ewa Kowalska-Lis")
        )
        before = {client: await _name_keys(client) for client, _ in names}

        # When the migrations run to the end
        await migrate(config=config)

        # Then each name is found as it reads, as registered and as amended, and the keys
        # made before are still there; a plain name's key was already its comparable one
        def key_of(name: str) -> str:
            key = name_key(name, BORN)
            assert key is not None
            return key

        assert await _name_keys("c-zoe") == before["c-zoe"] | {key_of("Zo\u00eb Nowak")}
        assert await _name_keys("c-ewa") == before["c-ewa"] | {key_of("Ewa Kowalska")}
        assert await _name_keys("c-ann") == before["c-ann"] == {key_of("Ann Lis")}
