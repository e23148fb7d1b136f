"""The clinic's catalogue of products and procedures: every change is a new version row.

An item keeps its id across versions; the latest version is the item as it stands, and the
contraindication check always reads that one (what was learned about a product since the plan
was made counts). The database refuses UPDATE and DELETE (migration 0016).
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.catalog.items import CatalogItemSpec, ExcludedState, ItemKind
from domain.store.models import AppendOnlyModel


class CatalogItemVersion(AppendOnlyModel):
    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    item_id = fields.CharField(max_length=64)
    version = fields.IntField()
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=16)
    ingredients: Any = fields.JSONField()
    allergens: Any = fields.JSONField()
    interacting_medications: Any = fields.JSONField()
    excluded_states: Any = fields.JSONField()
    minimum_age = fields.IntField(null=True)
    published_by = fields.CharField(max_length=64)
    published_at = fields.DatetimeField()

    class Meta:
        table = "catalog_item_version"
        unique_together = (("clinic_id", "item_id", "version"),)

    def spec(self) -> CatalogItemSpec:
        return CatalogItemSpec(
            item_id=self.item_id,
            name=self.name,
            kind=ItemKind(self.kind),
            ingredients=tuple(self.ingredients),
            allergens=tuple(self.allergens),
            interacting_medications=tuple(self.interacting_medications),
            excluded_states=frozenset(ExcludedState(s) for s in self.excluded_states),
            minimum_age=self.minimum_age,
        )


async def latest_versions(clinic_id: str, item_ids: list[str] | None = None) -> dict[str, Any]:
    """The newest version of each item of the clinic (of the given items only, if given)."""
    query = CatalogItemVersion.filter(clinic_id=clinic_id)
    if item_ids is not None:
        query = query.filter(item_id__in=item_ids)
    latest: dict[str, CatalogItemVersion] = {}
    for row in await query.order_by("item_id", "version"):
        latest[row.item_id] = row
    return latest


async def first_published(clinic_id: str, item_ids: list[str]) -> dict[str, Any]:
    """When each item first appeared: the catalogue lists items in that order."""
    rows = await CatalogItemVersion.filter(
        clinic_id=clinic_id, item_id__in=item_ids, version=1
    ).values_list("item_id", "published_at")
    return dict(rows)
