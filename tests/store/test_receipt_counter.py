"""A clinic's receipt counter moves only to the next number, whatever path tries otherwise.

Receipt numbers run 1, 2, 3, ... without a gap: the counter moved back would hand out a number
already on a receipt, moved on would leave numbers missing. Payments take it one step at a time
(`domain.store.receipts`); the database refuses every other change (migration 0026).
"""

from __future__ import annotations

import uuid

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError

from domain.store.billing import ReceiptCounter
from domain.store.receipts import record_payment
from tests.store.test_receipts import _payment

REFUSED = "receipt_counter counts up by one"


async def _counter_at(number: int) -> str:
    """A new clinic's counter, moved up to `number` the way payments move it."""
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    await ReceiptCounter.create(clinic_id=clinic_id, last_number=0)
    for taken in range(1, number + 1):
        await ReceiptCounter.filter(clinic_id=clinic_id).update(last_number=taken)
    return clinic_id


async def _sql(statement: str) -> None:
    await connections.get("default").execute_query(statement)


def _is_sqlite() -> bool:
    return connections.get("default").capabilities.dialect == "sqlite"


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE receipt_counter SET last_number = 1 WHERE clinic_id = '{clinic}'",
        "UPDATE receipt_counter SET last_number = 3 WHERE clinic_id = '{clinic}'",
        "UPDATE receipt_counter SET last_number = 7 WHERE clinic_id = '{clinic}'",
        "UPDATE receipt_counter SET clinic_id = 'elsewhere' WHERE clinic_id = '{clinic}'",
        "DELETE FROM receipt_counter WHERE clinic_id = '{clinic}'",
    ],
)
async def test_the_counter_refuses_to_move_back_jump_move_away_or_go(change: str) -> None:
    # Given a clinic whose counter gave receipts 1 to 5
    clinic = await _counter_at(5)
    # When plain SQL moves it anywhere but to 6, or removes it, the database refuses
    with pytest.raises(IntegrityError, match=REFUSED):
        await _sql(change.format(clinic=clinic))
    # Then it stands at 5
    assert (await ReceiptCounter.get(clinic_id=clinic)).last_number == 5


async def test_an_insert_cannot_replace_the_counter() -> None:
    clinic = await _counter_at(5)
    if _is_sqlite():  # REPLACE deletes the row it clashes with (its trigger fires: recursive)
        replace = f"INSERT OR REPLACE INTO receipt_counter VALUES ('{clinic}', 1)"
    else:
        replace = (
            f"INSERT INTO receipt_counter VALUES ('{clinic}', 1) "
            "ON CONFLICT (clinic_id) DO UPDATE SET last_number = 1"
        )
    with pytest.raises(IntegrityError, match=REFUSED):
        await _sql(replace)
    assert (await ReceiptCounter.get(clinic_id=clinic)).last_number == 5


@pytest.mark.postgres
async def test_truncate_is_refused() -> None:
    clinic = await _counter_at(1)
    with pytest.raises(IntegrityError, match=REFUSED):
        await _sql("TRUNCATE receipt_counter")
    assert await ReceiptCounter.exists(clinic_id=clinic)


async def test_payments_still_take_the_next_numbers() -> None:
    # Given a clinic whose counter gave receipts 1 and 2
    clinic = await _counter_at(2)
    # When two payments are recorded
    numbers = [(await record_payment(_payment(clinic))).receipt_number for _ in range(2)]
    # Then they take 3 and 4, and the counter stands at 4
    assert numbers == [3, 4]
    assert (await ReceiptCounter.get(clinic_id=clinic)).last_number == 4
