"""A clinic upgrading with rows in a table a migration adds a NOT NULL column to: 0002
(`journey.stuck`), 0004 (`clinic.stage_slas`), 0010 (`staff_account.must_change_password`) and
0022 (`price_list_item`'s and `bill_line`'s `minor_procedure`, `bill.partner_staff`). Each
column carries its default in the database, so the rows the release before wrote read as it,
append-only tables stay so, and the way back drops the column in place (on a database of its
own, of the session's kind). The cases share one database, walked once from the first migration:
each case's rows are written at the release before its migration, which is run and rolled back,
and the walk goes on to the next case's release, then to the latest, where every case's rows are
read (each case walking every later migration on a database of its own took three times the
steps, the longest test of the suite). Each case steps back over its own migration only, as a
step back costs about a second on either database with the ORM's migrator; one test walks the
way back from the latest migration to the first, over every later migration's way back with the
rows of every case, and finds the first migration's schema as the migrations made it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.store.append_only import is_append_only_refusal
from domain.store.billing import Bill, BillLine, PriceListItem
from domain.store.models import Clinic, Journey, StaffAccount
from tests.migration_templates import LATEST, MigrationTemplates
from tests.store.migrated import old_client, old_clinic, old_journey, old_row
from tests.store.money_rows import utc
from tests.store.schema_shape import differences, shape_of

FIRST = "models.0001_initial"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def _journeys() -> str:
    """Two journeys of one client of the release before; the client's id."""
    client = await old_client()
    for n in (1, 2):
        await old_journey(f"j-{n}", client, "CONSULTATION")
    return client


async def _second_clinic() -> None:
    """A clinic with the first release's columns, beside the journeys' clinic (c-1)."""
    await old_clinic("c-2")


async def _staff_accounts() -> None:
    for n in (1, 2):
        await old_row(
            StaffAccount,
            id=f"staff-{n}",
            clinic_id="c-1",
            username=f"old-{n}",
            display_name=f"Old {n}",
            role="DOCTOR",
            password_hash="x",
            active=True,
        )


async def _bill_rows() -> None:
    await old_row(
        PriceListItem,
        id="item-1",
        clinic_id="c-1",
        code="LIPS",
        version=1,
        kind="PROCEDURE",
        name="Lips",
        currency="EUR",
        list_price_minor=30000,
        valid_from=date(2026, 1, 1),
        set_by="admin-1",
        set_at=utc(1),
    )
    await old_row(
        Bill,
        id="b-1",
        clinic_id="c-1",
        journey_id="j-1",
        client_id="client-1",
        currency="EUR",
        subtotal_minor=30000,
        discount_minor=0,
        total_minor=30000,
        created_by="desk-1",
        created_at=utc(2),
    )
    await old_row(
        BillLine,
        id="line-1",
        bill_id="b-1",
        position=1,
        price_item_id="item-1",
        item_code="LIPS",
        kind="PROCEDURE",
        name="Lips",
        quantity=1,
        list_price_minor=30000,
        unit_price_minor=30000,
        special_price=False,
        consumable_cost_minor=0,
        line_total_minor=30000,
    )


async def _journeys_read() -> None:
    assert [(j.id, j.stuck) for j in await Journey.all().order_by("id")] == [
        ("j-1", False),
        ("j-2", False),
    ]


async def _clinic_read() -> None:
    assert [c.stage_slas for c in await Clinic.all().order_by("id")] == [{}, {}]


async def _staff_read() -> None:
    staff = await StaffAccount.all().order_by("id")
    assert [(s.id, s.must_change_password) for s in staff] == [
        ("staff-1", False),
        ("staff-2", False),
    ]


async def _billing_read() -> None:
    assert (await PriceListItem.get(id="item-1")).minor_procedure is False
    assert (await BillLine.get(id="line-1")).minor_procedure is False
    assert (await Bill.get(id="b-1")).partner_staff == "NONE"
    # And the tables refuse to be changed, as before the migration
    db = connections.get("default")
    for table in ("price_list_item", "bill", "bill_line"):
        with pytest.raises(IntegrityError) as refused:
            await db.execute_query(f"DELETE FROM {table}")
        assert is_append_only_refusal(refused.value), table


Rows = Callable[[], Awaitable[object]]

# Each case, in the order of the migrations: the migration, the release before it, and its rows
# written (on the rows of the cases before) and read
CASES = {
    "0002 journey.stuck": (
        "models.0002_journey_supervision",
        "models.0001_initial",
        _journeys,
        _journeys_read,
    ),
    "0004 clinic.stage_slas": (
        "models.0004_clinic_slas",
        "models.0003_triage_desk",
        _second_clinic,
        _clinic_read,
    ),
    "0010 staff_account.must_change_password": (
        "models.0010_staff_administration",
        "models.0009_audit_log",
        _staff_accounts,
        _staff_read,
    ),
    "0022 minor_procedure, partner_staff": (
        "models.0022_partner_deal_lines",
        "models.0021_partners",
        _bill_rows,
        _billing_read,
    ),
}


async def test_rows_of_the_release_before_read_with_the_new_column_s_default(
    migration_templates: MigrationTemplates,
) -> None:
    cases = list(CASES.values())
    assert [before for _, before, _, _ in cases] == sorted(before for _, before, _, _ in cases)
    # Given a database as the first release left it
    async with migration_templates.migrated_to(cases[0][1]) as config:
        for migration, before, write, _ in cases:
            # With the rows of the release before each case's migration
            await migrate(config=config, target=before)
            await write()

            # When the migration runs and is rolled back
            await migrate(config=config, target=migration)
            await migrate(config=config, target=before)

        # And the migrations run to the end
        await migrate(config=config)

        # Then every case's rows read with its column's default
        for _, _, _, read in cases:
            await read()


async def test_the_way_back_from_the_latest_keeps_the_rows_and_leaves_the_first_schema(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database at the latest migration with the rows of every case
    async with migration_templates.migrated_to(LATEST) as config:
        client = await _journeys()
        await _staff_accounts()
        await _bill_rows()

        # When it is rolled back to the first migration, over every later migration's way back
        await migrate(config=config, target=FIRST)

        # Then the rows of the tables the first migration made are there as they were written
        db = connections.get("default")
        journeys = await _rows("SELECT id, client_id, stage FROM journey ORDER BY id")
        assert [(j["id"], j["client_id"], j["stage"]) for j in journeys] == [
            ("j-1", client, "CONSULTATION"),
            ("j-2", client, "CONSULTATION"),
        ]
        assert [c["full_name"] for c in await _rows("SELECT full_name FROM client")] == [
            "Old Client"
        ]
        walked_back = await shape_of(db)

    # And its schema is the one the first migration made, to the last index and function: the
    # migrations run on it as on any database at the first migration
    async with migration_templates.migrated_to(FIRST):
        made = await shape_of(connections.get("default"))
    assert differences(walked_back, made) == {}
