"""Writing the client file: every write creates a row, none changes one.

Ids come from the request's idempotency key, so two attempts of one request converge on one
row: the second one's insert fails on the id and it reads the first one's row instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.client_file.export import MAX_ENTRIES
from domain.client_file.kinds import EntryKind
from domain.store.bounded_append import AlongWith, append_within, bring_about
from domain.store.client_file import ClientEntry, ClientEntryError, ClientIdentityAmendment
from domain.store.client_lock import UNDER_CLIENT_LOCK, hold_file_for, hold_file_of_entry
from domain.store.models import Client


class Refused(Enum):
    """Why a write to the file was not made, as found under the lock it is made under (the
    client's row, or a ward record's journey's: `client_lock`)."""

    CORRECTED = "corrected"  # another entry corrects the one named
    MARKED = "marked"  # the entry named is marked entered in error
    # Her file holds `MAX_ENTRIES` entries besides the ward's records, as many as her own copy
    # carries (`client_file.export`): one more and her copy would be refused whole. Only a new
    # entry of the parts that are not what the contraindication check reads (`BOUNDED_KINDS`).
    FULL = "full"


# The parts a full file takes no new entry of. An allergy, a medication or a pregnancy
# statement, and any correction, is always taken: the check before a treatment must learn of
# it, though her copy of a file past the bound is then refused.
BOUNDED_KINDS = frozenset(
    kind.value
    for kind in EntryKind
    if not kind.post_op
    and kind not in (EntryKind.ALLERGY, EntryKind.MEDICATION, EntryKind.PREGNANCY_STATUS)
)


async def write_entry(
    entry_id: str,
    *,
    clinic_id: str,
    client_id: str,
    kind: str,
    body: dict[str, Any],
    author: tuple[str, str],
    amends_id: str | None = None,
    reason: str | None = None,
    along_with: AlongWith | None = None,
) -> ClientEntry | Refused:
    """The entry with this id (a retry's finds its first attempt's), or why it was not written.
    Written under her row's lock, or a ward's record under its journey's (`client_lock`), where
    what could refuse it is read again: a correction and a mark of one entry at once both
    passed their checks, and both were written. `along_with`, given the new entry, writes what
    it brings about in its transaction (a ward record's correction: the tasks it settles and
    gives back), so a fault between the two leaves neither."""
    author_id, author_role = author
    try:
        async with in_transaction():
            locked = await hold_file_for(client_id, kind, body)
            refused = await _refusal(entry_id, client_id, kind, amends_id) if locked else None
            if refused is not None:
                return refused
            entry = await ClientEntry.create(
                id=entry_id,
                clinic_id=clinic_id,
                client_id=client_id,
                kind=kind,
                body=body,
                author_id=author_id,
                author_role=author_role,
                recorded_at=datetime.now(UTC),
                amends_id=amends_id,
                reason=reason,
            )
            await bring_about(along_with, entry)
            return entry
    except IntegrityError:
        return await ClientEntry.get_or_none(id=entry_id) or Refused.CORRECTED


async def _refusal(
    entry_id: str, client_id: str, kind: str, amends_id: str | None
) -> Refused | None:
    if await ClientEntry.exists(id=entry_id):
        return None  # a retry finds its first attempt's row on the id (the insert fails)
    if amends_id is not None and await ClientEntryError.exists(entry_id=amends_id):
        return Refused.MARKED
    if amends_id is not None or kind not in BOUNDED_KINDS:
        return None
    counted = ClientEntry.filter(client_id=client_id, kind__in=UNDER_CLIENT_LOCK)
    return Refused.FULL if await counted.count() >= MAX_ENTRIES else None


async def _corrected_unmarked(entry_id: str, mark_id: str) -> bool:
    """Whether the entry was corrected, unless this mark was written (a retry finds it)."""
    if await ClientEntryError.exists(id=mark_id):
        return False
    return await ClientEntry.exists(amends_id=entry_id)


async def correction_of(entry_id: str) -> ClientEntry | None:
    return await ClientEntry.get_or_none(amends_id=entry_id)


async def mark_in_error(
    mark_id: str,
    entry_id: str,
    *,
    reason: str,
    author: tuple[str, str],
    along_with: AlongWith | None = None,
) -> ClientEntryError | Refused:
    """The mark with this id, or why it was not written: the entry carries another mark
    already, or (read again under her row's lock, or a ward record's journey's: `client_lock`)
    a correction. `along_with`, given the new mark, writes what it brings about
    in its transaction (never for a retry that finds the mark written)."""
    author_id, author_role = author
    try:
        async with in_transaction():
            locked = await hold_file_of_entry(entry_id)
            if locked and await _corrected_unmarked(entry_id, mark_id):
                return Refused.CORRECTED
            mark = await ClientEntryError.create(
                id=mark_id,
                entry_id=entry_id,
                reason=reason,
                author_id=author_id,
                author_role=author_role,
                marked_at=datetime.now(UTC),
            )
            await bring_about(along_with, mark)
            return mark
    except IntegrityError:
        return await ClientEntryError.get_or_none(id=mark_id) or Refused.MARKED


async def amend_identity(
    amendment_id: str,
    client_id: str,
    changed: dict[str, str | None],
    *,
    reason: str,
    author: tuple[str, str],
    bound: int,
    along_with: AlongWith | None = None,
) -> ClientIdentityAmendment | None:
    """The amendment with this id (a retry's finds its first attempt's); None when the
    client's identity already holds `bound` amendments. `changed`: the fields corrected
    (`full_name`, `phone`, `email`); the others are taken from the page as it stands under the
    client's lock, so two corrections of different fields at once both stand (each made from
    the page as read before the other was written, the later undid the earlier).
    `along_with`, given the new amendment, writes what it brings about in its transaction."""
    author_id, author_role = author

    async def page(connection: BaseDBAsyncClient) -> dict[str, Any]:
        latest = (
            await ClientIdentityAmendment.filter(client_id=client_id)
            .order_by("-amended_at", "-id")
            .using_db(connection)
            .first()
        )
        source = latest or await Client.filter(id=client_id).using_db(connection).get()
        # Later than the page it follows, whatever this replica's clock says: the latest is
        # found by this time.
        at = datetime.now(UTC)
        if latest is not None and at <= latest.amended_at:
            at = latest.amended_at + timedelta(microseconds=1)
        return {
            "client_id": client_id,
            "full_name": source.full_name,
            "phone": source.phone,
            "email": source.email,
            **changed,
            "reason": reason,
            "author_id": author_id,
            "author_role": author_role,
            "amended_at": at,
        }

    return await append_within(
        ClientIdentityAmendment,
        amendment_id,
        page,
        owner=(Client, client_id),
        counted={"client_id": client_id},
        bound=bound,
        along_with=along_with,
    )
