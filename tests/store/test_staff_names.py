"""A staff member's name as it was at a moment of the past, though the account was renamed since
(`domain.store.staff_names`), and migration 0027 keeping the names accounts had."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from domain.roles import Role
from domain.store import administration
from domain.store.db import tortoise_config
from domain.store.models import Clinic, StaffAccount, StaffName
from domain.store.staff_names import BEGINNING, names_through_time
from tests.store.test_migration_append_only import empty_database  # noqa: F401 (a fixture)


async def _clinic() -> str:
    clinic_id = f"names-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name="Names", timezone="Europe/Warsaw")
    return clinic_id


async def _account(clinic_id: str, name: str) -> StaffAccount:
    username = f"u{uuid.uuid4().hex[:10]}"
    new = administration.NewAccount(clinic_id, username, name, Role.NURSE, "hash")
    return await administration.create_account(new)


async def test_a_renamed_account_keeps_its_old_name_for_its_past() -> None:
    # Given a nurse made through administration, who did something before being renamed
    account = await _account(await _clinic(), "Ewa Nowak")
    before = datetime.now(UTC)
    # When an administrator renames her
    await administration.update_account(account, None, None, "Ewa Kowalska")
    after = datetime.now(UTC) + timedelta(seconds=1)
    # Then her past is Ewa Nowak's and what comes after is Ewa Kowalska's
    names = await names_through_time([account.id])
    assert names.at(account.id, before) == "Ewa Nowak"
    assert names.at(account.id, after) == "Ewa Kowalska"
    # And an update that leaves the name as it was keeps no new name
    renamed = await StaffAccount.get(id=account.id)
    await administration.update_account(renamed, None, True, "Ewa Kowalska")
    assert await StaffName.filter(account_id=account.id).count() == 2


async def test_an_account_no_name_was_kept_for_keeps_its_name_before_a_rename() -> None:
    # Given an account made without administration (no name kept), never renamed
    clinic_id = await _clinic()
    account = await StaffAccount.create(
        id=f"staff-{uuid.uuid4().hex}",
        clinic_id=clinic_id,
        username=f"u{uuid.uuid4().hex[:10]}",
        display_name="Anna Lis",
        role=Role.EXPERT.value,
        password_hash="hash",
    )
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    # Then its name now answers for its past
    assert (await names_through_time([account.id])).at(account.id, long_ago) == "Anna Lis"
    # When it is renamed, its past still has the name it had then
    await administration.update_account(account, None, None, "Anna Wilk")
    names = await names_through_time([account.id, "no-such-account"])
    assert names.at(account.id, long_ago) == "Anna Lis"
    assert names.at(account.id, datetime.now(UTC) + timedelta(seconds=1)) == "Anna Wilk"
    assert names.at("no-such-account", long_ago) is None


async def test_the_migration_keeps_every_account_s_name_from_the_beginning(
    empty_database: str,  # noqa: F811 (the fixture imported above)
) -> None:
    config = tortoise_config(empty_database)
    async with TortoiseContext() as context:
        await context.init(config=config)
        # Given a database as 0026 left it, with an account
        await migrate(config=config, target="models.0026_receipt_counter_counts_up")
        await Clinic.create(id="old-clinic", name="Old", timezone="UTC")
        await StaffAccount.create(
            id="old-nurse",
            clinic_id="old-clinic",
            username="old-nurse",
            display_name="Ola Stara",
            role=Role.NURSE.value,
            password_hash="hash",
        )
        # When the migrations run to the end
        await migrate(config=config)
        # Then its name is kept, in force from the beginning, read back as any other row
        (kept,) = await StaffName.filter(account_id="old-nurse")
        assert (kept.display_name, kept.since) == ("Ola Stara", BEGINNING)
        names = await names_through_time(["old-nurse"])
        assert names.at("old-nurse", datetime(2000, 1, 1, tzinfo=UTC)) == "Ola Stara"
