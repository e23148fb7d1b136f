"""The catalogue as the SPA sees it: items as they stand now, with their version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.relay import PageInfo
from strawberry.types import Info

from domain.catalog import items
from domain.client_file import contraindications as rule
from domain.client_file.contraindications import STOPPED_MEDICATION_COUNTS_DAYS
from domain.errors import ErrorCode
from domain.store.catalog import CatalogItemVersion as VersionRow
from schema.clients.file_enums import _described
from schema.errors import UserError
from schema.ids import encode_id
from schema.staff.types import StaffMember, staff_member

ITEM_ID_TYPE = "CatalogItem"

ItemKind = _described(
    items.ItemKind,
    "Whether a catalogue item is a product (a filler, a toxin) or a procedure.",
    {"PRODUCT": "A product given or applied.", "PROCEDURE": "A procedure performed."},
)
ExcludedState = _described(
    items.ExcludedState,
    "A state of the client that rules a catalogue item out.",
    {
        "PREGNANCY": "Not during pregnancy.",
        "LACTATION": "Not while breastfeeding.",
    },
)
ContraindicationCode = _described(
    rule.ContraindicationCode,
    "Why the client's record rules out an item of the plan.",
    {
        "PREGNANCY": "The latest statement says pregnant; the item excludes pregnancy.",
        "LACTATION": "The latest statement says lactating; the item excludes lactation.",
        "ALLERGY": "A recorded allergy to something the item contains or lists as an allergen.",
        "MEDICATION": "The client takes a medication the item lists as interacting, or stopped "
        f"it within the last {STOPPED_MEDICATION_COUNTS_DAYS} days (the detail names the day).",
        "AGE": "The client is younger than the item's minimum age.",
    },
)


@strawberry.type(description="A product or procedure of your clinic, as its latest version says.")
class CatalogItem:
    id: strawberry.ID = strawberry.field(
        description="The item's id, the same across versions: plans name items by it."
    )
    version: int = strawberry.field(description="The latest version's number, from 1.")
    name: str = strawberry.field(description="The item's name.")
    kind: items.ItemKind = strawberry.field(description="Product or procedure.")
    ingredients: list[str] = strawberry.field(description="What the item contains.")
    allergens: list[str] = strawberry.field(
        description="Allergies that rule the item out besides its ingredients."
    )
    interacting_medications: list[str] = strawberry.field(
        description="Medications that rule the item out."
    )
    excluded_states: list[items.ExcludedState] = strawberry.field(
        description="States that rule the item out."
    )
    minimum_age: int | None = strawberry.field(
        description="The youngest age, in years, the item may be given at; null: no minimum."
    )
    published_by: str = strawberry.field(description="Raw account id of who set this version.")
    published_at: datetime = strawberry.field(description="When this version was set, in UTC.")

    @strawberry.field(
        description="Who set this version (`publishedBy`), with the name colleagues see; null if "
        "the account is gone."
    )
    # Info[Any, ...]: this module is imported on the way to `schema.context` (its loaders read
    # catalogue items), so the context's class cannot be named here.
    async def published_by_staff(self, info: Info[Any, None]) -> StaffMember | None:
        return await staff_member(info, self.published_by)

    @classmethod
    def from_row(cls, row: VersionRow) -> CatalogItem:
        return cls(
            id=strawberry.ID(encode_id(ITEM_ID_TYPE, row.item_id)),
            version=row.version,
            name=row.name,
            kind=items.ItemKind(row.kind),
            ingredients=list(row.ingredients),
            allergens=list(row.allergens),
            interacting_medications=list(row.interacting_medications),
            excluded_states=[items.ExcludedState(s) for s in row.excluded_states],
            minimum_age=row.minimum_age,
            published_by=row.published_by,
            published_at=row.published_at,
        )


@strawberry.type(description="One item of the catalogue and its place in the list.")
class CatalogItemEdge:
    cursor: str = strawberry.field(description="Pass as `after` for the items after this one.")
    node: CatalogItem = strawberry.field(description="The item.")


@strawberry.type(description="The catalogue's items in the order they were first added.")
class CatalogItemConnection:
    edges: list[CatalogItemEdge] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and from where.")


@strawberry.type(description="One reason the client's record rules out an item of the plan.")
class Contraindication:
    code: rule.ContraindicationCode = strawberry.field(description="What kind of reason.")
    key: str = strawberry.field(
        description="Names this very reason: pass it to `overrideContraindication`."
    )
    item_id: strawberry.ID = strawberry.field(description="The catalogue item it rules out.")
    item_name: str = strawberry.field(description="The item's name.")
    detail: str = strawberry.field(description="What in the record rules it out, in words.")

    @classmethod
    def from_domain(cls, reason: Any) -> Contraindication:
        return cls(
            code=reason.code,
            key=reason.key,
            item_id=strawberry.ID(encode_id(ITEM_ID_TYPE, reason.item_id)),
            item_name=reason.item_name,
            detail=reason.detail,
        )


@strawberry.type(
    description="The client's record rules out something in the final plan: treatment does not "
    "start. Each reason names its code, the item and what rules it out; the journey's expert may "
    "override reasons one at a time (`overrideContraindication`), then start again."
)
class ContraindicationFound(UserError):
    reasons: list[Contraindication] = strawberry.field(
        description="Every reason no override has set aside, item by item in plan order."
    )

    @classmethod
    def from_domain(cls, reasons: list[Any]) -> ContraindicationFound:
        codes = ", ".join(f"{r.code.value} ({r.item_name})" for r in reasons)
        return cls(
            code=ErrorCode.CONTRAINDICATION_FOUND,
            message=f"contraindicated: {codes}",
            reasons=[Contraindication.from_domain(r) for r in reasons],
        )
