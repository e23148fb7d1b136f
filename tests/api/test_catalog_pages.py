"""`catalog` is paged by the database: a page reads the version-1 rows it lists (and one more,
and one before its cursor), then the newest versions of its own items. Every version of every
item was read, sorted by (first published, id) and paged in Python. Pages, order and cursors
are what they were, so a cursor handed out before still reads on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.roles import Role
from domain.store.catalog import CatalogItemVersion
from schema.ids import encode_cursor, encode_id
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.rows_read import count_reads

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
START = datetime(2026, 3, 1, 9, tzinfo=UTC)
# Ids a locale's collation orders otherwise (case and punctuation weigh less there).
STEMS = ["Filler", "filler", "filler-b", "filler_a", "Éclat", "eclat", "美"]
PAGE = """
query Catalog($first: Int!, $after: String) {
  catalog(first: $first, after: $after) {
    ... on CatalogItemConnection {
      edges { cursor node { id version name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


def _version(clinic_id: str, item_id: str, version: int, at: datetime) -> CatalogItemVersion:
    return CatalogItemVersion(
        id=f"{clinic_id}-{item_id}-v{version}",
        clinic_id=clinic_id,
        item_id=item_id,
        version=version,
        name=f"{item_id} {version}",
        kind="PRODUCT",
        ingredients=[],
        allergens=[],
        interacting_medications=[],
        excluded_states=[],
        minimum_age=None,
        published_by="supervisor",
        published_at=at,
    )


async def _catalogue(clinic_id: str, items: int) -> None:
    """`items` items, three at each moment (microseconds apart in some, whole seconds in
    others), one item in four in three versions, a later version published before another
    item's first."""
    rows = []
    for n in range(items):
        item_id = f"{STEMS[n % len(STEMS)]}-{n % 5}-{n}"
        first = START + timedelta(seconds=n // 3, microseconds=(n // 3) % 2)
        rows.append(_version(clinic_id, item_id, 1, first))
        if n % 4 == 0:
            rows += [_version(clinic_id, item_id, v, first + timedelta(minutes=v)) for v in (2, 3)]
    await CatalogItemVersion.bulk_create(rows, batch_size=500)


async def _as_it_was_paged(clinic_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The catalogue as the Python paging put it: (cursor, item) in (first published, id)
    order, from every version of every item."""
    return [(cursor, node) for _key, cursor, node in await _keyed(clinic_id)]


async def _keyed(clinic_id: str) -> list[tuple[tuple[datetime, str], str, dict[str, Any]]]:
    rows = await CatalogItemVersion.filter(clinic_id=clinic_id).order_by("item_id", "version")
    latest = {row.item_id: row for row in rows}
    added = {row.item_id: row.published_at for row in rows if row.version == 1}
    return [
        (
            (at, item_id),
            encode_cursor(at, item_id),
            {
                "id": encode_id("CatalogItem", item_id),
                "version": latest[item_id].version,
                "name": latest[item_id].name,
            },
        )
        for at, item_id in sorted((added[item_id], item_id) for item_id in latest)
    ]


async def _page(clinic: JourneyDriver, first: int, after: str | None) -> dict[str, Any]:
    data = await clinic.api.run(PAGE, clinic.token(Role.NURSE), first=first, after=after)
    result: dict[str, Any] = data["catalog"]
    return result


async def test_pages_read_what_they_list_in_the_order_and_cursors_as_before(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a catalogue of 40 items, some in several versions, several first published at once
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    await _catalogue(clinic_id, 40)
    expected = await _as_it_was_paged(clinic_id)
    # When it is read 6 items a page, each page after the last one's cursor
    pages, after = [], None
    while True:
        page = await _page(clinic, 6, after)
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # Then the items, their versions, order and cursors are those the Python paging gave
    read = [(edge["cursor"], edge["node"]) for page in pages for edge in page["edges"]]
    assert read == expected
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False] + [True] * 6
    assert pages[-1]["pageInfo"]["endCursor"] == expected[-1][0]
    # And a cursor handed out before, or made of a moment and id no item has, reads on
    (at_sixth, _), item = expected[5], expected[6][1]
    assert (await _page(clinic, 1, at_sixth))["edges"][0]["node"] == item
    between = encode_cursor(START + timedelta(seconds=100), "0")
    assert (await _page(clinic, 100, between))["edges"] == []
    made = encode_cursor(START.replace(tzinfo=None), "filler")  # no zone: read as UTC
    listed = [edge["node"] for edge in (await _page(clinic, 100, made))["edges"]]
    later = [node for key, _c, node in await _keyed(clinic_id) if key > (START, "filler")]
    assert listed == later and 0 < len(later) < len(expected)


async def test_a_page_reads_no_more_versions_than_it_lists(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a catalogue of 400 items, 100 of them in three versions
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    await _catalogue(clinic_id, 400)
    expected = await _as_it_was_paged(clinic_id)
    reads = count_reads(monkeypatch, "catalog_item_version")
    # When a page of 10 is read in the middle of it
    page = await _page(clinic, 10, expected[199][0])
    # Then it lists the ten items after the cursor, reading one more key, one before the
    # cursor, and the ten items' newest versions
    assert [edge["node"] for edge in page["edges"]] == [node for _c, node in expected[200:210]]
    assert reads.rows <= (10 + 1) + 1 + 10, reads.rows
