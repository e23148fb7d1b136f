"""A clinic's busy month written straight through the ORM, in bulk: thousands of journeys, their
desk assignments, payments and surveys, and one client with years of bills. The monthly reports
read all of it; thousands of API calls would take minutes to make the same rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.aftercare.survey import QUESTIONS
from domain.journey.stages import VisitCategory
from domain.store.aftercare import SurveyResponse
from domain.store.billing import Bill, BillLine, Payment
from domain.store.models import Client, Journey
from domain.store.triage_models import TriageEntry
from domain.triage.entries import EntryKind
from tests.api.harness import clinic_month

BATCH = 500
CONSULTANTS = 12


@dataclass(frozen=True)
class BusyMonth:
    clinic_id: str
    journeys: int
    # The client with a long billing history (a raw id).
    regular_client: str


def _client(clinic_id: str, client_id: str, now: datetime) -> Client:
    return Client(
        id=client_id,
        clinic_id=clinic_id,
        full_name=f"Client {client_id[-6:]}",
        birth_date=date(1990, 1, 1),
        phone="+48600000000",
        data_consent_at=now,
        registered_by="desk",
    )


async def busy_month(clinic_id: str, journeys: int, regular_bills: int) -> BusyMonth:
    """`journeys` first visits this month, each assigned by the desk, paid and surveyed once;
    and one client with `regular_bills` bills of two lines, each paid."""
    now, tag = datetime.now(UTC), uuid.uuid4().hex[:10]
    # The desk's log of the month's first day: the reports read the month, not the day.
    day = f"{clinic_month()}-01"
    ids = [f"j-{tag}-{n}" for n in range(journeys)]
    clients = [_client(clinic_id, f"c-{tag}-{n}", now) for n in range(journeys)]
    regular = _client(clinic_id, f"c-{tag}-regular", now)
    await Client.bulk_create([*clients, regular], batch_size=BATCH)
    consultant = [f"staff-{tag}-consultant-{n % CONSULTANTS}" for n in range(journeys)]
    await Journey.bulk_create(
        [
            Journey(
                id=ids[n],
                clinic_id=clinic_id,
                client_id=clients[n].id,
                consultant_id=consultant[n],
                stage="FOLLOW_UP",
                visit_category=VisitCategory.FIRST_VISIT.value,
                started_at=now,
                stage_entered_at=now,
                facts={},
            )
            for n in range(journeys)
        ],
        batch_size=BATCH,
    )
    await TriageEntry.bulk_create(
        [
            TriageEntry(
                clinic_id=clinic_id,
                seq=n + 1,
                day=day,
                kind=EntryKind.ASSIGNED.value,
                at=now,
                actor_id="desk",
                consultant_id=consultant[n],
                journey_id=ids[n],
                client_id=clients[n].id,
                reason="rotation",
                policy="ROTATION",
                details={"item": "KEY"},
            )
            for n in range(journeys)
        ],
        batch_size=BATCH,
    )
    await Payment.bulk_create(
        [_payment(clinic_id, ids[n], clients[n].id, None, n + 1, now) for n in range(journeys)],
        batch_size=BATCH,
    )
    await SurveyResponse.bulk_create(
        [
            SurveyResponse(
                id=f"s-{tag}-{n}",
                clinic_id=clinic_id,
                journey_id=ids[n],
                client_id=clients[n].id,
                doctor_id=f"staff-{tag}-doctor-{n % 5}",
                procedure_type=None,
                month=clinic_month(),
                scores={question: 1 + n % 5 for question in QUESTIONS},
                recorded_by="nurse",
                recorded_at=now,
            )
            for n in range(journeys)
        ],
        batch_size=BATCH,
    )
    await _regular_bills(clinic_id, regular.id, regular_bills, journeys + 1, now)
    return BusyMonth(clinic_id, journeys, regular.id)


def _payment(
    clinic_id: str, journey_id: str, client_id: str, bill_id: str | None, receipt: int, at: datetime
) -> Payment:
    return Payment(
        id=f"pay-{uuid.uuid4().hex}",
        clinic_id=clinic_id,
        journey_id=journey_id,
        client_id=client_id,
        bill_id=bill_id,
        kind="FULL",
        method="CARD",
        amount_minor=10_000,
        currency="EUR",
        receipt_number=receipt,
        recorded_by="cashier",
        recorded_at=at,
    )


async def _regular_bills(
    clinic_id: str, client_id: str, count: int, first_receipt: int, now: datetime
) -> None:
    bills = [
        Bill(
            id=f"bill-{uuid.uuid4().hex}",
            clinic_id=clinic_id,
            journey_id=f"j-{uuid.uuid4().hex}",
            client_id=client_id,
            currency="EUR",
            subtotal_minor=10_000,
            total_minor=10_000,
            created_by="cashier",
            created_at=now,
        )
        for _ in range(count)
    ]
    await Bill.bulk_create(bills, batch_size=BATCH)
    lines = [
        BillLine(
            id=f"line-{uuid.uuid4().hex}",
            bill_id=bill.id,
            position=position,
            price_item_id="item",
            item_code=f"code-{n % 40}",
            kind="PROCEDURE",
            name="Treatment",
            quantity=1,
            list_price_minor=5_000,
            unit_price_minor=5_000,
            line_total_minor=5_000,
        )
        for n, bill in enumerate(bills)
        for position in (1, 2)
    ]
    await BillLine.bulk_create(lines, batch_size=BATCH)
    payments = [
        _payment(clinic_id, bill.journey_id, client_id, bill.id, first_receipt + n, now)
        for n, bill in enumerate(bills)
    ]
    await Payment.bulk_create(payments, batch_size=BATCH)
