"""DataLoaders for the lists every client has: a page of clients asking each one's consents,
identity versions, photo consents or complaints costs one query per page shape, not one per
client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from strawberry.dataloader import DataLoader

from domain.store.client_file import ClientIdentityAmendment
from domain.store.complaints import Complaint, ComplaintEntry, entries_of
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


async def _complaint_entries(complaint_ids: list[str]) -> list[list[ComplaintEntry]]:
    found = await entries_of(list(dict.fromkeys(complaint_ids)))
    return [found[complaint_id] for complaint_id in complaint_ids]


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
    complaints: DataLoader[WindowKey, list[tuple[int, Complaint]]] = field(
        default_factory=lambda: _windows(Complaint, "recorded_at")
    )
    # Each complaint's answers and resolution, oldest first, by its id.
    complaint_entries: DataLoader[str, list[ComplaintEntry]] = field(
        default_factory=lambda: DataLoader(_complaint_entries)
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
            self.complaints,
            self.complaint_entries,
        ):
            loader.clear_all()
