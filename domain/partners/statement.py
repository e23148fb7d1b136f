"""A partner's monthly statement: every deal line of the clients it referred, split by the rules
of seed 003 (`money.partner_split`), with totals per currency and a CSV for the accountant."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from domain.money.hundredths import places_of
from domain.money.partner_split import CENT, DealLine, LineSplit, split_line

# The most lines one statement carries: a month with more is refused whole, never cut (a
# statement missing lines would underpay the partner). A salon sending 30 clients a month who
# each pay twice for a three-line bill makes 180. It is also what the answer-size estimate
# counts `lines` as (`schema.answer_size`): 500 lines with every field are about 22,500 values,
# within the 24,000 one answer may hold, where the month was read and built on the event loop
# however many payments it held.
MAX_STATEMENT_LINES = 500


@dataclass(frozen=True)
class PartnerDeal:
    """What a referred client bought with one payment (its part of the bill's lines, or one
    line without a bill); a refund's lines have negative prices sold."""

    journey_id: str
    at: datetime
    currency: str
    lines: tuple[DealLine, ...]


@dataclass(frozen=True)
class StatementLine:
    journey_id: str
    at: datetime
    currency: str
    split: LineSplit


def minor_unit_of(currency: str) -> Decimal:
    """The currency's minor unit (¥1, 0.01 zł, 0.001 KWD): a share is money the partner is paid,
    so it is rounded to what the currency can pay, not to the cent whatever the currency."""
    return Decimal(1).scaleb(-places_of(currency))


def signed_split(line: DealLine, minor_unit: Decimal = CENT) -> LineSplit:
    """A refund (a negative price sold) takes back the share its sale paid: the same rule on
    the amounts' mirror, negated."""
    if line.price_sold >= 0:
        return split_line(line, minor_unit)
    sold = split_line(replace(line, price_sold=-line.price_sold), minor_unit)
    return LineSplit(line, sold.rule, -sold.base, -sold.partner_share, sold.staff_price)


def statement_lines(deals: Iterable[PartnerDeal]) -> list[StatementLine]:
    lines = []
    for deal in sorted(deals, key=lambda d: (d.at, d.journey_id)):
        unit = minor_unit_of(deal.currency)
        lines += [
            StatementLine(deal.journey_id, deal.at, deal.currency, signed_split(line, unit))
            for line in deal.lines
        ]
    return lines


def totals(lines: Iterable[StatementLine]) -> dict[str, tuple[Decimal, Decimal]]:
    """currency -> (price sold, partner share), at the currency's minor unit."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        zero = Decimal(0).quantize(minor_unit_of(line.currency))
        sold, share = sums.get(line.currency, (zero, zero))
        sums[line.currency] = (sold + line.split.line.price_sold, share + line.split.partner_share)
    return dict(sorted(sums.items()))


CSV_HEADER = (
    "journey_id",
    "paid_at",
    "item_kind",
    "rule",
    "list_price",
    "price_sold",
    "consumable_cost",
    "base",
    "partner_share",
    "currency",
)


def to_csv(lines: list[StatementLine]) -> str:
    """One row per line, then one total row per currency; amounts as exact decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for s in lines:
        line = s.split.line
        writer.writerow(
            (
                s.journey_id,
                s.at.isoformat(),
                line.kind.value,
                s.split.rule.value,
                line.list_price,
                line.price_sold,
                line.consumable_cost,
                s.split.base,
                s.split.partner_share,
                s.currency,
            )
        )
    for currency, (sold, share) in totals(lines).items():
        writer.writerow(("TOTAL", "", "", "", "", sold, "", "", share, currency))
    return out.getvalue()
