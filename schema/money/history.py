"""`billingHistory`: what a client spent, month by month, on what, and what is still owed, in one
currency: the clinic's, or one it billed in before (`currency:`), as amounts are never converted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode
from domain.journey.stages import PaymentKind
from domain.money import history
from domain.money.money import Money as MoneyValue
from domain.money.money import is_currency
from domain.money.refund_kinds import RefundKind
from domain.store.billing import Bill as BillRow
from domain.store.billing import BillConfirmation as ConfirmationRow
from domain.store.billing import BillLine as LineRow
from domain.store.billing import Payment as PaymentRow
from domain.store.billing import Refund as RefundRow
from domain.store.billing_reads import ended_before_treatment, payment_minor
from schema.audit.collector import note_access
from schema.clients.file_access import visible_client, zone_of
from schema.context import Context
from schema.ids import encode_id
from schema.input_check import InputNotAccepted
from schema.money.bill_types import BILL_ID_TYPE
from schema.money.common import billing_settings
from schema.money.types import Money

BILLING_HISTORY_READ = "client.billing_history.read"
# A client's bills over years stay in the hundreds; this bounds one answer.
MAX_ROWS = 5000


@strawberry.type(description="Paid and given back in one month of the clinic's calendar.")
class MonthSpending:
    month: str = strawberry.field(description='The month, "2026-12".')
    paid: Money = strawberry.field(description="Paid that month.")
    refunded: Money = strawberry.field(description="Given back that month.")
    net: Money = strawberry.field(description="Paid less given back.")


@strawberry.type(
    description="An item the client bought: on a bill they paid on, whose journey did not end "
    "before its treatment."
)
class ItemBought:
    code: str = strawberry.field(description="The price-list item's code.")
    name: str = strawberry.field(description="Its name on the bill.")
    kind: str = strawberry.field(description="What it is (PriceItemKind).")
    quantity: int = strawberry.field(description="How many, over all bills.")
    spent: Money = strawberry.field(description="What the lines came to.")


@strawberry.type(description="One bill: its total, what was paid and what is still owed.")
class BillStanding:
    bill_id: strawberry.ID = strawberry.field(description="The bill (`bill(id:)`).")
    journey_id: strawberry.ID = strawberry.field(description="Its journey.")
    total: Money = strawberry.field(description="The bill's total.")
    paid: Money = strawberry.field(description="Paid against it.")
    refunded: Money = strawberry.field(description="Given back.")
    outstanding: Money = strawberry.field(
        description="Still owed: the total less what the bill holds (paid less given back), "
        "less what was given back as GOODWILL (not asked for again); nothing once the journey "
        "ended before its treatment. As the bill's `outstanding`."
    )
    on_installments: bool = strawberry.field(description="Paid under an installment plan.")


@strawberry.type(
    description="A client's billing history in one currency: the clinic's, or the one asked."
)
class BillingHistory:
    currency: str = strawberry.field(
        description="ISO 4217 code of every amount here: the one asked (`currency:`), else the "
        "clinic's (`billingSettings { currency }`)."
    )
    currencies: list[str] = strawberry.field(
        description="Every currency whose history shows her bills or payments, alphabetically: "
        "one she paid in, or one of a bill she confirmed (`confirmBill`) and did not pay on; a "
        "bill neither confirmed nor paid on names none, as no history lists it. A clinic that "
        "changed its currency has her earlier bills, payments and refunds in the one before, "
        "each read as `billingHistory(clientId:, currency:)`; amounts are never converted."
    )
    months: list[MonthSpending] = strawberry.field(description="Spending by month, oldest first.")
    most_bought: list[ItemBought] = strawberry.field(description="Top items, most bought first.")
    bills: list[BillStanding] = strawberry.field(
        description="Every bill in this currency the client confirmed (`confirmBill`) or paid "
        "on, newest first: one not paid on at all is listed too, so a bill in a currency the "
        "clinic billed in before is read in `billingHistory(clientId:, currency:)`. A bill "
        "not confirmed is not owed yet (a newer one may replace it)."
    )
    paid: Money = strawberry.field(description="Paid over all bills, less refunds.")
    outstanding: Money = strawberry.field(
        description="Still owed over `bills`, in this currency alone: what she owes in another "
        "(`currencies`) is read in its own history, never converted or added here."
    )
    outstanding_on_installments: Money = strawberry.field(
        description="Of that, owed under installment plans."
    )


def _month(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m")


async def billing_history(
    info: Info[Context, None],
    client_id: Annotated[strawberry.ID, strawberry.argument(description="The client.")],
    currency: Annotated[
        str | None,
        strawberry.argument(
            description="ISO 4217 code of the history to read, one the clinic billed in before "
            "included (`currencies` lists the client's); null: the clinic's currency now. Not a "
            "currency code: an error entry (VALIDATION_FAILED)."
        ),
    ] = None,
) -> BillingHistory | None:
    """Cashiers and supervisors: a client's spending by month, most bought items, and paid vs
    outstanding (on installments too), in one currency; null for a client not of your clinic."""
    if currency is not None and not is_currency(currency):
        message = "currency: an ISO 4217 code such as EUR or PLN"
        raise InputNotAccepted(message, field="currency", code=FieldProblemCode.UNKNOWN_VALUE)
    client = await visible_client(info, client_id)
    if client is None:
        return None
    note_access(client.id, BILLING_HISTORY_READ)
    settings = await billing_settings(client.clinic_id)
    currency = currency or settings.currency
    zone = await zone_of(info, client.clinic_id)
    paid_in = (
        await PaymentRow.filter(client_id=client.id).distinct().values_list("currency", flat=True)
    )
    # The currencies her bills were confirmed in: with those she paid in (a bill paid on is in
    # its payment's, `recordPayment` refuses another), each a history showing what she paid or
    # owes. A bill neither confirmed nor paid on is in no history's `bills`: it names none.
    confirmed_in = (
        await ConfirmationRow.filter(bill__client_id=client.id)
        .distinct()
        .values_list("bill__currency", flat=True)
    )
    payments = await PaymentRow.filter(client_id=client.id, currency=currency).limit(MAX_ROWS)
    refunds = await RefundRow.filter(client_id=client.id, currency=currency).limit(MAX_ROWS)
    bills = (
        await BillRow.filter(client_id=client.id, currency=currency)
        .order_by("-created_at")
        .limit(MAX_ROWS)
    )
    lines = await LineRow.filter(bill_id__in=[b.id for b in bills]).limit(MAX_ROWS)
    moves = [
        history.Movement(_month(p.recorded_at, zone), payment_minor(p), p.bill_id) for p in payments
    ]
    moves += [
        history.Movement(
            _month(r.recorded_at, zone),
            -r.amount_minor,
            r.bill_id,
            goodwill=r.kind == RefundKind.GOODWILL.value,
        )
        for r in refunds
    ]
    plans = {p.bill_id for p in payments if p.kind == PaymentKind.INSTALLMENT_PLAN.value}
    paid_bills = {p.bill_id for p in payments if p.bill_id}
    # A bill she confirmed is owed whether she paid on it or not: one in a currency she never
    # paid in (the clinic's before it changed) was in no history's `bills` or `outstanding`.
    confirmed = ConfirmationRow.filter(bill_id__in=[b.id for b in bills])
    owed_bills = paid_bills | {str(i) for i in await confirmed.values_list("bill_id", flat=True)}
    # Their bills are owed no more, as the bill's own `outstanding` says (`money.standing`).
    closed = await ended_before_treatment({b.journey_id for b in bills})
    # Nor did the client buy their items: they left before the treatment (a no-show's deposit
    # kept still counts as paid, not as an item bought).
    left_untreated = {b.id for b in bills if b.journey_id in closed}
    figures = [
        history.BillFigures(
            b.id, b.journey_id, b.total_minor, b.id in plans, b.journey_id in closed
        )
        for b in bills
        if b.id in owed_bills
    ]
    bought = [
        history.LineBought(
            ln.bill_id, ln.item_code, ln.name, ln.kind, ln.quantity, ln.line_total_minor
        )
        for ln in lines
    ]
    standing = history.standings(figures, moves)

    def money(minor: int) -> Money:
        return Money.of(MoneyValue.from_minor(minor, currency), settings.locale)

    return BillingHistory(
        currency=currency,
        currencies=sorted({str(code) for code in [*paid_in, *confirmed_in]}),
        months=[
            MonthSpending(
                month=m.month,
                paid=money(m.paid_minor),
                refunded=money(m.refunded_minor),
                net=money(m.paid_minor - m.refunded_minor),
            )
            for m in history.by_month(moves)
        ],
        most_bought=[
            ItemBought(
                code=i.code,
                name=i.name,
                kind=i.kind,
                quantity=i.quantity,
                spent=money(i.spent_minor),
            )
            for i in history.most_bought(bought, paid_bills - left_untreated)
        ],
        bills=[
            BillStanding(
                bill_id=strawberry.ID(encode_id(BILL_ID_TYPE, s.bill_id)),
                journey_id=strawberry.ID(encode_id("Journey", s.journey_id)),
                total=money(s.total_minor),
                paid=money(s.paid_minor),
                refunded=money(s.refunded_minor),
                outstanding=money(s.outstanding_minor),
                on_installments=s.on_installments,
            )
            for s in standing
        ],
        paid=money(sum(m.amount_minor for m in moves)),
        outstanding=money(sum(s.outstanding_minor for s in standing)),
        outstanding_on_installments=money(
            sum(s.outstanding_minor for s in standing if s.on_installments)
        ),
    )
