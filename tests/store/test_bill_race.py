"""A bill and a confirmation of the journey's current bill written side by side on PostgreSQL,
under READ COMMITTED: each checked the rows as they stood, found nothing of the other's
uncommitted row, and both were written, so a new bill replaced the one the client had just
confirmed, or the client confirmed a bill a newer one had replaced. Both now lock the journey's
row first (`bill_writes`), so the second waits for the first to commit and finds it (SQLite has
one writer at a time: `tests/api/test_bill_writes_under_lock.py` forces the order there)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest

from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.money.bills import LineRequest, PricedItem, draft_bill
from domain.money.catalog import PriceItemKind
from domain.money.money import Money
from domain.money.partner_split import StaffTreatment
from domain.store.bill_writes import NewBill, Refused, confirm_bill, write_bill
from domain.store.billing import Bill, BillConfirmation, BillLine
from domain.store.projection import apply_change
from tests.store.held_race import Held, raced
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK

pytestmark = pytest.mark.postgres

CASHIER = "cashier-1"


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches who waits for whom."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _journey_at_payment() -> str:
    clinic_id, client_id = await clinic_with_client("bill-race")
    facts = opening_facts(f"journey-{uuid.uuid4()}", clinic_id, client_id)
    opened = JourneyEvent(facts.journey_id, 1, "START", None, Stage.PAYMENT, DESK, START, "")
    after = dataclasses.replace(facts, stage=Stage.PAYMENT, event_seq=1)
    await apply_change(JourneyChange(opened, after))
    return facts.journey_id


def _new_bill(journey_id: str, price: str, bill_id: str | None = None) -> NewBill:
    item = PricedItem(
        item_id=f"item-{uuid.uuid4()}",
        code="HA",
        kind=PriceItemKind.PROCEDURE,
        name="Hyaluronic acid, cheeks",
        list_price=Money(Decimal(price), "EUR"),
    )
    draft, problems = draft_bill([LineRequest(item, 1)], None, "EUR")
    assert draft is not None, problems
    return NewBill(
        bill_id or str(uuid.uuid4()), journey_id, draft, None, CASHIER, StaffTreatment.NONE
    )


async def _first_bill() -> Bill:
    """A journey at its payment with a bill of 800.00 the client has not confirmed."""
    bill = await write_bill(_new_bill(await _journey_at_payment(), "800.00"))
    assert isinstance(bill, Bill)
    return bill


def _confirmation(bill: Bill, confirmation_id: str | None = None) -> BillConfirmation:
    return BillConfirmation(
        id=confirmation_id or str(uuid.uuid4()),
        bill_id=bill.id,
        signer_name="Anna Nowak",
        witness_id=CASHIER,
        witness_role="CASHIER",
        confirmed_at=datetime.now(UTC),
    )


async def _bills_of(journey_id: str) -> list[str]:
    rows = Bill.filter(journey_id=journey_id).order_by("created_at", "id")
    return [str(bill_id) for bill_id in await rows.values_list("id", flat=True)]


async def test_a_bill_written_while_the_current_ones_confirmation_commits_is_refused(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a bill, its confirmation held once written, uncommitted
    first = await _first_bill()
    held = Held()
    monkeypatch.setattr(BillConfirmation, "save", held.after(BillConfirmation.save))
    newer = _new_bill(first.journey_id, "900.00")
    made: list[Bill | Refused] = []

    async def billing() -> None:
        made.append(await write_bill(newer))

    # When a newer bill is written meanwhile
    await raced(observer, held, confirm_bill(first, _confirmation(first)), billing)
    # Then the confirmed bill stands: the newer one waited for it and was refused, unwritten
    assert made == [Refused.STANDS]
    assert await BillConfirmation.exists(bill_id=first.id)
    assert await _bills_of(first.journey_id) == [first.id]
    assert not await BillLine.filter(bill_id=newer.bill_id).exists()


async def test_a_confirmation_written_while_a_newer_bill_commits_is_refused(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a bill, and a newer bill of its journey held once written, uncommitted
    first = await _first_bill()
    held = Held()
    monkeypatch.setattr(Bill, "create", held.after(Bill.create))
    newer = _new_bill(first.journey_id, "900.00")
    confirmed: list[BillConfirmation | Refused] = []

    async def confirming() -> None:
        confirmed.append(await confirm_bill(first, _confirmation(first)))

    # When the first bill's confirmation is written meanwhile
    await raced(observer, held, write_bill(newer), confirming)
    # Then the newer bill is current and unconfirmed: the confirmation waited and was refused
    assert confirmed == [Refused.REPLACED]
    assert await _bills_of(first.journey_id) == [first.id, newer.bill_id]
    assert not await BillConfirmation.filter(bill_id__in=[first.id, newer.bill_id]).exists()


async def test_two_attempts_of_one_bill_write_it_once_and_answer_it(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a newer bill, one attempt of its request held once written, uncommitted
    first = await _first_bill()
    held = Held()
    monkeypatch.setattr(Bill, "create", held.after(Bill.create))
    newer = _new_bill(first.journey_id, "900.00")
    again: list[Bill | Refused] = []

    async def attempting_again() -> None:
        again.append(await write_bill(newer))

    # When another attempt of it (its id from the same key) is written meanwhile
    await raced(observer, held, write_bill(newer), attempting_again)
    # Then it waited and answers the bill the first attempt wrote, once, with its one line
    (answered,) = again
    assert isinstance(answered, Bill) and answered.id == newer.bill_id
    assert await _bills_of(first.journey_id) == [first.id, newer.bill_id]
    assert await BillLine.filter(bill_id=newer.bill_id).count() == 1


async def test_two_attempts_of_one_confirmation_confirm_once_and_answer_it(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a bill, one attempt of its confirmation held once written, uncommitted
    first = await _first_bill()
    held = Held()
    monkeypatch.setattr(BillConfirmation, "save", held.after(BillConfirmation.save))
    confirmation_id = str(uuid.uuid4())
    again: list[BillConfirmation | Refused] = []

    async def attempting_again() -> None:
        again.append(await confirm_bill(first, _confirmation(first, confirmation_id)))

    # When another attempt of it (its id from the same key) is written meanwhile
    await raced(
        observer, held, confirm_bill(first, _confirmation(first, confirmation_id)), attempting_again
    )
    # Then it waited and answers the confirmation the first attempt wrote
    (answered,) = again
    assert isinstance(answered, BillConfirmation) and answered.id == confirmation_id
    assert await BillConfirmation.filter(bill_id=first.id).count() == 1
