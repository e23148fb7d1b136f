"""`partnerStatement`: what a partner is owed for a month, line by line, and as CSV."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode as Code
from domain.money import partner_split
from domain.money.catalog import PriceItemKind
from domain.money.money import Money as MoneyValue
from domain.months import MONTH_RULE, is_month
from domain.partners.statement import (
    MAX_STATEMENT_LINES,
    StatementLine,
    statement_lines,
    to_csv,
    totals,
)
from domain.store.money_movements import month_bounds
from domain.store.partner_deals import TooManyLines, deals_from_payments
from domain.store.partner_reads import current
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    invalid,
    not_authorized,
    not_found,
)
from schema.ids import decode_id, encode_id
from schema.money.types import Money
from schema.partners.types import Partner

strawberry.enum(partner_split.SplitRule, name="PartnerSplitRule")


def _money(amount: Decimal, currency: str) -> Money:
    """At the currency's minor units (payments and shares are rounded to them)."""
    return Money.of(MoneyValue.rounded(amount, currency))


@strawberry.type(description="One deal line of a referred client and the partner's share of it.")
class PartnerStatementLine:
    journey_id: strawberry.ID = strawberry.field(description="The referred client's journey.")
    paid_at: datetime = strawberry.field(description="When the money was taken.")
    item_kind: PriceItemKind = strawberry.field(description="What was sold.")
    rule: partner_split.SplitRule = strawberry.field(description="The seed-003 rule that applied.")
    price_sold: Money = strawberry.field(description="The line's deal price.")
    base: Money = strawberry.field(
        description="What the rule's rate applied to: the price less high-cost consumables "
        "(50:50), the special price (10 %), or 0 (excluded items, partner staff)."
    )
    partner_share: Money = strawberry.field(
        description="The partner's share, rounded half up to the currency's minor unit."
    )


@strawberry.type(
    description="A partner's month, counted by the money taken in it (payments less refunds "
    "of referred clients, each as its part of the bill's lines): every line, totals per "
    "currency, and CSV."
)
class PartnerStatement:
    partner: Partner = strawberry.field(description="The partner.")
    month: str = strawberry.field(description="The month, YYYY-MM, in the clinic's calendar.")
    lines: list[PartnerStatementLine] = strawberry.field(
        description=f"Oldest first; at most {MAX_STATEMENT_LINES}: a month with more is refused "
        "whole (ValidationFailed on `month`), never cut."
    )
    total_sold: list[Money] = strawberry.field(description="Deal prices, per currency.")
    total_partner_share: list[Money] = strawberry.field(
        description="What the partner is owed, per currency."
    )
    csv: str = strawberry.field(
        description="The same as CSV (RFC 4180, header row, then one TOTAL row per currency)."
    )


PartnerStatementResult = Annotated[
    PartnerStatement | NotAuthorized | NotFound | ValidationFailed,
    strawberry.union("PartnerStatementResult", description="The statement or why not."),
]


def _line(s: StatementLine) -> PartnerStatementLine:
    return PartnerStatementLine(
        journey_id=strawberry.ID(encode_id("Journey", s.journey_id)),
        paid_at=s.at,
        item_kind=s.split.line.kind,
        rule=s.split.rule,
        price_sold=_money(s.split.line.price_sold, s.currency),
        base=_money(s.split.base, s.currency),
        partner_share=_money(s.split.partner_share, s.currency),
    )


async def partner_statement(
    info: Info[Context, None], partner_id: strawberry.ID, month: str
) -> PartnerStatementResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    if not is_month(month):
        return invalid("month", MONTH_RULE, Code.BAD_FORMAT)
    raw = decode_id(partner_id, "Partner")
    row = raw and await current(raw, claims.clinic_id)
    if not row:
        return not_found("partner")
    start, end = await month_bounds(claims.clinic_id, month)
    deals = await deals_from_payments(row.partner_id, claims.clinic_id, start, end)
    if isinstance(deals, TooManyLines):
        return invalid(
            "month",
            f"the month makes more than {deals.most} statement lines: refused whole, never cut",
            Code.TOO_MANY,
        )
    lines = statement_lines(deals)
    sums = totals(lines)
    return PartnerStatement(
        partner=await Partner.from_row(row),
        month=month,
        lines=[_line(s) for s in lines],
        total_sold=[_money(sold, c) for c, (sold, _share) in sums.items()],
        total_partner_share=[_money(share, c) for c, (_sold, share) in sums.items()],
        csv=to_csv(lines),
    )
