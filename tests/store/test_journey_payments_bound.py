"""`Journey.payments` reads a page of each journey's payments, and only the first refunds of
those: a runaway journey listed again and again costs the rows of its answer. Before, every
payment and refund of the listed journeys was loaded and the answer cut after; and then every
refund of the payments shown, however often one was given back."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.store.bill_lists import refunds_of
from domain.store.billing import Payment, Refund
from domain.store.journey_payments import JourneyPage, payments_of_journeys
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from tests.sql_statements import statements_naming
from tests.store.money_rows import clinic, payment_row, refund_row

PAGE = 100
RUNAWAY = PAGE + 50


def _payment(clinic_id: str, journey_id: str, receipt: int) -> Payment:
    at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=receipt)
    return payment_row(
        clinic_id, journey_id, minor=100, receipt=receipt, at=at, kind="PARTIAL", method="CASH"
    )


async def _refund(payment: Payment, days: int = 1) -> str:
    row = await refund_row(payment, minor=1, at=payment.recorded_at + timedelta(days=days))
    return str(row.id)


def _money_statements() -> contextlib.AbstractContextManager[list[str]]:
    """The statements run meanwhile that read payments or refunds."""
    return statements_naming(" payment", " refund")


def _counting_rows(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many rows of each money table are loaded from here on."""
    loaded = {"payment": 0, "refund": 0}
    for model, table in ((Payment, "payment"), (Refund, "refund")):
        original = model._init_from_db.__func__  # type: ignore[attr-defined]

        def counted(
            cls: Any, *args: Any, _table: str = table, _f: Any = original, **kw: Any
        ) -> Any:
            loaded[_table] += 1
            return _f(cls, *args, **kw)

        monkeypatch.setattr(model, "_init_from_db", classmethod(counted))
    return loaded


async def test_a_runaway_journey_listed_many_times_loads_only_what_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a journey with 150 small payments (the first and the last partly refunded) and
    # another with two, in one clinic
    clinic_id = await clinic()
    runaway, usual = str(uuid.uuid4()), str(uuid.uuid4())
    rows = [_payment(clinic_id, runaway, n) for n in range(1, RUNAWAY + 1)]
    rows += [_payment(clinic_id, usual, RUNAWAY + n) for n in (1, 2)]
    await Payment.bulk_create(rows)
    shown_refund = await _refund(rows[0])
    await _refund(rows[RUNAWAY - 1])
    loaded = _counting_rows(monkeypatch)
    # When both are listed, the runaway one fifty times over
    keys = [JourneyPage(runaway, clinic_id, PAGE)] * 50 + [JourneyPage(usual, clinic_id, PAGE)]
    with _money_statements() as statements:
        found = await payments_of_journeys(keys)
    # Then each answer holds the journey's first 100 payments, with their refunds only
    first = found[0]
    assert [p.receipt_number for p in first.payments] == list(range(1, PAGE + 1))
    assert [r.id for r in first.refunds] == [shown_refund]
    assert all(answer == first for answer in found[:50])
    assert [p.receipt_number for p in found[50].payments] == [RUNAWAY + 1, RUNAWAY + 2]
    assert found[50].refunds == []
    # And only those rows were read, in one statement for the payments and one for the refunds
    assert loaded == {"payment": PAGE + 2, "refund": 1}
    assert len(statements) == 2, statements


async def test_a_page_starts_after_its_receipt_and_answers_a_payments_first_refunds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a journey paid four times, its second payment given back more often than a payment
    # now may be (written before the bound)
    clinic_id, journey_id = await clinic(), str(uuid.uuid4())
    rows = [_payment(clinic_id, journey_id, n) for n in range(1, 5)]
    await Payment.bulk_create(rows)
    given = [await _refund(rows[1], days=n) for n in range(1, MAX_REFUNDS_PER_PAYMENT + 3)]
    loaded = _counting_rows(monkeypatch)
    # When the page of two after its first receipt is read
    (found,) = await payments_of_journeys([JourneyPage(journey_id, clinic_id, 2, 1)])
    # Then it holds the second and third payments, and the second's first refunds only
    assert [p.receipt_number for p in found.payments] == [2, 3]
    assert [r.id for r in found.refunds] == given[:MAX_REFUNDS_PER_PAYMENT]
    assert loaded == {"payment": 2, "refund": MAX_REFUNDS_PER_PAYMENT}
    # And a bill's page of payments answers the same first refunds of it
    assert [r.id for r in await refunds_of([rows[1].id])] == given[:MAX_REFUNDS_PER_PAYMENT]
