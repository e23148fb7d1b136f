"""The clinic's price list: versions set by supervisors, read by the clinic's staff.

`setPriceListItem` never changes a version: it adds the item's next one. A bill copies the
prices of the versions it was made from, so a later price never changes an earlier bill.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.money.catalog import PriceItemKind
from domain.money.money import Money as MoneyValue
from domain.store.billing import PriceListItem as ItemRow
from domain.store.billing_reads import items_in_force
from schema import idempotency
from schema.clients.file_access import clinic_today
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, not_authorized
from schema.ids import encode_id
from schema.money.common import billing_settings, invalid, keyed, read_money, row_written
from schema.money.types import Money, MoneyInput
from schema.staff.types import StaffMember, staff_member
from schema.text import check_text

ITEM_ID_TYPE = "PriceListItem"
ITEM_KIND = "price_list_item"  # (of the ids keys derive: `schema.money.common.keyed`)
VERSION_ATTEMPTS = 5
strawberry.enum(PriceItemKind, name="PriceItemKind")


@strawberry.type(description="One version of a price-list item.")
class PriceListItem:
    id: strawberry.ID = strawberry.field(description="Global id of this version; bills name it.")
    code: str = strawberry.field(description="The item; its versions share the code.")
    version: int = strawberry.field(description="1, 2, 3, ... for each change of the item.")
    kind: PriceItemKind = strawberry.field(description="What the item is.")
    name: str = strawberry.field(description="The item's name on a bill.")
    list_price: Money = strawberry.field(description="The list price.")
    special_price: Money | None = strawberry.field(description="The special price, if any.")
    consumable_cost: Money | None = strawberry.field(
        description="What a high-cost consumable costs the clinic (deducted before a split)."
    )
    minor_procedure: bool = strawberry.field(
        description="A special-price minor procedure (seed 003): sold below 80 % of list, it "
        "pays a referring partner 10 % of the price instead of half."
    )
    valid_from: date = strawberry.field(description="First day the version applies.")
    valid_to: date | None = strawberry.field(description="Last day it applies; null: open.")
    set_by: str = strawberry.field(description="Raw account id of the supervisor.")
    set_at: datetime = strawberry.field(description="When it was set, in UTC.")

    @strawberry.field(
        description="The supervisor who set it (`setBy`), with the name colleagues see; null if "
        "the account is gone."
    )
    async def set_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.set_by)

    @classmethod
    def from_row(cls, row: ItemRow, locale: str) -> PriceListItem:
        def money(minor: int | None) -> Money | None:
            return None if minor is None else Money.minor(minor, row.currency, locale)

        list_price = money(row.list_price_minor)
        assert list_price is not None
        return cls(
            id=strawberry.ID(encode_id(ITEM_ID_TYPE, row.id)),
            code=row.code,
            version=row.version,
            kind=PriceItemKind(row.kind),
            name=row.name,
            list_price=list_price,
            special_price=money(row.special_price_minor),
            consumable_cost=money(row.consumable_cost_minor),
            minor_procedure=row.minor_procedure,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            set_by=row.set_by,
            set_at=row.set_at,
        )


@strawberry.input(description="A new version of a price-list item (a new code: its first).")
class SetPriceListItemInput:
    code: str = strawberry.field(description="The item's code, e.g. 'HA-CHEEKS' (1-64 chars).")
    kind: PriceItemKind = strawberry.field(description="What the item is.")
    name: str = strawberry.field(description="The name on a bill (at most 200 characters).")
    list_price: MoneyInput = strawberry.field(description="In the clinic's currency.")
    special_price: MoneyInput | None = strawberry.field(
        default=None, description="A special price, at most the list price."
    )
    consumable_cost: MoneyInput | None = strawberry.field(
        default=None, description="For a high-cost consumable: what it costs the clinic."
    )
    minor_procedure: bool = strawberry.field(
        default=False,
        description="A special-price minor procedure (seed 003, partner split rule 9); "
        "kept with this version and copied to the bill lines made from it.",
    )
    valid_from: date = strawberry.field(description="First day the version applies.")
    valid_to: date | None = strawberry.field(default=None, description="Last day; null: open.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The version as set (or as the first attempt set it).")
class PriceListItemPayload:
    item: PriceListItem = strawberry.field(description="The new version.")


SetPriceListItemResult = Annotated[
    PriceListItemPayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("SetPriceListItemResult", description="Set, or why not."),
]


def _problems(input: SetPriceListItemInput, currency: str) -> tuple[list[FieldProblem], dict]:
    problems = check_text("code", input.code, required=True, limit=64)
    problems += check_text("name", input.name, required=True, limit=200)
    prices = {
        "list_price_minor": read_money("listPrice", input.list_price, problems, currency),
        "special_price_minor": read_money("specialPrice", input.special_price, problems, currency),
        "consumable_cost_minor": read_money(
            "consumableCost", input.consumable_cost, problems, currency
        ),
    }
    special, listed = prices["special_price_minor"], prices["list_price_minor"]
    if special is not None and listed is not None and special > listed:
        problems.append(
            FieldProblem("specialPrice.amount", "at most the list price", Code.OUT_OF_RANGE)
        )
    if input.valid_to is not None and input.valid_to < input.valid_from:
        problems.append(FieldProblem("validTo", "not before validFrom", Code.INCONSISTENT))
    minors = {k: (v.minor if isinstance(v, MoneyValue) else None) for k, v in prices.items()}
    return problems, minors


async def set_price_list_item(
    info: Info[Context, None], input: SetPriceListItemInput
) -> SetPriceListItemResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    settings = await billing_settings(claims.clinic_id)
    problems, minors = _problems(input, settings.currency)
    # A retry of a price that was set is answered with it, though the clinic bills in another
    # currency now.
    # (its answer lost or not: the version under the key's id was written)
    written = row_written(ITEM_KIND, ItemRow)
    refused = await idempotency.refusal_answer(
        info,
        claims.account_id,
        input,
        invalid(problems) if problems else None,
        went_through=written,
    )
    if refused is not None:
        return refused

    async def answer(row_id: str) -> PriceListItemPayload:
        row = await ItemRow.get(id=row_id)
        return PriceListItemPayload(item=PriceListItem.from_row(row, settings.locale))

    async def write(row_id: str) -> str | Conflict:
        for _ in range(VERSION_ATTEMPTS):
            if await ItemRow.exists(id=row_id):  # this request's unfinished first attempt
                return row_id
            latest = (
                await ItemRow.filter(clinic_id=claims.clinic_id, code=input.code)
                .order_by("-version")
                .first()
            )
            try:
                await ItemRow.create(
                    id=row_id,
                    clinic_id=claims.clinic_id,
                    code=input.code,
                    version=(latest.version if latest else 0) + 1,
                    kind=input.kind.value,
                    name=input.name,
                    minor_procedure=input.minor_procedure,
                    currency=settings.currency,
                    valid_from=input.valid_from,
                    valid_to=input.valid_to,
                    set_by=claims.account_id,
                    set_at=datetime.now(UTC),
                    **minors,
                )
                return row_id
            except IntegrityError:
                continue  # another supervisor took this version number: the next one
        return idempotency.conflict()

    return await keyed(info, claims.account_id, input, ITEM_KIND, answer, write)  # type: ignore[return-value]


async def price_list(
    info: Info[Context, None],
    on: Annotated[
        date | None,
        strawberry.argument(
            description="The day to price (default: today in the clinic's calendar)."
        ),
    ] = None,
    kind: Annotated[
        PriceItemKind | None, strawberry.argument(description="Only items of this kind.")
    ] = None,
) -> list[PriceListItem] | None:
    """Your clinic's price list on a day: for each code, the newest version valid that day, by
    code point, at most `billing_reads.MAX_ITEMS`."""
    claims = info.context.claims
    if claims is None:
        return []
    settings = await billing_settings(claims.clinic_id)
    day = on or await clinic_today(info, claims.clinic_id)
    rows = await items_in_force(claims.clinic_id, day, kind)
    return [PriceListItem.from_row(row, settings.locale) for row in rows]
