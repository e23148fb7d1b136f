"""Migrations 0035 and 0038 give every client there is the key of its phone in international
form, read in its clinic's country, as a registration now makes it; the keys made before stay
(on a database of its own, of the session's kind)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tortoise.migrations.api import migrate

from domain.client_file.matching import match_keys
from domain.store.client_file import ClientIdentityAmendment, ClientMatchKey
from domain.store.models import Client, Clinic
from tests.migration_templates import MigrationTemplates

BEFORE = "models.0034_client_match_keys"
BORN = date(1985, 6, 7)


async def _phone_keys(client_id: str) -> set[str]:
    keys = ClientMatchKey.filter(client_id=client_id, key__startswith="phone:")
    return {str(key) for key in await keys.values_list("key", flat=True)}


async def test_a_number_kept_without_its_country_code_is_found_with_it(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0034 left it: clients in Warsaw and in Moscow whose numbers were
    # written without their country code, one of them amended, and a clinic in no country,
    # each number's key its digits, as registrations made them then
    async with migration_templates.migrated_to(BEFORE) as config:
        now = datetime.now(UTC)
        for clinic, zone in (("warsaw", "Europe/Warsaw"), ("moscow", "Europe/Moscow")):
            await Clinic.create(id=clinic, name=clinic, timezone=zone)
        await Clinic.create(id="nowhere", name="nowhere", timezone="UTC")
        common = {"birth_date": BORN, "data_consent_at": now, "registered_by": "desk"}
        numbers = (
            ("c-pl", "warsaw", "600 100 200"),
            ("c-pl", "warsaw", "0048 600 100 300"),
            ("c-ru", "moscow", "8 916 123-45-67"),
            ("c-utc", "nowhere", "600 100 200"),
        )
        for client, clinic, phone in numbers:
            if not await Client.exists(id=client):
                await Client.create(
                    id=client, clinic_id=clinic, full_name=client, phone=phone, **common
                )
            digits = "".join(c for c in phone if c.isdigit())
            await ClientMatchKey.create(clinic_id=clinic, client_id=client, key=f"phone:{digits}")
        await ClientIdentityAmendment.create(
            id="a-1",
            client_id="c-pl",
            full_name="c-pl",
            phone="0048 600 100 300",
            reason="new number",
            author_id="desk",
            author_role="FRONT_DESK",
            amended_at=now,
        )
        before = {client: await _phone_keys(client) for client in ("c-pl", "c-ru", "c-utc")}

        # When the migrations run to the end
        await migrate(config=config)

        # Then each number is found as a registration in its clinic writes it with its
        # country code, and the keys made before are still there
        def phone_of(number: str, country: str | None) -> set[str]:
            return set(match_keys(None, BORN, number, None, country))

        assert await _phone_keys("c-pl") == before["c-pl"] | phone_of(
            "+48 600 100 200", "PL"
        ) | phone_of("+48 600 100 300", "PL")
        assert await _phone_keys("c-ru") == before["c-ru"] | phone_of("+7 916 123 45 67", "RU")
        # And a clinic of no country reads no country code into a number
        assert await _phone_keys("c-utc") == before["c-utc"]


async def test_a_number_dialled_abroad_with_00_is_found_with_its_plus(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0037 left it: a client in Moscow and one in a clinic of no country
    # whose Polish numbers were written with "00", each number's key its digits
    async with migration_templates.migrated_to("models.0037_read_indexes") as config:
        now = datetime.now(UTC)
        await Clinic.create(id="moscow", name="moscow", timezone="Europe/Moscow")
        await Clinic.create(id="nowhere", name="nowhere", timezone="UTC")
        common = {"birth_date": BORN, "data_consent_at": now, "registered_by": "desk"}
        for client, clinic, phone in (
            ("c-ru", "moscow", "00 48 600 100 400"),
            ("c-utc", "nowhere", "0048 600 100 500"),
        ):
            await Client.create(
                id=client, clinic_id=clinic, full_name=client, phone=phone, **common
            )
            digits = "".join(c for c in phone if c.isdigit())
            await ClientMatchKey.create(clinic_id=clinic, client_id=client, key=f"phone:{digits}")

        # When the migrations run to the end
        await migrate(config=config)

        # Then each is found by the number with its "+", and by the digits as before
        assert await _phone_keys("c-ru") == {"phone:0048600100400", "phone:+48600100400"}
        assert await _phone_keys("c-utc") == {"phone:0048600100500", "phone:+48600100500"}
