"""Reading the client file in batches: whatever number of clients a request reads, each part
costs one query, and the corrections and error marks of every entry read two more."""

from __future__ import annotations

from collections import defaultdict

from domain.store.client_file import ClientEntry, ClientEntryError


async def entries_of(keys: list[tuple[str, str]]) -> list[list[ClientEntry]]:
    """For each (client id, kind), its entries in the order written (time, then id)."""
    client_ids = {client_id for client_id, _ in keys}
    kinds = {kind for _, kind in keys}
    found: dict[tuple[str, str], list[ClientEntry]] = defaultdict(list)
    rows = await ClientEntry.filter(client_id__in=client_ids, kind__in=kinds).order_by(
        "recorded_at", "id"
    )
    for row in rows:
        found[(row.client_id, row.kind)].append(row)
    return [found.get(key, []) for key in keys]


async def later_rows_of(
    entry_ids: list[str],
) -> list[tuple[str | None, ClientEntryError | None]]:
    """For each entry id: the id of the entry that corrects it, and its error mark."""
    corrected: dict[str, str] = {}
    for amends_id, entry_id in await ClientEntry.filter(amends_id__in=entry_ids).values_list(
        "amends_id", "id"
    ):
        corrected[str(amends_id)] = str(entry_id)
    marks = {m.entry_id: m for m in await ClientEntryError.filter(entry_id__in=entry_ids)}
    return [(corrected.get(i), marks.get(i)) for i in entry_ids]
