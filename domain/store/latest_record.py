"""One journey's record of a step (its latest, or the one chosen by its event), as its
amendments left it: what a page printed for the client (her consultation record, her aftercare
leaflet) shows, so that a correction made with `amendRecord` is what she reads, never the words
it replaced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.client_file.amended import revised
from domain.journey.validation import MAX_AMENDMENTS_PER_JOURNEY
from domain.store.client_file_journeys import Taken, amendment_of, kept
from domain.store.models import JourneyEvent, JourneyRecord

R = TypeVar("R")


@dataclass(frozen=True)
class LatestRecord(Generic[R]):
    record: R  # as amended
    amended: bool
    event: JourneyEvent  # the step's event: who acted, and when


async def latest_record(
    journey_id: str, action: str, record: type[R], seq: int | None = None
) -> LatestRecord[R] | None:
    """The record the journey's latest `action` event took in, or its event `seq` when given
    (a step taken again, a re-consultation, keeps a record of each), made `record` (a class of
    `domain.client_file.journey_records`) as amended; None before any such step, and for a
    `seq` of no such step of the journey."""
    taken_in = JourneyEvent.filter(journey_id=journey_id, action=action, record_id__not_isnull=True)
    chosen = taken_in if seq is None else taken_in.filter(seq=seq)
    event = await chosen.order_by("-seq").first()
    row = await JourneyRecord.get_or_none(id=event.record_id) if event else None
    if event is None or row is None:
        return None
    return await record_as_amended(row, event, record)


async def record_as_amended(
    row: JourneyRecord, event: JourneyEvent, record: type[R]
) -> LatestRecord[R]:
    """The record `row` the step `event` took in, made `record` as its amendments left it: what
    a correction of it is checked against (`amendRecord`), and what the pages print."""
    corrections = (
        await JourneyRecord.filter(amends_id=row.id)
        .order_by("created_at", "id")
        .limit(MAX_AMENDMENTS_PER_JOURNEY)
    )
    taken = Taken(event.at, event.actor_id, event.actor_role)
    written = kept(record).record(row, taken, [amendment_of(c) for c in corrections])
    as_amended, revisions = revised(written)
    return LatestRecord(as_amended, bool(revisions), event)
