"""Rows for money tests, written as the desk and the journeys write them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from domain.store.billing import Payment, Refund
from domain.store.models import Client, Clinic, Journey, JourneyEvent, JourneyRecord
from domain.store.triage_models import RevenueCredit, TriageEntry


async def clinic(timezone: str = "Europe/Warsaw") -> str:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name="Money test clinic", timezone=timezone)
    return clinic_id


async def client(clinic_id: str, at: datetime) -> str:
    row = await Client.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic_id,
        full_name="Client",
        birth_date=date(1990, 1, 1),
        phone="600000000",
        data_consent_at=at,
        registered_by="desk-1",
    )
    return str(row.id)


async def journey(
    clinic_id: str, at: datetime, category: str = "FIRST_VISIT", consultant: str | None = None
) -> str:
    row = await Journey.create(
        id=str(uuid.uuid4()),
        clinic_id=clinic_id,
        client_id=await client(clinic_id, at),
        stage="PAYMENT",
        visit_category=category,
        consultant_id=consultant,
        started_at=at,
        stage_entered_at=at,
        facts={},
    )
    return str(row.id)


_seq = iter(range(1, 1_000_000))


async def assigned(
    clinic_id: str, journey_id: str, consultant: str, at: datetime, category: str = "FIRST_VISIT"
) -> None:
    """The desk gave the journey to `consultant`, who is credited 100 %."""
    seq = next(_seq)
    await TriageEntry.create(
        clinic_id=clinic_id,
        seq=seq,
        day=at.date().isoformat(),
        kind="ASSIGNED",
        at=at,
        actor_id="desk-1",
        consultant_id=consultant,
        journey_id=journey_id,
        counted=True,
        reason="rotation",
        policy="default v1",
        details={"category": category, "item": "skin"},
    )
    await credit(clinic_id, journey_id, at, (consultant, 100), seq=seq)


async def credit(
    clinic_id: str, journey_id: str, at: datetime, *shares: tuple[str, int], seq: int = 0
) -> None:
    entry_seq = seq or next(_seq)
    for consultant, percent in shares:
        await RevenueCredit.create(
            clinic_id=clinic_id,
            journey_id=journey_id,
            consultant_id=consultant,
            percent=percent,
            rule="ASSIGNED",
            entry_seq=entry_seq,
            at=at,
        )


async def payment(journey_id: str, at: datetime, amount: str, currency: str = "EUR") -> None:
    body: dict[str, Any] = {"amount": amount, "currency": currency, "kind": "FULL"}
    record = await JourneyRecord.create(
        id=str(uuid.uuid4()), journey_id=journey_id, kind="payment", body=body, author_id="cash"
    )
    seq = await JourneyEvent.filter(journey_id=journey_id).count() + 1
    await JourneyEvent.create(
        journey_id=journey_id,
        seq=seq,
        action="record_payment",
        to_stage="TREATMENT",
        actor_id="cash",
        actor_role="CASHIER",
        at=at,
        summary="paid",
        record_id=record.id,
    )


def utc(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def payment_row(
    clinic_id: str,
    journey_id: str,
    *,
    minor: int,
    receipt: int,
    at: datetime,
    bill_id: str | None = None,
    kind: str = "FULL",
    method: str = "CARD",
) -> Payment:
    """A payment row in euros, as the cashier's `recordPayment` writes it (not saved yet)."""
    return Payment(
        id=str(uuid.uuid4()),
        clinic_id=clinic_id,
        journey_id=journey_id,
        client_id="client-1",
        bill_id=bill_id,
        kind=kind,
        method=method,
        amount_minor=minor,
        currency="EUR",
        receipt_number=receipt,
        recorded_by="cash",
        recorded_at=at,
    )


async def refund_row(
    paid: Payment, *, minor: int, at: datetime, reason: str = "goodwill"
) -> Refund:
    """A supervisor's refund of part of `paid`, after its treatment began, saved."""
    return await Refund.create(
        id=str(uuid.uuid4()),
        clinic_id=paid.clinic_id,
        payment_id=paid.id,
        journey_id=paid.journey_id,
        client_id=paid.client_id,
        bill_id=paid.bill_id,
        amount_minor=minor,
        currency=paid.currency,
        reason=reason,
        before_treatment=False,
        recorded_by="supervisor-1",
        recorded_role="SUPERVISOR",
        recorded_at=at,
    )
