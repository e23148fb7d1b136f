"""`Journey.payments` reads at most `MAX_JOURNEY_PAYMENTS` payments of each journey, and only
the refunds of those: a runaway journey listed again and again costs the rows of its answer.
Before, every payment and refund of the listed journeys was loaded and the answer cut after."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.store.billing import Payment, Refund
from domain.store.journey_payments import MAX_JOURNEY_PAYMENTS, payments_of_journeys
from tests.sql_statements import statements_naming
from tests.store.money_rows import clinic, payment_row, refund_row

RUNAWAY = MAX_JOURNEY_PAYMENTS + 50


def _payment(clinic_id: str, journey_id: str, receipt: int) -> Payment:
    at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=receipt)
    return payment_row(
        clinic_id, journey_id, minor=100, receipt=receipt, at=at, kind="PARTIAL", method="CASH"
    )


async def _refund(payment: Payment) -> str:
    row = await refund_row(payment, minor=50, at=payment.recorded_at + timedelta(days=1))
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
    keys = [(runaway, clinic_id)] * 50 + [(usual, clinic_id)]
    with _money_statements() as statements:
        found = await payments_of_journeys(keys)
    # Then each answer holds the journey's first 100 payments, with their refunds only
    first = found[0]
    assert [p.receipt_number for p in first.payments] == list(range(1, MAX_JOURNEY_PAYMENTS + 1))
    assert [r.id for r in first.refunds] == [shown_refund]
    assert all(answer == first for answer in found[:50])
    assert [p.receipt_number for p in found[50].payments] == [RUNAWAY + 1, RUNAWAY + 2]
    assert found[50].refunds == []
    # And only those rows were read, in one statement for the payments and one for the refunds
    assert loaded == {"payment": MAX_JOURNEY_PAYMENTS + 2, "refund": 1}
    assert len(statements) == 2, statements
