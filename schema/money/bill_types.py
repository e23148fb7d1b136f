"""The bill as the SPA reads it: lines at the prices it was made with, payments, refunds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.consent.signature import SignatureFormat
from domain.journey.stages import PaymentKind, PaymentMethod
from domain.money import standing
from domain.money.catalog import PriceItemKind
from domain.money.partner_split import StaffTreatment
from domain.money.refund_kinds import RefundKind
from domain.store.bill_lists import bill_payments, bill_refunds, bill_sums, refunds_of
from domain.store.billing import Bill as BillRow
from domain.store.billing import BillConfirmation as ConfirmationRow
from domain.store.billing import BillLine as LineRow
from domain.store.billing import InstallmentDue, InstallmentOverdue
from domain.store.billing import Payment as PaymentRow
from domain.store.billing import Refund as RefundRow
from domain.store.billing_reads import ended_before_treatment, payment_minor, still_owed
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from schema.audit.collector import note_access
from schema.context import Context
from schema.ids import decode_id, encode_id
from schema.input_check import check_list_page, not_in_list
from schema.money.types import Money
from schema.staff.types import StaffMember, staff_member

BILL_ID_TYPE = "Bill"
PAYMENT_ID_TYPE = "Payment"
BILL_READ = "client.bill.read"
# A bill's payments and refunds in one page: as many as a journey lists at most by default.
BILL_PAGE = 100
MAX_BILL_PAGE = 500

strawberry.enum(
    RefundKind,
    description="What money given back means for its bill (`recordRefund`'s `kind`).",
)
strawberry.enum(
    StaffTreatment,
    name="PartnerStaffTreatment",
    description="Whether the client is a referring partner's own staff or relative (seed 003).",
)


@strawberry.type(description="One line of a bill, at the price it was made with.")
class BillLine:
    price_item_id: strawberry.ID = strawberry.field(description="The price-list version used.")
    code: str = strawberry.field(description="The item's code.")
    kind: PriceItemKind = strawberry.field(description="What the item is.")
    name: str = strawberry.field(description="The item's name.")
    quantity: int = strawberry.field(description="How many.")
    list_price: Money = strawberry.field(description="The list price then.")
    unit_price: Money = strawberry.field(description="The price charged for one.")
    at_special_price: bool = strawberry.field(description="Sold at the special price.")
    minor_procedure: bool = strawberry.field(
        description="The item was a special-price minor procedure (its price-list version's "
        "`minorProcedure`): what a referring partner's share depends on."
    )
    consumable_cost: Money = strawberry.field(description="The consumable's cost, for one.")
    line_total: Money = strawberry.field(description="Unit price times quantity.")


@strawberry.type(description="The client's confirmation of the bill, recorded like a signature.")
class BillConfirmation:
    signer_name: str = strawberry.field(description="Who confirmed.")
    signature_format: SignatureFormat | None = strawberry.field(
        description="How the signature was drawn; null when none was captured."
    )
    witness_id: str = strawberry.field(description="Raw account id of the staff witness.")
    confirmed_at: datetime = strawberry.field(description="When, in UTC.")

    @strawberry.field(
        description="The staff witness (`witnessId`), with the name colleagues see; null if the "
        "account is gone."
    )
    async def witness(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.witness_id)


@strawberry.type(description="Money given back: a new entry; the payment stays as it was.")
class Refund:
    id: strawberry.ID = strawberry.field(description="Raw id of the refund.")
    payment_id: strawberry.ID = strawberry.field(description="Global id of the payment.")
    amount: Money = strawberry.field(description="How much was given back.")
    reason: str = strawberry.field(description="Why.")
    before_treatment: bool = strawberry.field(description="Given back before treatment began.")
    kind: RefundKind = strawberry.field(
        description="What it means for the bill: a REVERSAL is owed again, GOODWILL is not; "
        "a WITHDRAWAL ended the journey before the treatment, and nothing more is owed."
    )
    recorded_by: str = strawberry.field(description="Raw account id of who gave it back.")
    recorded_at: datetime = strawberry.field(description="When, in UTC.")

    @strawberry.field(
        description="Who gave it back (`recordedBy`), with the name colleagues see; null if the "
        "account is gone."
    )
    async def recorded_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.recorded_by)

    @classmethod
    def from_row(cls, row: RefundRow, locale: str) -> Refund:
        return cls(
            id=strawberry.ID(row.id),
            payment_id=strawberry.ID(encode_id(PAYMENT_ID_TYPE, row.payment_id)),
            amount=Money.minor(row.amount_minor, row.currency, locale),
            reason=row.reason,
            before_treatment=row.before_treatment,
            kind=RefundKind(row.kind),
            recorded_by=row.recorded_by,
            recorded_at=row.recorded_at,
        )


@strawberry.type(description="One payment and its receipt.")
class Payment:
    id: strawberry.ID = strawberry.field(description="Global id; `recordRefund` takes it.")
    kind: PaymentKind = strawberry.field(description="Full, deposit, top-up, installment...")
    method: PaymentMethod = strawberry.field(description="Cash, card, transfer, financing.")
    amount: Money = strawberry.field(description="How much was paid.")
    receipt_number: int = strawberry.field(
        description="The clinic's receipt number: 1, 2, 3, ... without gaps."
    )
    recorded_by: str = strawberry.field(description="Raw account id of the cashier.")
    recorded_at: datetime = strawberry.field(description="When, in UTC.")
    refunds: list[Refund] = strawberry.field(
        description="The money given back against this payment (`recordRefund`), oldest first; "
        f"the payment itself stays as it was. At most {MAX_REFUNDS_PER_PAYMENT}: `recordRefund` "
        "gives a payment back no more often (the answer-size estimate counts this list at that)."
    )

    @strawberry.field(
        description="Who took it (`recordedBy`), with the name colleagues see; null if the account "
        "is gone."
    )
    async def recorded_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.recorded_by)

    @classmethod
    def from_row(cls, row: PaymentRow, locale: str, refunds: Sequence[RefundRow] = ()) -> Payment:
        return cls(
            id=strawberry.ID(encode_id(PAYMENT_ID_TYPE, row.id)),
            kind=PaymentKind(row.kind),
            method=PaymentMethod(row.method),
            # One without a bill is kept in hundredths: shown at the currency's minor units.
            amount=Money.minor(payment_minor(row), row.currency, locale),
            receipt_number=row.receipt_number,
            recorded_by=row.recorded_by,
            recorded_at=row.recorded_at,
            refunds=[Refund.from_row(r, locale) for r in refunds if r.payment_id == row.id],
        )


@strawberry.type(description="One installment of the bill's plan.")
class Installment:
    seq: int = strawberry.field(description="1 for the first installment after the first payment.")
    due_on: date = strawberry.field(description="Due by the end of this day (clinic's zone).")
    amount: Money = strawberry.field(description="How much.")
    overdue: bool = strawberry.field(
        description="It fell due with the bill not paid up to it: a task for the clinic, "
        "until the bill holds what was due by it, or the journey ends before its treatment "
        "(counted the same in `journeyStats { overdueInstallments }`)."
    )


@strawberry.type(description="An itemised bill; it keeps the prices it was made with.")
class Bill:
    id: strawberry.ID = strawberry.field(description="Global id of the bill.")
    journey_id: strawberry.ID = strawberry.field(description="Global id of the journey.")
    lines: list[BillLine] = strawberry.field(description="The lines, in order.")
    subtotal: Money = strawberry.field(description="The sum of the lines.")
    discount: Money = strawberry.field(description="The discount granted (zero when none).")
    discount_reason: str | None = strawberry.field(description="Why it was granted.")
    discount_granted_by: str | None = strawberry.field(description="Raw account id of granter.")
    total: Money = strawberry.field(description="What the client owes: subtotal less discount.")
    paid: Money = strawberry.field(description="Paid against the bill so far.")
    refunded: Money = strawberry.field(
        description="Given back so far, of every kind (`Refund.kind`)."
    )
    outstanding: Money = strawberry.field(
        description="Still to pay: the total less what the bill holds (paid less given back), "
        "less what was given back as GOODWILL (no longer asked for: it lowers what is owed as "
        "much as what is held); nothing once the journey ended before its treatment (the "
        "client withdrew). As `billingHistory { bills { outstanding } }`."
    )
    confirmation: BillConfirmation | None = strawberry.field(
        description="The client's confirmation; null until confirmed."
    )
    installments: list[Installment] = strawberry.field(
        description="The installment plan's schedule; empty without a plan."
    )
    partner_staff: StaffTreatment = strawberry.field(
        description="Whether the client is the referring partner's own staff or relative "
        "(`createBill(partnerStaff)`)."
    )
    created_by: str = strawberry.field(description="Raw account id of who made the bill.")

    @strawberry.field(
        description="Who granted the discount (`discountGrantedBy`), with the name colleagues see;"
        " null when none was granted or the account is gone."
    )
    async def discount_granted_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.discount_granted_by)

    created_at: datetime = strawberry.field(description="When, in UTC.")
    raw_id: strawberry.Private[str]
    locale: strawberry.Private[str]

    @strawberry.field(
        description="Who made the bill (`createdBy`), with the name colleagues see; null if the "
        "account is gone."
    )
    async def created_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.created_by)

    @strawberry.field(
        description="Payments, oldest first (by receipt number), each with its refunds: those "
        "after the payment `after` names, at most `first` of them. A page of `first` may have "
        "more after it: ask again with the last one's `id` as `after`. `paid` counts them all."
    )
    async def payments(
        self,
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_BILL_PAGE}.")
        ] = BILL_PAGE,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The `id` of the last payment already read."),
        ] = None,
    ) -> list[Payment]:
        # Bounded: small partial payments, or money given back and paid again, grow it.
        check_list_page(first, MAX_BILL_PAGE)
        raw = None if after is None else decode_id(after, PAYMENT_ID_TYPE) or ""
        rows = await bill_payments(self.raw_id, first, raw)
        if rows is None:
            raise not_in_list("a payment of this bill")
        refunds = await refunds_of([row.id for row in rows])
        return [Payment.from_row(row, self.locale, refunds) for row in rows]

    @strawberry.field(
        description="Refunds, oldest first: those after the refund `after` names, at most "
        "`first` of them. A page of `first` may have more after it: ask again with the last "
        "one's `id` as `after`. `refunded` counts them all."
    )
    async def refunds(
        self,
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_BILL_PAGE}.")
        ] = BILL_PAGE,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The `id` of the last refund already read."),
        ] = None,
    ) -> list[Refund]:
        # Bounded: every refund after the treatment began may be paid again and given back again.
        check_list_page(first, MAX_BILL_PAGE)
        rows = await bill_refunds(self.raw_id, first, after)
        if rows is None:
            raise not_in_list("a refund of this bill")
        return [Refund.from_row(row, self.locale) for row in rows]

    @classmethod
    async def load(cls, row: BillRow, locale: str) -> Bill:
        note_access(row.client_id, BILL_READ)  # built only to be answered: this is the read
        lines = await LineRow.filter(bill_id=row.id).order_by("position")
        confirmation = await ConfirmationRow.get_or_none(bill_id=row.id)
        paid, refunded, goodwill = await bill_sums(row.id)
        dues = await InstallmentDue.filter(bill_id=row.id).order_by("seq")
        tasks = await InstallmentOverdue.filter(bill_id=row.id)
        # What is owed, and the tasks, judged as the billing history and the supervisor's count
        # judge them: one bill, one journey, one read more.
        left = await ended_before_treatment([row.journey_id])
        held = standing.held(paid, refunded)
        # Counted as `kept_by_bill` counts it: goodwill lowered what was due as much as held.
        kept = {row.id: standing.counted_against_due(held, goodwill)}
        owed = standing.outstanding(
            row.total_minor,
            held,
            goodwill_minor=goodwill,
            ended_before_treatment=row.journey_id in left,
        )
        overdue = {task.seq for task in tasks if still_owed(task, kept, left)}

        def money(minor: int) -> Money:
            return Money.minor(minor, row.currency, locale)

        return cls(
            id=strawberry.ID(encode_id(BILL_ID_TYPE, row.id)),
            journey_id=strawberry.ID(encode_id("Journey", row.journey_id)),
            lines=[_line(line, row.currency, locale) for line in lines],
            subtotal=money(row.subtotal_minor),
            discount=money(row.discount_minor),
            discount_reason=row.discount_reason,
            discount_granted_by=row.discount_granted_by,
            total=money(row.total_minor),
            paid=money(paid),
            refunded=money(refunded),
            outstanding=money(owed),
            confirmation=_confirmation(confirmation),
            installments=[
                Installment(
                    seq=d.seq,
                    due_on=d.due_on,
                    amount=money(d.amount_minor),
                    overdue=d.seq in overdue,
                )
                for d in dues
            ],
            partner_staff=StaffTreatment(row.partner_staff),
            created_by=row.created_by,
            created_at=row.created_at,
            raw_id=row.id,
            locale=locale,
        )


def _line(row: LineRow, currency: str, locale: str) -> BillLine:
    def money(minor: int) -> Money:
        return Money.minor(minor, currency, locale)

    return BillLine(
        price_item_id=strawberry.ID(encode_id("PriceListItem", row.price_item_id)),
        code=row.item_code,
        kind=PriceItemKind(row.kind),
        name=row.name,
        quantity=row.quantity,
        list_price=money(row.list_price_minor),
        unit_price=money(row.unit_price_minor),
        at_special_price=row.special_price,
        minor_procedure=row.minor_procedure,
        consumable_cost=money(row.consumable_cost_minor),
        line_total=money(row.line_total_minor),
    )


def _confirmation(row: ConfirmationRow | None) -> BillConfirmation | None:
    if row is None:
        return None
    return BillConfirmation(
        signer_name=row.signer_name,
        signature_format=SignatureFormat(row.signature_format) if row.signature_format else None,
        witness_id=row.witness_id,
        confirmed_at=row.confirmed_at,
    )
