"""What a bill and a bill's confirmation read again under their journey's row lock
(`bill_writes`): a confirmed bill stands, and the client confirms only the current bill.

Each is checked first; before, the write went on from that check. A bill checked while the
journey's bill was still unconfirmed replaced it once the client had confirmed it (and paid on
it), a confirmation checked before a newer bill was made confirmed the bill it replaced, and
a first bill, checked before a deposit on the final plan's price was taken, was made beside it.
A deposit checked before a first bill was made is the journey's step, which no row lock covers:
the journey itself hears of the bill before it is written, and takes one or the other.
The rival request here is sent over HTTP, and answered, right after the held request's check
(SQLite writes one transaction at a time: `tests/store/test_bill_race.py` holds the first
inside its transaction on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from domain.store.billing import Bill, BillConfirmation, BillLine, Payment
from schema.ids import decode_id
from schema.money import bills, payments
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.money_support import (
    CONFIRM_BILL,
    CREATE_BILL,
    bill_of,
    eur,
    money_call,
    payment,
    set_item,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
Step = Callable[..., Awaitable[Any]]
Sent = Callable[[], Awaitable[Any]]


def _then(real: Step, other: Sent) -> Step:
    """`real`, and once its first call has answered, `other` (the rival requests, sent over
    HTTP) to their answer: as if the rival came in right after this request's check. Calls
    after the first, the rival's own among them, are not held."""
    return _held(real, other, after=True)


def _before(real: Step, other: Sent) -> Step:
    """`real`, its first call made once `other` has answered (`_then`'s other half)."""
    return _held(real, other, after=False)


def _held(real: Step, other: Sent, *, after: bool) -> Step:
    answers: list[Any] = []
    sent: list[bool] = []

    async def held(*args: Any, **kwargs: Any) -> Any:
        first = not sent
        sent.append(True)
        if first and not after:
            answers.append(await other())
        answer = await real(*args, **kwargs)
        if first and after:
            answers.append(await other())
        return answer

    held.answers = answers  # type: ignore[attr-defined]
    return held


async def _billed(clinic: JourneyDriver) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A journey at PAYMENT with a bill of 800.00 the client has not confirmed yet, and the
    lines of another bill: (the bill, the lines)."""
    journey = await clinic.drive_to("PAYMENT")
    item = await set_item(clinic, listPrice=eur("800.00"))
    lines = [{"priceItemId": item["id"], "quantity": 1}]
    made = await _create(clinic, journey["id"], lines)
    assert made["__typename"] == "BillPayload", made
    return made["bill"], lines


def _create(
    clinic: JourneyDriver, journey_id: str, lines: list[dict[str, Any]], key: str | None = None
) -> Awaitable[dict[str, Any]]:
    key = key or new_key()
    return money_call(
        clinic, CREATE_BILL, Role.CASHIER, journeyId=journey_id, lines=lines, idempotencyKey=key
    )


def _confirm(clinic: JourneyDriver, bill: dict[str, Any]) -> Awaitable[dict[str, Any]]:
    return money_call(
        clinic, CONFIRM_BILL, Role.CASHIER, billId=bill["id"], signerName="Anna Nowak"
    )


async def _bills_of(bill: dict[str, Any]) -> list[str]:
    """The ids of every bill of the bill's journey, oldest first."""
    journey_id = (await Bill.get(id=decode_id(bill["id"], "Bill"))).journey_id
    rows = Bill.filter(journey_id=journey_id).order_by("created_at", "id")
    return [str(row_id) for row_id in await rows.values_list("id", flat=True)]


async def test_a_bill_checked_while_the_current_one_is_confirmed_does_not_replace_it(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an unconfirmed bill, and a new bill checked while its confirmation is sent
    clinic = await fresh_clinic()
    first, lines = await _billed(clinic)
    held = _then(bills._not_billable, lambda: _confirm(clinic, first))
    monkeypatch.setattr(bills, "_not_billable", held)
    # When the new bill is written after the confirmation
    made = await _create(clinic, first["journeyId"], lines)
    # Then the confirmed bill stands, current: the new one is the Conflict its check would have
    # answered, and nothing of it was written
    (confirmed,) = held.answers  # type: ignore[attr-defined]
    assert confirmed["__typename"] == "BillPayload", confirmed
    assert made["__typename"] == "Conflict", made
    assert made["message"] == "the client confirmed the journey's bill; it stands"
    current = await bill_of(clinic, first["journeyId"])
    assert current["id"] == first["id"] and current["confirmation"] is not None
    assert await _bills_of(first) == [decode_id(first["id"], "Bill")]
    assert await BillLine.filter(bill_id=decode_id(first["id"], "Bill")).count() == len(lines)


async def test_a_bill_checked_while_the_current_one_is_confirmed_and_paid_does_not_replace_it(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an unconfirmed bill, and a new bill checked while the client confirms the
    # first and pays a deposit on it
    clinic = await fresh_clinic()
    first, lines = await _billed(clinic)

    async def confirmed_and_paid() -> list[dict[str, Any]]:
        deposit = payment(first, "200.00", "DEPOSIT", idempotencyKey=new_key())
        confirmed = await _confirm(clinic, first)
        return [confirmed, await clinic.act(documents.RECORD_PAYMENT, Role.CASHIER, **deposit)]

    held = _then(bills._not_billable, confirmed_and_paid)
    monkeypatch.setattr(bills, "_not_billable", held)
    # When the new bill is written after them
    made = await _create(clinic, first["journeyId"], lines)
    # Then the bill paid on is the journey's bill still, and the new one was refused
    ((confirmed, paid),) = held.answers  # type: ignore[attr-defined]
    assert confirmed["__typename"] == "BillPayload", confirmed
    assert paid["__typename"] == "JourneyPayload", paid
    assert made["__typename"] == "Conflict", made
    current = await bill_of(clinic, first["journeyId"])
    assert current["id"] == first["id"]
    assert current["paid"]["amount"] == "200.00"
    assert await _bills_of(first) == [decode_id(first["id"], "Bill")]


async def test_a_confirmation_checked_while_a_newer_bill_is_made_is_refused(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an unconfirmed bill, and its confirmation checked while a newer bill is made
    clinic = await fresh_clinic()
    first, lines = await _billed(clinic)
    held = _then(bills.current_bill, lambda: _create(clinic, first["journeyId"], lines))
    monkeypatch.setattr(bills, "current_bill", held)
    # When the confirmation is written after the newer bill
    confirmed = await _confirm(clinic, first)
    # Then the client confirmed nothing: the bill she signed was replaced, the Conflict its
    # check would have answered; the newer bill is current, and hers to confirm
    (newer,) = held.answers  # type: ignore[attr-defined]
    assert newer["__typename"] == "BillPayload", newer
    assert confirmed["__typename"] == "Conflict", confirmed
    assert confirmed["message"] == "a newer bill replaced this one"
    assert not await BillConfirmation.exists(bill_id=decode_id(first["id"], "Bill"))
    assert (await bill_of(clinic, first["journeyId"]))["id"] == newer["bill"]["id"]
    signed = await _confirm(clinic, newer["bill"])
    assert signed["__typename"] == "BillPayload", signed
    # And no payment can be taken on the replaced bill
    refused = await clinic.act(
        documents.RECORD_PAYMENT, Role.CASHIER, **payment(first, "200.00", "DEPOSIT")
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert not await Payment.filter(bill_id=decode_id(first["id"], "Bill")).exists()


async def test_an_attempt_of_a_bill_its_client_confirmed_meanwhile_answers_the_bill(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a bill sent twice under one key, the second attempt written and confirmed by the
    # client before the first attempt's check
    clinic = await fresh_clinic()
    first, lines = await _billed(clinic)
    key = new_key()

    async def written_and_confirmed() -> dict[str, Any]:
        made = await _create(clinic, first["journeyId"], lines, key)
        assert made["__typename"] == "BillPayload", made
        return await _confirm(clinic, made["bill"])

    held = _before(bills._not_billable, written_and_confirmed)
    monkeypatch.setattr(bills, "_not_billable", held)
    # When the first attempt goes on
    again = await _create(clinic, first["journeyId"], lines, key)
    # Then it answers the bill its request made, confirmed, not a Conflict: one bill per key
    (confirmed,) = held.answers  # type: ignore[attr-defined]
    assert confirmed["__typename"] == "BillPayload", confirmed
    assert again["__typename"] == "BillPayload", again
    assert again["bill"] == confirmed["bill"]
    assert len(await _bills_of(first)) == 2


async def _at_payment_unbilled(
    clinic: JourneyDriver,
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """A journey at its payment with no bill; a bill's lines for it, and a deposit on its final
    plan's price."""
    journey = await clinic.drive_to("PAYMENT")
    item = await set_item(clinic, listPrice=eur("800.00"))
    lines = [{"priceItemId": item["id"], "quantity": 1}]
    deposit = {
        "journeyId": journey["id"],
        "amount": "300.00",
        "currency": PLAN["currency"],
        "method": "CARD",
        "kind": "DEPOSIT",
        "idempotencyKey": new_key(),
    }
    return journey, lines, deposit


async def test_a_first_bill_checked_while_a_deposit_on_the_plan_is_taken_is_refused(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey at its payment with no bill, and a first bill checked while a deposit on
    # the final plan's price is taken
    clinic = await fresh_clinic()
    journey, lines, deposit = await _at_payment_unbilled(clinic)
    held = _then(
        bills._not_billable,
        lambda: clinic.act(documents.RECORD_PAYMENT, Role.CASHIER, **deposit),
    )
    monkeypatch.setattr(bills, "_not_billable", held)
    # When the bill is written after the deposit
    made = await _create(clinic, journey["id"], lines)
    # Then the journey is paid by its plan: the bill is refused as its check would have, unmade
    (paid,) = held.answers  # type: ignore[attr-defined]
    assert paid["__typename"] == "JourneyPayload", paid
    assert made["__typename"] == "ValidationFailed", made
    assert made["problems"] == [{"field": "journeyId", "message": bills.PAID_ON_ITS_PLAN}]
    assert await bill_of(clinic, journey["id"]) is None


async def test_a_deposit_on_the_plan_checked_while_a_first_bill_is_made_is_refused(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey at its payment with no bill, and a deposit on the final plan's price
    # checked (no bill yet) while a first bill is made
    clinic = await fresh_clinic()
    journey, lines, deposit = await _at_payment_unbilled(clinic)
    held = _then(payments._bill_not_named, lambda: _create(clinic, journey["id"], lines))
    monkeypatch.setattr(payments, "_bill_not_named", held)
    # When the journey is asked to take the deposit after the bill was made
    paid = await clinic.act(documents.RECORD_PAYMENT, Role.CASHIER, **deposit)
    # Then the journey is paid by its bill: the deposit is refused, as its check would have
    # refused it, and neither the journey nor the payments hold it
    (made,) = held.answers  # type: ignore[attr-defined]
    assert made["__typename"] == "BillPayload", made
    assert paid["__typename"] == "ValidationFailed", paid
    assert paid["problems"] == [{"field": "billId", "message": payments.PAY_THE_BILL}]
    assert (await bill_of(clinic, journey["id"]))["id"] == made["bill"]["id"]
    assert not await Payment.filter(journey_id=decode_id(journey["id"], "Journey")).exists()
    assert (await clinic.journey(journey["id"]))["stage"] == "PAYMENT"
