"""Her bills, payments and refunds in her copy, as the clinic's books keep them (all append-only:
a bill keeps the prices it was made with, a refund is a row beside its payment). Amounts are
decimal texts at the currency's places ("1200.00" EUR, "150000" JPY), never floats.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BillLine:
    """One line of a bill, as billed: the price-list item, its list price and the price sold."""

    position: int
    price_item_id: str
    item_code: str
    kind: str
    name: str
    quantity: int
    list_price: str
    unit_price: str
    special_price: bool
    minor_procedure: bool
    consumable_cost: str
    line_total: str


@dataclass(frozen=True)
class BillConfirmation:
    """The client's confirmation of the bill (`confirmBill`): who signed, before whom, when. The
    drawn signature stays out, as a consent's does."""

    signer_name: str
    signature_format: str | None
    witness_id: str
    witness_role: str
    at: datetime


@dataclass(frozen=True)
class Bill:
    """`createBill`: an itemised bill for one of her journeys, its discount (why, granted by),
    whether she is a referring partner's own staff or relative, and her confirmation of it.
    Its installment schedule, if agreed, is not in the copy: its rows are written after the
    payment that agrees it, with no moment of their own to cut the copy at."""

    id: str
    journey_id: str
    currency: str
    lines: Sequence[BillLine]
    subtotal: str
    discount: str
    discount_reason: str | None
    discount_granted_by: str | None
    total: str
    partner_staff: str
    confirmation: BillConfirmation | None
    by: str  # who made it
    at: datetime


@dataclass(frozen=True)
class Payment:
    """`recordPayment`: what she paid, against which bill (none: against the final plan), of
    which kind, by which method, under which receipt number."""

    id: str
    journey_id: str
    bill_id: str | None
    kind: str
    method: str
    amount: str
    currency: str
    receipt_number: int
    by: str  # the cashier
    at: datetime


@dataclass(frozen=True)
class Refund:
    """`recordRefund`: money given back to her, beside the payment it comes from, and why."""

    id: str
    journey_id: str
    payment_id: str
    bill_id: str | None
    amount: str
    currency: str
    reason: str
    before_treatment: bool
    by: str
    author_role: str
    at: datetime
    # REVERSAL: her payment undone, owed again; GOODWILL: given back, not asked for again;
    # WITHDRAWAL: she withdrew before the treatment (`domain.money.refund_kinds`).
    kind: str = "REVERSAL"
