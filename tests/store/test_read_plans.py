"""Reads find their rows through an index, so they cost what the caller's clinic or journey
holds, not what every clinic's rows hold: the plans SQLite and PostgreSQL make for the
statements each read runs (`tests.query_plans`) read none of these tables whole."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.money.catalog import PriceItemKind
from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.billing_reads import items_in_force, kept_by_bill, lines_paid_in, money_moved
from domain.store.catalog import catalog_keys, latest_versions
from domain.store.consultant_figures import consultant_months
from domain.store.history import client_history
from domain.store.models import JourneyRecord
from domain.store.photo_tasks import settle_photo_tasks
from domain.store.recheck_tasks import booking_of
from tests.query_plans import whole_reads
from tests.sql_statements import reads_naming
from tests.store import money_rows
from tests.store.money_rows import utc

TABLES = (
    *("journey", "journey_record", "bill_line", "payment", "refund", "photo"),
    *("price_list_item", "catalog_item_version"),
)


async def _a_month_of_bills(clinic_id: str) -> Any:
    """A month's paid lines, from a clinic with a bill paid in it."""
    journey_id = await money_rows.journey(clinic_id, utc(3))
    paid = money_rows.payment_row(
        clinic_id, journey_id, minor=1_000, receipt=1, at=utc(3), bill_id=str(uuid.uuid4())
    )
    await paid.save()
    return await lines_paid_in(clinic_id, utc(1), utc(1, month=12))


async def _a_months_consultant_figures(clinic_id: str) -> Any:
    """A month with a first visit, assigned by the desk and paid (the month's journeys, their
    money and their splits are named by subquery)."""
    journey_id = await money_rows.journey(clinic_id, utc(3))
    await money_rows.assigned(clinic_id, journey_id, "consultant-1", utc(3))
    paid = money_rows.payment_row(clinic_id, journey_id, minor=1_000, receipt=1, at=utc(4))
    await paid.save()
    return await consultant_months(clinic_id, "2026-11")


async def _a_journeys_money(clinic_id: str) -> Any:
    journey_id = await money_rows.journey(clinic_id, utc(3))
    return await money_moved(clinic_id, None, None, [journey_id])


async def _a_journeys_photos(clinic_id: str) -> Any:
    journey_id = await money_rows.journey(clinic_id, utc(3))
    await FollowUpTask.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic_id,
        journey_id=journey_id,
        kind=TaskKind.PHOTO.value,
        status=TaskStatus.OPEN.value,
        due_at=utc(4),
        assignee_role=Role.NURSE.value,
        updated_at=utc(3),
    )
    return await settle_photo_tasks(journey_id)


async def _a_catalogue_page(clinic_id: str) -> Any:
    """The keys of a page after a cursor, whether any come before it, and the page's items."""
    keys, _preceding = await catalog_keys(clinic_id, 11, (utc(3), "item"))
    return await latest_versions(clinic_id, ["item-1", "item-2"]), keys


READS: dict[str, Callable[[str], Awaitable[Any]]] = {
    # startJourney's visit category (and the file export): a client's journeys
    "a client's journeys": lambda clinic_id: client_history(f"{clinic_id}-client"),
    "a booking as corrected": lambda _: booking_of(
        JourneyRecord(id=str(uuid.uuid4()), journey_id="j", kind="handover", body={})
    ),
    "a month's money": lambda clinic_id: money_moved(clinic_id, utc(1), utc(1, month=12)),
    "a month's paid lines": _a_month_of_bills,
    "a month's consultant figures": _a_months_consultant_figures,
    "a journey's money": _a_journeys_money,
    "what bills hold": lambda _: kept_by_bill([str(uuid.uuid4())]),
    "a journey's photos": _a_journeys_photos,
    "a day's price list": lambda clinic_id: items_in_force(clinic_id, date(2026, 3, 1)),
    "a day's price list of a kind": lambda clinic_id: items_in_force(
        clinic_id, date(2026, 3, 1), PriceItemKind.CONSUMABLE
    ),
    "a page of the catalogue": _a_catalogue_page,
}


@pytest.mark.parametrize("read", list(READS))
async def test_a_read_finds_its_rows_through_an_index(read: str) -> None:
    clinic_id = await money_rows.clinic()
    with reads_naming(*TABLES) as statements:
        await READS[read](clinic_id)
    assert statements, "the read ran no statement on these tables"
    assert await whole_reads(statements, TABLES) == []
