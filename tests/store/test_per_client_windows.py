"""A window of each client's rows (`windows_of`) is the slice of that client's whole list it
stands for, for several clients in one query, per partition too, oldest or newest first; and a
page after a row (`rows_after`) is what follows that row, rows of one moment ordered by id."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.store.per_client import Window, rows_after, windows_of
from domain.store.photos import LATEST_OF_EACH_PURPOSE, PhotoConsentChange
from tests.store.money_rows import client, clinic

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PURPOSES = ("TEACHING", "MARKETING")


async def _client_with_changes(clinic_id: str, count: int) -> tuple[str, list[PhotoConsentChange]]:
    """`count` changes alternating between two purposes, written in pairs at one moment, and
    the whole list in its order (time, then id)."""
    client_id = await client(clinic_id, T0)
    for n in range(count):
        await PhotoConsentChange.create(
            id=str(uuid.uuid4()),
            clinic_id=clinic_id,
            client_id=client_id,
            purpose=PURPOSES[n % 2],
            given=n % 3 != 0,
            recorded_by="desk-1",
            recorded_by_role="FRONT_DESK",
            recorded_at=T0 + timedelta(minutes=n // 2),  # the id orders a pair
        )
    rows = await PhotoConsentChange.filter(client_id=client_id)
    return client_id, sorted(rows, key=lambda r: (r.recorded_at, r.id))


def _ids(rows: list[tuple[int, PhotoConsentChange]]) -> list[tuple[int, str]]:
    return [(position, row.id) for position, row in rows]


async def test_each_clients_window_is_the_slice_of_its_whole_list() -> None:
    clinic_id = await clinic()
    clients = [await _client_with_changes(clinic_id, count) for count in (0, 1, 7, 12)]
    windows = [Window(0, 5), Window(3, 4), Window(10, 5), Window(0, 2, newest_first=True)]
    keys = [(client_id, window) for client_id, _ in clients for window in windows]
    found = await windows_of(PhotoConsentChange, "recorded_at", keys)
    for ((_client_id, whole), window), rows in zip(
        ((c, w) for c in clients for w in windows), found, strict=True
    ):
        ordered = list(reversed(whole)) if window.newest_first else whole
        numbered = list(enumerate(ordered, start=1))[window.skip : window.skip + window.take]
        assert _ids(rows) == [(n, row.id) for n, row in numbered]


async def test_the_latest_of_each_purpose_is_each_purposes_last_change() -> None:
    clinic_id = await clinic()
    client_id, whole = await _client_with_changes(clinic_id, 9)
    (latest,) = await windows_of(
        PhotoConsentChange, "recorded_at", [(client_id, LATEST_OF_EACH_PURPOSE)]
    )
    last_of = {row.purpose: row.id for row in whole}  # the later overwrite the earlier
    assert sorted(row.id for _position, row in latest) == sorted(last_of.values())


async def test_a_page_after_a_row_is_what_follows_it() -> None:
    clinic_id = await clinic()
    client_id, whole = await _client_with_changes(clinic_id, 7)
    await _client_with_changes(clinic_id, 4)  # another client's rows stay out
    for index, last in enumerate(whole):
        page = await rows_after(PhotoConsentChange, "recorded_at", client_id, last, 3)
        assert [row.id for row in page] == [row.id for row in whole[index + 1 : index + 4]]
