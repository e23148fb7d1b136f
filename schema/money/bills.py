"""Itemised bills: made by a cashier from the price list, confirmed by the client.

A bill's lines are the final plan's price lines (the price-list items the expert's approved plan
names, as the expert corrected it), priced with each item's version in force today; or, given
explicitly, a price-list item version in force today and a quantity each: free for a plan that
names none, else within the plan (`bill_lines`). Today is the clinic's day
(a version begins and ends at its midnight), as `priceList` reads it. A bill is never
changed: a new bill for the journey replaces one the client has not confirmed yet; a confirmed
bill stands (a correction after that is a refund), and the client confirms only the current
bill. Each is read again under the journey's row lock as the bill or its confirmation is written
(`store.bill_writes`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import DomainError, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.bill_notes import NOT_BILLABLE_NOW, PAID_ON_ITS_PLAN, BillNote
from domain.money.bills import (
    discount_needs_supervisor,
    draft_bill,
)
from domain.money.catalog import BillingSettings
from domain.money.partner_split import StaffTreatment
from domain.roles import Role
from domain.store import bill_writes
from domain.store.bill_writes import NewBill, Refused
from domain.store.billing import Bill as BillRow
from domain.store.billing import BillConfirmation as ConfirmationRow
from domain.store.billing_reads import current_bill
from domain.store.models import Journey as JourneyRow
from domain.store.partners import PartnerReferral
from domain.text import one_line
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import clinic_today
from schema.consents.signing import signature_problems
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    Unavailable,
    ValidationFailed,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.journeys.actions import load_visible_journey
from schema.journeys.consent import DrawnSignatureInput
from schema.money.bill_lines import explicit_lines, planned_lines
from schema.money.bill_types import BILL_ID_TYPE, Bill
from schema.money.common import (
    billing_settings,
    conflict,
    invalid,
    keyed,
    read_money,
    row_written,
)
from schema.money.types import MoneyInput
from schema.text import check_text

CONFLICTS = {
    Refused.STANDS: "the client confirmed the journey's bill; it stands",
    Refused.REPLACED: "a newer bill replaced this one",
    Refused.CONFIRMED: "the bill is already confirmed",
}

# Seed 003 rule 10 prices the staff of the salon that sent the client: a journey no partner
# sent has no salon whose staff the client could be.
NOT_REFERRED = "only for a client a partner salon referred (startJourney with partnerId)"


@strawberry.input(description="One line: a price-list item version and how many.")
class BillLineInput:
    price_item_id: strawberry.ID = strawberry.field(
        description="A `PriceListItem` id from today's `priceList`."
    )
    quantity: int = strawberry.field(default=1, description="1 to 100.")
    at_special_price: bool = strawberry.field(
        default=False, description="Sell at the item's special price."
    )


@strawberry.input(description="A discount on the whole bill: how much, why; the caller grants it.")
class DiscountInput:
    amount: MoneyInput = strawberry.field(
        description="More than zero and less than the bill's subtotal."
    )
    reason: str = strawberry.field(description="Why it is granted (at most 500 characters).")


@strawberry.input(description="A bill for the journey's approved final plan.")
class CreateBillInput:
    journey_id: strawberry.ID = strawberry.field(description="The journey, approved by the expert.")
    lines: list[BillLineInput] | None = strawberry.field(
        default=None,
        description="One to 50 lines. Left out: the final plan's `priceLines`, at the prices "
        "of today's price list, at list price (a plan naming none is refused). Given for a "
        "plan that names `priceLines`: only the plan's items (matched by their price-list "
        "`code`, today's version), and of each at most the plan's quantity, all its lines "
        "together; fewer, or an item left out, is the client declining it. Another item or "
        "more is `ValidationFailed` on `lines`, naming the line: a changed plan is the "
        "expert's to approve (`amendRecord` of the approval by its expert). Free for a plan "
        "that names none.",
    )
    discount: DiscountInput | None = strawberry.field(
        default=None,
        description="Above the clinic's threshold (a share of the subtotal) only a supervisor "
        "may grant it.",
    )
    partner_staff: StaffTreatment = strawberry.field(
        default=StaffTreatment.NONE,
        description="The client is the referring partner salon's own staff or relative, treated "
        "without or with high-cost consumables (seed 003): every line is priced at 40 % / 45 % "
        "of its list price (no special price besides), and the partner's statement shows no "
        "share. Only on a journey a partner referred (`startJourney(partnerId)`); "
        "WITHOUT_CONSUMABLES is refused for a line that carries a high-cost consumable (a "
        "CONSUMABLE item, or one with a consumable cost). NONE for any other client.",
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="The client confirms the bill, as they would sign it.")
class ConfirmBillInput:
    bill_id: strawberry.ID = strawberry.field(description="The journey's current bill.")
    signer_name: str = strawberry.field(description="Who confirms (at most 200 characters).")
    signature: DrawnSignatureInput | None = strawberry.field(
        default=None, description="The drawn signature, checked for type and size."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The bill after the change.")
class BillPayload:
    bill: Bill = strawberry.field(description="The bill.")


BillResult = Annotated[
    BillPayload | NotAuthorized | ValidationFailed | NotFound | Conflict | Unavailable,
    strawberry.union("BillResult", description="The bill, or why not."),
]


async def _payload(row_id: str, settings: BillingSettings) -> BillPayload:
    return BillPayload(bill=await Bill.load(await BillRow.get(id=row_id), settings.locale))


async def create_bill(info: Info[Context, None], input: CreateBillInput) -> BillResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    journey = await load_visible_journey(info, input.journey_id)
    if journey is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("journey")
        )
    settings = await billing_settings(claims.clinic_id)
    today = await clinic_today(info, claims.clinic_id)
    problems: list[FieldProblem] = []
    discount = None
    if input.discount is not None:
        discount = read_money("discount.amount", input.discount.amount, problems, settings.currency)
        problems += check_text("discount.reason", input.discount.reason, required=True, limit=500)
    if input.lines is None:
        requests = await planned_lines(claims.clinic_id, today, journey.id, problems)
    else:
        requests = await explicit_lines(claims.clinic_id, today, journey.id, input.lines, problems)
        if len(input.lines) > 50:
            problems.append(FieldProblem("lines", "one to 50 lines", Code.TOO_MANY))
    if input.partner_staff is not StaffTreatment.NONE and not await PartnerReferral.exists(
        journey_id=journey.id
    ):
        problems.append(FieldProblem("partnerStaff", NOT_REFERRED, Code.INCONSISTENT))
    bill = None
    if not problems:
        bill, problems = draft_bill(requests, discount, settings.currency, input.partner_staff)
    refused: ValidationFailed | NotAuthorized | None = invalid(problems) if bill is None else None
    if (
        bill is not None
        and claims.role is not Role.SUPERVISOR
        and discount_needs_supervisor(bill, settings.discount_threshold_percent)
    ):
        refused = not_authorized(
            f"a discount above {settings.discount_threshold_percent}% needs a supervisor"
        )
    # A retry of a bill that was made is answered with it, though the catalogue, the plan or the
    # clinic's settings have changed since.
    # (its answer lost or not: the bill under the key's id was written)
    written = row_written("bill", BillRow)
    refused_now = await idempotency.refusal_answer(
        info, claims.account_id, input, refused, went_through=written
    )
    if refused_now is not None:
        return refused_now

    async def write(row_id: str) -> str | Conflict | ValidationFailed | NotAuthorized:
        if await BillRow.exists(id=row_id):
            return row_id
        if bill is None or refused is not None:  # only a request answered before gets here
            return refused or invalid(problems)
        refusal = await _not_billable(journey)
        # Refused, unless an attempt of this very request beside this one wrote the bill since
        # (its confirmation may be what refuses it now): the write below answers that bill.
        if refusal is not None and not await BillRow.exists(id=row_id):
            return refusal
        told = await _journey_told(info, journey, row_id)
        if told is not None:
            return told
        reason = input.discount.reason if input.discount and discount else None
        new = NewBill(row_id, journey.id, bill, reason, claims.account_id, input.partner_staff)
        # Checked again under the journey's row lock: a confirmation of the current bill, or a
        # payment on the plan's price, committed since the check above refuses it there.
        written = await bill_writes.write_bill(new)
        if isinstance(written, Refused):
            return _refused(written)
        note_write(info, journey.client_id)
        return row_id

    async def answer(row_id: str) -> BillPayload:
        return await _payload(row_id, settings)

    return await keyed(info, claims.account_id, input, "bill", answer, write)  # type: ignore[return-value]


def _refused(refused: Refused) -> Conflict | ValidationFailed:
    """The answer to a bill or a confirmation its journey's rows refuse (`bill_writes`)."""
    if refused is Refused.NOT_NOW:
        return invalid([FieldProblem("journeyId", NOT_BILLABLE_NOW, Code.NOT_ALLOWED_NOW)])
    if refused is Refused.PAID_ON_PLAN:
        return invalid([FieldProblem("journeyId", PAID_ON_ITS_PLAN, Code.NOT_ALLOWED_NOW)])
    return conflict(CONFLICTS[refused])


async def _journey_told(
    info: Info[Context, None], journey: JourneyRow, row_id: str
) -> str | Conflict | ValidationFailed | None:
    """Tells the journey of the bill before its row is written: None once it took it. A
    payment on the plan's price it took first refuses the bill, and a payment naming no bill
    that it is asked for after is refused (`domain.journey.bill_notes`). An attempt of this
    very request beside this one may have written the bill since the journey moved on: that
    bill is the answer."""
    gateway = info.context.gateway
    try:
        # Temporal not answering raises `JourneyUnavailable`: answered `Unavailable`
        # (`schema.unanswered`), the key open; its retry sends the same update id.
        await gateway.note_bill(journey.id, BillNote(row_id), f"note-bill-{row_id}")
    except DomainError as refused:
        if await BillRow.exists(id=row_id):
            return row_id
        if isinstance(refused, DomainValidationFailed):
            return _refused(Refused.PAID_ON_PLAN)
        return _refused(Refused.NOT_NOW)
    return None


async def _not_billable(journey: JourneyRow) -> Conflict | ValidationFailed | None:
    """The check before the write, on the journey as the request read it."""
    refused = await bill_writes.refusal_to_bill(journey)
    return None if refused is None else _refused(refused)


async def confirm_bill(info: Info[Context, None], input: ConfirmBillInput) -> BillResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    raw_id = decode_id(input.bill_id, BILL_ID_TYPE)
    row = await BillRow.get_or_none(id=raw_id or "", clinic_id=claims.clinic_id)
    if row is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("bill")
        )
    drawn = (input.signature.format, input.signature.data) if input.signature else None
    problems = check_text("signerName", input.signer_name, required=True, limit=200)
    problems += signature_problems(drawn)
    if problems:
        return invalid(problems)
    settings = await billing_settings(claims.clinic_id)

    async def write(confirmation_id: str) -> str | Conflict | ValidationFailed:
        confirmed = await ConfirmationRow.get_or_none(bill_id=row.id)
        if confirmed is not None:
            # By an attempt of this very request beside this one (the id comes from the key),
            # or by another request.
            return row.id if confirmed.id == confirmation_id else _refused(Refused.CONFIRMED)
        current = await current_bill(row.journey_id)
        if current is None or current.id != row.id:
            return _refused(Refused.REPLACED)
        confirmation = ConfirmationRow(
            id=confirmation_id,
            bill_id=row.id,
            signer_name=one_line(input.signer_name),
            signature_format=drawn[0].value if drawn else None,
            signature_data=drawn[1] if drawn else None,
            witness_id=claims.account_id,
            witness_role=claims.role.value,
            confirmed_at=datetime.now(UTC),
        )
        # Checked again under the journey's row lock: a newer bill, or another confirmation,
        # committed since the checks above refuses it there.
        written = await bill_writes.confirm_bill(row, confirmation)
        if isinstance(written, Refused):
            return _refused(written)
        note_write(info, row.client_id)
        return row.id

    async def answer(bill_id: str) -> BillPayload:
        return await _payload(bill_id, settings)

    return await keyed(info, claims.account_id, input, "bill_confirmation", answer, write)  # type: ignore[return-value]


async def bill(
    info: Info[Context, None],
    id: Annotated[
        strawberry.ID | None, strawberry.argument(description="The bill's global id.")
    ] = None,
    journey_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Or a journey: its current (newest) bill."),
    ] = None,
) -> Bill | None:
    """A bill of your clinic by its id, or a journey's current bill; null when none."""
    claims = info.context.claims
    if claims is None:
        return None
    row: BillRow | None = None
    if id is not None:
        row = await BillRow.get_or_none(
            id=decode_id(id, BILL_ID_TYPE) or "", clinic_id=claims.clinic_id
        )
    elif journey_id is not None:
        journey = await load_visible_journey(info, journey_id)
        row = await current_bill(journey.id) if journey is not None else None
    if row is None:
        return None
    return await Bill.load(row, (await billing_settings(claims.clinic_id)).locale)
