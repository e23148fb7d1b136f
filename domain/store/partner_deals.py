"""Where a partner statement reads the deals of referred clients from.

Today a payment carries one amount against the plan's single price, with no item lines: each
payment of a referred journey is read as one PROCEDURE line sold at that amount (the list price
unknown, so taken as the price sold), which the split treats as a normal 50:50 deal. Itemised
bills (kinds, list prices, consumable costs, special prices, partner staff) plug in as another
`DealSource` with the statement unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal

from domain.money.partner_split import DealLine, PriceItemKind
from domain.partners.statement import PartnerDeal
from domain.store.money_movements import recorded_payments
from domain.store.partners import PartnerReferral

# (partner, clinic, from, until) -> the deals of the partner's clients in [from, until).
DealSource = Callable[[str, str, datetime, datetime], Awaitable[list[PartnerDeal]]]


async def deals_from_payments(
    partner_id: str, clinic_id: str, start: datetime, end: datetime
) -> list[PartnerDeal]:
    referred = await PartnerReferral.filter(partner_id=partner_id, clinic_id=clinic_id)
    payments = await recorded_payments(clinic_id, start, end, [r.journey_id for r in referred])
    deals = []
    for payment in payments:
        amount = Decimal(payment.amount_minor).scaleb(-2)
        line = DealLine(PriceItemKind.PROCEDURE, list_price=amount, price_sold=amount)
        deals.append(PartnerDeal(payment.journey_id, payment.at, payment.currency, (line,)))
    return deals
