"""A page of a client-file part read by itself (`part_pages`) is the slice of the whole part
it stands for, for several clients at once, entries written at one moment ordered by id."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.store.client_file import ClientEntry
from domain.store.client_file_reads import PageKey, PartPage, entries_of, part_pages
from tests.store.money_rows import client, clinic

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


KINDS = ("ALLERGY", "MEDICATION")


async def _client_with_entries(clinic_id: str, count: int) -> str:
    """`count` allergies and half as many medications, written in pairs at one moment."""
    client_id = await client(clinic_id, T0)
    for kind, entries in zip(KINDS, (count, count // 2), strict=True):
        for n in range(entries):
            await ClientEntry.create(
                id=str(uuid.uuid4()),
                clinic_id=clinic_id,
                client_id=client_id,
                kind=kind,
                body={"name": f"{kind} {n}"},
                author_id="nurse-1",
                author_role="NURSE",
                recorded_at=T0 + timedelta(minutes=n // 2),  # the id orders a pair
            )
    return client_id


def _expected(whole: list[ClientEntry], first: int, after: tuple[datetime, str] | None) -> PartPage:
    later = [e for e in whole if after is None or (e.recorded_at, e.id) > after]
    return PartPage(later[:first], len(later) > first, len(later) < len(whole))


async def test_pages_read_by_themselves_are_the_slices_of_the_whole_part() -> None:
    clinic_id = await clinic()
    clients = [await _client_with_entries(clinic_id, count) for count in (0, 1, 5, 9)]
    parts = [(c, kind) for c in clients for kind in KINDS]
    wholes = dict(zip(parts, await entries_of(parts), strict=True))
    keys: list[PageKey] = []
    for (client_id, kind), whole in wholes.items():
        keys.append((client_id, kind, 2, None))
        keys.append((client_id, kind, 20, None))
        for entry in whole:  # every cursor the part's pages can give
            keys.append((client_id, kind, 3, (entry.recorded_at, entry.id)))
    # Read all at once, as a list of clients with both parts asks them
    pages = await part_pages(keys)
    expected = {key: _expected(wholes[(key[0], key[1])], key[2], key[3]) for key in keys}
    for key, page in zip(keys, pages, strict=True):
        want = expected[key]
        assert [e.id for e in page.entries] == [e.id for e in want.entries], key
        assert (page.has_next, page.has_previous) == (want.has_next, want.has_previous), key
        assert all(e.body == w.body for e, w in zip(page.entries, want.entries, strict=True))
