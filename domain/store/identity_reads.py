"""The identity page as it stands: the latest amendment of each client, in one query."""

from __future__ import annotations

from domain.store.client_file import ClientIdentityAmendment


async def latest_identity_amendments(client_ids: list[str]) -> list[ClientIdentityAmendment | None]:
    """For each client id, its latest identity amendment, or None (as registered)."""
    latest: dict[str, ClientIdentityAmendment] = {}
    rows = await ClientIdentityAmendment.filter(client_id__in=client_ids).order_by(
        "amended_at", "id"
    )
    for row in rows:
        latest[row.client_id] = row
    return [latest.get(client_id) for client_id in client_ids]
