"""A partner's statement carries at most `MAX_STATEMENT_LINES` lines: a month with more is refused
whole (`ValidationFailed` on `month`), counted before the reads that grow with it. Before, every
payment of the month was read, and its lines and CSV built on the event loop, however many."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from domain.partners.statement import MAX_STATEMENT_LINES
from domain.roles import Role
from domain.store.billing import Bill, BillLine, Payment
from domain.store.partners import PartnerReferral
from schema.ids import decode_id
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.harness import clinic_month
from tests.api.test_partners import REGISTER, STATEMENT

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


class ReferredClient:
    """A client the partner sent, whose payments are written as the cashier's would be."""

    def __init__(self, clinic_id: str, partner_id: str) -> None:
        self.clinic_id, self.partner_id = clinic_id, partner_id
        self.journey_id, self.client_id = f"j-{uuid.uuid4().hex}", f"c-{uuid.uuid4().hex}"
        self.receipts = 0

    async def referred(self) -> None:
        await PartnerReferral.create(
            clinic_id=self.clinic_id,
            partner_id=self.partner_id,
            journey_id=self.journey_id,
            client_id=self.client_id,
            recorded_by="desk",
            at=datetime.now(UTC),
        )

    async def pays(self, count: int, bill_id: str | None = None) -> None:
        rows = []
        for _ in range(count):
            self.receipts += 1
            rows.append(
                Payment(
                    id=f"pay-{uuid.uuid4().hex}",
                    clinic_id=self.clinic_id,
                    journey_id=self.journey_id,
                    client_id=self.client_id,
                    bill_id=bill_id,
                    kind="FULL",
                    method="CARD",
                    amount_minor=10_000,
                    currency="EUR",
                    receipt_number=self.receipts,
                    recorded_by="cashier",
                    recorded_at=datetime.now(UTC),
                )
            )
        await Payment.bulk_create(rows)

    async def bill_of_two_lines(self) -> str:
        bill = await Bill.create(
            id=f"bill-{uuid.uuid4().hex}",
            clinic_id=self.clinic_id,
            journey_id=self.journey_id,
            client_id=self.client_id,
            currency="EUR",
            subtotal_minor=10_000,
            total_minor=10_000,
            created_by="cashier",
            created_at=datetime.now(UTC),
        )
        for position in (1, 2):
            await BillLine.create(
                id=f"line-{uuid.uuid4().hex}",
                bill_id=bill.id,
                position=position,
                price_item_id="item",
                item_code=f"code-{position}",
                kind="PROCEDURE",
                name="Treatment",
                quantity=1,
                list_price_minor=5_000,
                unit_price_minor=5_000,
                line_total_minor=5_000,
            )
        return bill.id


async def test_a_month_past_the_statement_bound_is_refused_whole(fresh_clinic: FreshClinic) -> None:
    d = await fresh_clinic()
    cashier = d.token(Role.CASHIER)
    registered = await d.api.run(REGISTER, d.token(Role.SUPERVISOR), input={"name": "Salon Duży"})
    partner = registered["registerPartner"]["partner"]["id"]
    client = ReferredClient(await clinic_of(d), str(decode_id(partner, "Partner")))
    await client.referred()

    async def statement() -> dict[str, Any]:
        answer = await d.api.run(STATEMENT, cashier, partnerId=partner, month=clinic_month())
        return answer["partnerStatement"]  # type: ignore[no-any-return]

    # Given a month of exactly as many lines as a statement carries: payments without a bill
    # (one line each) and one against a bill of two lines
    await client.pays(MAX_STATEMENT_LINES - 2)
    await client.pays(1, await client.bill_of_two_lines())
    whole = await statement()
    assert whole["__typename"] == "PartnerStatement", whole
    assert len(whole["lines"]) == MAX_STATEMENT_LINES
    # When one more payment makes a line too many (its rows still within the bound)
    await client.pays(1)
    over_in_lines = await statement()
    # And another makes the rows too many as well
    await client.pays(1)
    over_in_rows = await statement()
    # Then each is refused whole, on the month, never cut
    refusal = {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": f"month: the month makes more than {MAX_STATEMENT_LINES} statement lines: "
        "refused whole, never cut",
    }
    assert over_in_lines == over_in_rows == refusal
