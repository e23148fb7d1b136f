"""DataLoaders for the lists every client has: a page of clients asking each one's consents,
identity versions or photo consents costs one query per page shape, not one per client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from strawberry.dataloader import DataLoader

from domain.store.client_file import ClientIdentityAmendment
from domain.store.consents import ConsentSignature, ConsentWithdrawal
from domain.store.per_client import Window, windows_of
from domain.store.photos import PhotoConsentChange, latest_changes

# (client id, which of its rows), and the rows with their place in the client's order.
WindowKey = tuple[str, Window]


def _windows(model: type, time_column: str) -> DataLoader:
    return DataLoader(partial(windows_of, model, time_column))


async def _withdrawn_at(signature_ids: list[str]) -> list[datetime | None]:
    rows = await ConsentWithdrawal.filter(signature_id__in=signature_ids)
    found = {row.signature_id: row.withdrawn_at for row in rows}
    return [found.get(signature_id) for signature_id in signature_ids]


@dataclass
class ClientLists:
    consents: DataLoader[WindowKey, list[tuple[int, ConsentSignature]]] = field(
        default_factory=lambda: _windows(ConsentSignature, "signed_at")
    )
    # When a signature was withdrawn, by its id; None: in force.
    withdrawals: DataLoader[str, datetime | None] = field(
        default_factory=lambda: DataLoader(_withdrawn_at)
    )
    identity_amendments: DataLoader[WindowKey, list[tuple[int, ClientIdentityAmendment]]] = field(
        default_factory=lambda: _windows(ClientIdentityAmendment, "amended_at")
    )
    photo_consent_changes: DataLoader[WindowKey, list[tuple[int, PhotoConsentChange]]] = field(
        default_factory=lambda: _windows(PhotoConsentChange, "recorded_at")
    )
    # Each purpose's latest change, by client: what the client consents to now.
    photo_consents_now: DataLoader[str, list[PhotoConsentChange]] = field(
        default_factory=lambda: DataLoader(latest_changes)
    )

    def forget(self) -> None:
        """After a write to a client's data (`note_write`): the next read of any of these lists
        goes to the database."""
        for loader in (
            self.consents,
            self.withdrawals,
            self.identity_amendments,
            self.photo_consent_changes,
            self.photo_consents_now,
        ):
            loader.clear_all()
