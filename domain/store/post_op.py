"""The ward's records after an operation: which operation a journey had, and writing a record
of it within the journey's bound (`domain.client_file.post_op`).

The records are entries of the client's file (`ClientEntry`, append-only), each naming its
journey in its body. The operation is read from the read model: the journey's approved plan
names a procedure type version of the SURGERY category (and the anaesthesia it is given under),
and its `complete_treatment` event is the moment the operation ended. Both never change once
written, so a retried write checks against the same operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.client_file.kinds import EntryKind
from domain.client_file.post_op import Anaesthesia
from domain.journey.table import Action
from domain.procedures.template import ProcedureCategory, anaesthesia_named
from domain.store.client_file import ClientEntry
from domain.store.models import Journey, JourneyEvent
from domain.store.procedures import ProcedureTypeVersion
from domain.store.ward_tasks import settle_ward_tasks

NOT_OPERATED = "the journey's operation is not done yet: its treatment is not completed"
NOT_SURGERY = "the journey is not a surgery: its approved plan names no SURGERY procedure type"


@dataclass(frozen=True)
class Operated:
    """When the journey's operation ended; None with the reason when it has none. And the
    anaesthesia its procedure type version names (None for a version from before the kinds)."""

    ended_at: datetime | None
    refusal: str | None = None
    anaesthesia: Anaesthesia | None = None


async def operation_of(journey: Journey) -> Operated:
    done = (
        await JourneyEvent.filter(journey_id=journey.id, action=Action.COMPLETE_TREATMENT.value)
        .order_by("seq")
        .first()
    )
    if done is None:
        return Operated(None, NOT_OPERATED)
    version_id = (journey.facts or {}).get("procedure_type_version_id")
    version = await ProcedureTypeVersion.get_or_none(id=version_id) if version_id else None
    if version is None or version.category != ProcedureCategory.SURGERY.value:
        return Operated(None, NOT_SURGERY)
    named = anaesthesia_named(version.content)
    return Operated(done.at, anaesthesia=Anaesthesia(named.value) if named else None)


def _of_journey(body: Any, journey_id: str) -> bool:
    return isinstance(body, dict) and body.get("journey_id") == journey_id


async def append_record(
    entry_id: str,
    journey: Journey,
    *,
    kind: str,
    body: dict[str, Any],
    author: tuple[str, str],
    bound: int,
) -> ClientEntry | None:
    """The entry with this id: the one written before under it (its request's retry, whatever
    the count), else a new one when the journey has fewer than `bound` records of `kind` (not
    counting corrections); None when it has them all. The journey's row is locked for the count
    and the write (SELECT ... FOR UPDATE; SQLite writes one at a time), so two records sent at
    once at the bound find each other. A new record settles the ward's task it answers in the
    same transaction."""
    author_id, author_role = author
    async with in_transaction() as connection:
        await Journey.filter(id=journey.id).select_for_update().using_db(connection).first()
        existing = await ClientEntry.filter(id=entry_id).using_db(connection).first()
        if existing is not None:
            return existing
        bodies = (
            await ClientEntry.filter(client_id=journey.client_id, kind=kind, amends_id__isnull=True)
            .using_db(connection)
            .values_list("body", flat=True)
        )
        if sum(1 for kept in bodies if _of_journey(kept, journey.id)) >= bound:
            return None
        entry = await ClientEntry.create(
            using_db=connection,
            id=entry_id,
            clinic_id=journey.clinic_id,
            client_id=journey.client_id,
            kind=kind,
            body=body,
            author_id=author_id,
            author_role=author_role,
            recorded_at=datetime.now(UTC),
        )
        # The ward's task the record answers, with it (`ward_tasks`): the list and the record
        # agree.
        await settle_ward_tasks(journey.id, EntryKind(kind), body)
        return entry
