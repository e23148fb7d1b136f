"""A staff member's name as it was at an audit entry of the past, though the account was renamed
since (`domain.store.staff_names`), and migration 0027 keeping the names accounts had."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.migrations.api import migrate

from domain.audit import Access, Viewer
from domain.roles import Role
from domain.store import administration, staff_names
from domain.store.audit_chain import append_accesses
from domain.store.models import Clinic, StaffAccount, StaffName
from domain.store.staff_names import BEGINNING, names_through_time
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


async def _clinic() -> str:
    clinic_id = f"names-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name="Names", timezone="Europe/Warsaw")
    return clinic_id


async def _account(clinic_id: str, name: str) -> StaffAccount:
    username = f"u{uuid.uuid4().hex[:10]}"
    new = administration.NewAccount(clinic_id, username, name, Role.NURSE, "hash")
    return await administration.create_account(new)


async def _read_by(account: StaffAccount) -> tuple[int, datetime]:
    """An audit entry of the account reading a client's file: its seq and its moment."""
    viewer = Viewer(account.id, Role.NURSE.value, account.clinic_id, None)
    ((record, _),) = await append_accesses(viewer, [Access("client-1", "client.allergies.read")])
    return record.seq, record.at


async def _name_at(account: StaffAccount, entry: tuple[int, datetime]) -> str | None:
    names = await names_through_time([account.id])
    return names.at(account.id, account.clinic_id, *entry)


async def test_a_renamed_account_keeps_its_old_name_for_its_past() -> None:
    # Given a nurse made through administration, who read a file before being renamed
    account = await _account(await _clinic(), "Ewa Nowak")
    before = await _read_by(account)
    # When an administrator renames her, and she reads again
    await administration.update_account(account, None, None, "Ewa Kowalska")
    after = await _read_by(account)
    # Then her first read is Ewa Nowak's and the second Ewa Kowalska's
    assert await _name_at(account, before) == "Ewa Nowak"
    assert await _name_at(account, after) == "Ewa Kowalska"
    # And an update that leaves the name as it was keeps no new name
    renamed = await StaffAccount.get(id=account.id)
    await administration.update_account(renamed, None, True, "Ewa Kowalska")
    assert await StaffName.filter(account_id=account.id).count() == 2


async def test_the_order_is_the_audit_chain_s_whatever_the_clocks_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a nurse who read a file, renamed by a replica whose clock runs an hour behind
    account = await _account(await _clinic(), "Ewa Nowak")
    before = await _read_by(account)
    behind = datetime.now(UTC) - timedelta(hours=1)
    monkeypatch.setattr(staff_names, "_now", lambda: behind)
    await administration.update_account(account, None, None, "Ewa Kowalska")
    # Then the read that came first is still Ewa Nowak's
    assert await _name_at(account, before) == "Ewa Nowak"
    assert await _name_at(account, await _read_by(account)) == "Ewa Kowalska"


async def test_a_rename_no_name_was_kept_for_counts_from_the_next_rename() -> None:
    # Given a nurse renamed by code that kept no name (a release before, during a deploy)
    account = await _account(await _clinic(), "Ewa Nowak")
    first = await _read_by(account)
    await StaffAccount.filter(id=account.id).update(display_name="Ewa Lis")
    between = await _read_by(account)
    # When an administrator renames her again, from a copy of the row read before either
    stale = account
    await administration.update_account(stale, None, None, "Ewa Wilk")
    # Then her names run Nowak (as far as known), Lis from the rename on, then Wilk
    assert [n.display_name for n in await StaffName.filter(account_id=account.id)] == [
        "Ewa Nowak",
        "Ewa Lis",
        "Ewa Wilk",
    ]
    assert await _name_at(account, first) == "Ewa Nowak"
    assert await _name_at(account, between) == "Ewa Nowak"  # its moment is not known
    assert await _name_at(account, await _read_by(account)) == "Ewa Wilk"


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
    read = await _read_by(account)
    # Then its name now answers for its past
    assert await _name_at(account, read) == "Anna Lis"
    # When it is renamed, its past still has the name it had then
    await administration.update_account(account, None, None, "Anna Wilk")
    assert await _name_at(account, read) == "Anna Lis"
    assert await _name_at(account, await _read_by(account)) == "Anna Wilk"
    names = await names_through_time(["no-such-account"])
    assert names.at("no-such-account", clinic_id, 1, LONG_AGO) is None


async def test_an_entry_of_another_clinic_is_placed_by_its_time() -> None:
    account = await _account(await _clinic(), "Ewa Nowak")
    await administration.update_account(account, None, None, "Ewa Kowalska")
    names = await names_through_time([account.id])
    assert names.at(account.id, "another-clinic", 10**6, LONG_AGO) == "Ewa Nowak"
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert names.at(account.id, "another-clinic", 1, later) == "Ewa Kowalska"


async def test_the_migration_keeps_every_account_s_name_from_the_beginning(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0026 left it, with an account
    async with migration_templates.migrated_to("models.0026_receipt_counter_counts_up") as config:
        await Clinic.create(id="old-clinic", name="Old", timezone="UTC")
        # (as that release wrote it: the model names columns later migrations add)
        await old_row(
            StaffAccount,
            id="old-nurse",
            clinic_id="old-clinic",
            username="old-nurse",
            display_name="Ola Stara",
            role=Role.NURSE.value,
            password_hash="hash",
            active=True,
            must_change_password=False,
        )
        # When the migrations run to the end
        await migrate(config=config)
        # Then its name is kept, in force from the beginning, read back as any other row
        (kept,) = await StaffName.filter(account_id="old-nurse")
        assert (kept.display_name, kept.clinic_id, kept.since, kept.after_seq) == (
            "Ola Stara",
            "old-clinic",
            BEGINNING,
            0,
        )
        names = await names_through_time(["old-nurse"])
        assert names.at("old-nurse", "old-clinic", 1, LONG_AGO) == "Ola Stara"
