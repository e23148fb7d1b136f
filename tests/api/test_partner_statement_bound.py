"""A partner's statement carries at most `MAX_STATEMENT_LINES` lines: a month with more is refused
whole (`ValidationFailed` on `month`), counted before the reads that grow with it. Before, every
payment of the month was read, and its lines and CSV built on the event loop, however many.
Its reads name the partner's journeys by a subquery of the referrals, however many the years
brought (found by a review: their ids were sent as a list, which fails past 32,766 of them)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from domain.partners.statement import MAX_STATEMENT_LINES
from domain.roles import Role
from domain.store.billing import Bill, BillLine, Payment
from domain.store.partners import PartnerReferral
from schema.ids import decode_id, encode_id
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.harness import clinic_month
from tests.api.partner_documents import REGISTER, STATEMENT
from tests.sql_statements import statements_logged

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
# More ids than one statement may bind values (SQLite: 32,766; asyncpg: 32,767)
REFERRALS_PAST_BOUND_VALUES = 32_800


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


async def test_a_partner_with_more_referrals_than_a_statement_binds_values_gets_one(
    fresh_clinic: FreshClinic,
) -> None:
    d = await fresh_clinic()
    cashier = d.token(Role.CASHIER)
    registered = await d.api.run(REGISTER, d.token(Role.SUPERVISOR), input={"name": "Salon Stary"})
    partner = registered["registerPartner"]["partner"]["id"]
    clinic_id, partner_id = await clinic_of(d), str(decode_id(partner, "Partner"))
    # Given a partner who referred more clients than a statement binds values
    await _referred_in_bulk(clinic_id, partner_id, REFERRALS_PAST_BOUND_VALUES)
    # and one more, who paid this month
    client = ReferredClient(clinic_id, partner_id)
    await client.referred()
    await client.pays(1)
    # When the month's statement is asked for
    with statements_logged() as statements:
        answer = await d.api.run(STATEMENT, cashier, partnerId=partner, month=clinic_month())
    # Then it answers with that payment's line
    statement = answer["partnerStatement"]
    assert statement["__typename"] == "PartnerStatement", statement
    assert [line["journeyId"] for line in statement["lines"]] == [
        encode_id("Journey", client.journey_id)
    ]
    # and none of its statements sent the referred journeys' ids (SQLite builds differ: its own
    # default bound is 32,766 values, Debian's 250,000)
    assert max(len(values) for _, values in statements.runs) < REFERRALS_PAST_BOUND_VALUES


async def _referred_in_bulk(clinic_id: str, partner_id: str, count: int) -> None:
    """`count` clients referred by the partner, written as rows at once (quicker than models)."""
    connection = connections.get("default")
    sqlite = connection.capabilities.dialect == "sqlite"
    marks = ", ".join("?" if sqlite else f"${n}" for n in range(1, 7))
    at, batch = datetime.now(UTC), uuid.uuid4().hex
    rows = [
        [clinic_id, partner_id, f"j-{batch}-{n}", f"c-{batch}-{n}", "desk", at]
        for n in range(count)
    ]
    columns = "clinic_id, partner_id, journey_id, client_id, recorded_by, at"
    await connection.execute_many(
        f"INSERT INTO partner_referral ({columns}) VALUES ({marks})", rows
    )
