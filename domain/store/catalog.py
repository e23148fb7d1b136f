"""The clinic's catalogue of products and procedures: every change is a new version row.

An item keeps its id across versions; the latest version is the item as it stands, and the
contraindication check always reads that one (what was learned about a product since the plan
was made counts). The database refuses UPDATE and DELETE (migration 0016).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise import fields

from domain.catalog.items import CatalogItemSpec, ExcludedState, ItemKind
from domain.store.models import AppendOnlyModel
from domain.store.sql import as_models, columns_of, db_values, is_postgres, marks
from domain.store.version_lists import key_order


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


def _newest_sql(postgres: bool, items: int) -> str:
    places = iter(marks(postgres, 1 + items))
    names = ", ".join(f'v."{c}"' for c in columns_of(CatalogItemVersion))
    clinic = next(places)
    listed = ", ".join(next(places) for _ in range(items))
    return (
        f"SELECT {names} FROM catalog_item_version AS v WHERE v.clinic_id = {clinic}"
        f" AND v.item_id IN ({listed}) AND NOT EXISTS (SELECT 1 FROM catalog_item_version AS"
        " newer WHERE newer.clinic_id = v.clinic_id AND newer.item_id = v.item_id"
        " AND newer.version > v.version)"
    )


async def latest_versions(clinic_id: str, item_ids: list[str]) -> dict[str, Any]:
    """The newest version of each of the given items of the clinic, picked by the database:
    one row an item is read, however many versions came before."""
    wanted = list(dict.fromkeys(item_ids))
    if not wanted:
        return {}
    db = CatalogItemVersion._meta.db
    sql = _newest_sql(is_postgres(db), len(wanted))
    rows = as_models(CatalogItemVersion, await db.execute_query_dict(sql, [clinic_id, *wanted]))
    return {row.item_id: row for row in rows}


# Where an item stands in the catalogue: when its first version was published, then its id.
CatalogKey = tuple[datetime, str]


def _keys_sql(postgres: bool, keyed: bool, before: bool) -> str:
    """The version-1 rows of a clinic, by `CatalogKey` (ids compared by code point, as Python
    compares them); `keyed`: those after a key, or up to it (`before`)."""
    places = iter(marks(postgres, 5))
    item = key_order(postgres, "v.item_id")
    sql = (
        "SELECT v.item_id, v.published_at FROM catalog_item_version AS v"
        f" WHERE v.clinic_id = {next(places)} AND v.version = 1"
    )
    if keyed:
        time, same, then = ("<", "=", "<=") if before else (">", "=", ">")
        sql += (
            f" AND (v.published_at {time} {next(places)} OR (v.published_at {same}"
            f" {next(places)} AND {item} {then} {next(places)}))"
        )
    return f"{sql} ORDER BY v.published_at, {item} LIMIT {next(places)}"


async def _keys(clinic_id: str, key: CatalogKey | None, limit: int, before: bool) -> list[Any]:
    db = CatalogItemVersion._meta.db
    values: list[Any] = [clinic_id]
    if key is not None:
        (at,) = db_values(CatalogItemVersion, {"published_at": key[0]}, ["published_at"])
        values += [at, at, key[1]]
    sql = _keys_sql(is_postgres(db), key is not None, before)
    rows = await db.execute_query_dict(sql, [*values, limit])
    return as_models(CatalogItemVersion, rows)


async def catalog_keys(
    clinic_id: str, first: int, after: CatalogKey | None
) -> tuple[list[CatalogKey], bool]:
    """The keys of the clinic's items that follow `after` (all, from the first, if None), in
    catalogue order, at most `first`; and whether any item comes at or before `after`. The
    database orders and cuts them on the items' version-1 rows: `first` rows are read and one
    more before the cursor, however many items and versions the catalogue holds."""
    rows = await _keys(clinic_id, after, first, before=False)
    preceding = after is not None and bool(await _keys(clinic_id, after, 1, before=True))
    return [(row.published_at, row.item_id) for row in rows], preceding
