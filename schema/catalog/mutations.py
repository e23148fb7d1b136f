"""Setting a catalogue item (supervisors): each call adds the item's next version.

Like consent templates, two supervisors changing one item at once race for the same version
number: the database's uniqueness decides and the loser takes the next number. The row's id
comes from the request's idempotency key, so a retried request converges on its own row.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.catalog import items
from domain.catalog.items import CatalogItemSpec, check_item, cleaned
from domain.errors import FieldProblem
from domain.store import records
from domain.store.catalog import CatalogItemVersion as VersionRow
from schema import idempotency
from schema.catalog.types import ITEM_ID_TYPE, CatalogItem
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    not_authorized,
    not_found,
)
from schema.ids import decode_id

ATTEMPTS = 5


@strawberry.input(description="A catalogue item as it should stand from now on.")
class SetCatalogItemInput:
    item_id: strawberry.ID | None = strawberry.field(
        default=None, description="The item to change; null adds a new item."
    )
    name: str = strawberry.field(description="The item's name, up to 200 characters.")
    kind: items.ItemKind = strawberry.field(description="Product or procedure.")
    ingredients: list[str] = strawberry.field(
        default_factory=list, description="What the item contains (up to 50 names)."
    )
    allergens: list[str] = strawberry.field(
        default_factory=list,
        description="Allergies that rule it out besides its ingredients (up to 50 names).",
    )
    interacting_medications: list[str] = strawberry.field(
        default_factory=list, description="Medications that rule it out (up to 50 names)."
    )
    excluded_states: list[items.ExcludedState] = strawberry.field(
        default_factory=list, description="States that rule it out."
    )
    minimum_age: int | None = strawberry.field(
        default=None, description="The youngest age in years, 0 to 120; null: no minimum."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The item as this version left it.")
class CatalogItemPayload:
    item: CatalogItem = strawberry.field(description="The item, at its new version.")


SetCatalogItemResult = Annotated[
    CatalogItemPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("SetCatalogItemResult", description="The new version, or why not."),
]


def _spec(input: SetCatalogItemInput, item_id: str) -> CatalogItemSpec:
    return CatalogItemSpec(
        item_id=item_id,
        name=input.name,
        kind=input.kind,
        ingredients=tuple(input.ingredients),
        allergens=tuple(input.allergens),
        interacting_medications=tuple(input.interacting_medications),
        excluded_states=frozenset(input.excluded_states),
        minimum_age=input.minimum_age,
    )


async def set_catalog_item(
    info: Info[Context, None], input: SetCatalogItemInput
) -> SetCatalogItemResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems: list[FieldProblem] = []
    item_id = None
    if input.item_id is not None:
        item_id = decode_id(input.item_id, ITEM_ID_TYPE) or ""
        if not await VersionRow.exists(clinic_id=claims.clinic_id, item_id=item_id):
            return await idempotency.refusal_or_conflict(
                info, claims.account_id, input, not_found("catalog item")
            )
    spec = _spec(input, item_id or "")  # a new item is named once its key is claimed
    problems += check_item(spec)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid([*problems, *([bad_key] if bad_key else [])])
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        return CatalogItemPayload(item=CatalogItem.from_row(await VersionRow.get(id=first)))
    if item_id is None:
        # A new item's id comes from the key's claim too: every attempt names one item.
        new_item = idempotency.derived_id(ledger, "catalog_item_id") or str(uuid.uuid4())
        spec = replace(spec, item_id=new_item)
    row_id = idempotency.derived_id(ledger, "catalog_item") or str(uuid.uuid4())
    row = await VersionRow.get_or_none(id=row_id)  # an unfinished first attempt's version
    for _ in range(ATTEMPTS):
        if row is not None:
            break
        row = await _next_version(row_id, claims.clinic_id, claims.account_id, spec, spec.item_id)
    if row is None:
        return idempotency.conflict()
    await idempotency.settle(claims.account_id, input, row.id)
    return CatalogItemPayload(item=CatalogItem.from_row(row))


async def _next_version(
    row_id: str, clinic_id: str, account_id: str, spec: CatalogItemSpec, item_id: str
) -> VersionRow | None:
    latest = (
        await VersionRow.filter(clinic_id=clinic_id, item_id=item_id).order_by("-version").first()
    )
    try:
        return await VersionRow.create(
            id=row_id,
            clinic_id=clinic_id,
            item_id=item_id,
            version=(latest.version if latest else 0) + 1,
            name=" ".join(spec.name.split()),
            kind=spec.kind.value,
            ingredients=cleaned(spec.ingredients),
            allergens=cleaned(spec.allergens),
            interacting_medications=cleaned(spec.interacting_medications),
            excluded_states=sorted(state.value for state in spec.excluded_states),
            minimum_age=spec.minimum_age,
            published_by=account_id,
            published_at=datetime.now(UTC),
        )
    except IntegrityError:
        # Another change took this number (try the next), or this request's retry wrote it.
        return await VersionRow.get_or_none(id=row_id)
