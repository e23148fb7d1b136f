"""Desk notes: what staff write for a desk change, kept in the database, never in Temporal.

The API writes the note before it asks the desk, and the desk's command carries the note's id
(the journey's draft records work the same way). The note's id comes from the desk update's id,
so a retried request finds the note its first attempt wrote. Notes are never deleted (the
database refuses it): one of a change the desk refused is named by no log entry, so no read
shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from domain.store.triage_models import DeskNote

# Note ids derived from desk update ids live in a UUID namespace of their own.
_NOTE_IDS = uuid.UUID("0c7d2a55-1f9e-4b8e-a3d4-5e6f7a8b9c0d")


def note_id_for(update_id: str) -> str:
    return str(uuid.uuid5(_NOTE_IDS, update_id))


async def draft_note(
    update_id: str,
    *,
    clinic_id: str,
    author_id: str,
    operation: str,
    text: str,
    policy_name: str | None = None,
) -> str:
    note, _ = await DeskNote.get_or_create(
        id=note_id_for(update_id),
        defaults={
            "clinic_id": clinic_id,
            "author_id": author_id,
            "operation": operation,
            "text": text,
            "policy_name": policy_name,
        },
    )
    return str(note.id)


async def notes_by_id(note_ids: Iterable[str | None]) -> dict[str, DeskNote]:
    """The notes named, in one query; unknown ids are simply absent."""
    wanted = {note_id for note_id in note_ids if note_id}
    if not wanted:
        return {}
    return {str(note.id): note for note in await DeskNote.filter(id__in=wanted)}


async def policy_name(note_id: str | None) -> str | None:
    note = (await notes_by_id([note_id])).get(note_id or "")
    return note.policy_name if note else None
